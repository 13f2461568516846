"""Knowledge-base articles for the demo: real, short self-help for a home-service subscription."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    category: str  # Category slug
    product_area: str
    tags: tuple[str, ...]
    summary: str
    body: str


ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        slug="washing-machine-wont-drain",
        title="Washing machine won't drain",
        category="appliance-repair",
        product_area="Washing machines",
        tags=("washing machine", "drain", "pump", "filter", "water left in drum"),
        summary="Water stays in the drum after a cycle? Most often the drain filter or hose is blocked.",
        body="""\
Water left in the drum after the programme ends is usually caused by a blocked **drain pump filter**
or a kinked **drain hose**. You can check both yourself in about 15 minutes.

## Before you start
- Switch the machine off and **unplug it**.
- Put towels on the floor and have a shallow tray ready: up to 10 litres of water can come out.

## 1. Clean the drain pump filter
1. Open the small flap at the bottom front of the machine (on Bosch and Siemens it is on the right,
   on Miele and AEG usually on the left).
2. If there is a thin emergency drain hose, pull it out, remove its cap and let the water run into the tray.
3. Turn the filter **anticlockwise** slowly and pull it out.
4. Remove fluff, coins, hair clips and buttons; rinse the filter under the tap.
5. Screw it back in firmly — it must not leak.

## 2. Check the drain hose
- Follow the hose from the back of the machine to the siphon or standpipe.
- It must not be kinked, squashed behind the machine or pushed more than 15 cm into the standpipe.

## 3. Run a test
Choose **Rinse + Spin** or **Drain**. If the machine now pumps out, you are done.

## When to book a technician
- You hear a humming but no water moves (the pump motor may be faulty).
- The display shows an error such as **E18** (Bosch/Siemens), **F21** (Whirlpool) or **20** (AEG).
- Water leaks from underneath after you refitted the filter.

Open a ticket and mention the model number (on the inside of the door) — it helps us bring the right part.
""",
    ),
    DemoArticle(
        slug="dishwasher-error-e15",
        title="Dishwasher error E15 (Bosch, Siemens, Neff)",
        category="appliance-repair",
        product_area="Dishwashers",
        tags=("dishwasher", "E15", "aquastop", "leak", "error code"),
        summary="E15 means water was detected in the base tray. Often you can clear it yourself.",
        body="""\
Error **E15** on Bosch, Siemens and Neff dishwashers means the **water protection system (Aquastop)**
found water in the base tray. The machine stops and pumps out to prevent flooding.

## Common causes
- Too much or the wrong detergent (hand-washing liquid foams heavily).
- A loose spray arm or a cracked door seal that lets water escape.
- A small leak from the circulation pump or a hose.

## What you can do
1. Switch the dishwasher off and unplug it.
2. Turn off the water tap for the dishwasher.
3. Pull the dishwasher out carefully (two screws under the worktop hold it in place).
4. Tilt it **back by about 45°** for a few seconds so the water in the base tray runs out through the
   back. Put a towel behind it first.
5. Let it dry for 24 hours, ideally with the door open.
6. Push it back, reconnect and run a short programme **with the correct detergent**.

## If E15 comes back
Then there is a real leak inside the machine. Please do not keep using it: open a ticket, tell us
when the error appeared and whether you saw water on the floor. A technician will find the leak and
replace the part (usually a hose or the pump seal).
""",
    ),
    DemoArticle(
        slug="resetting-a-tripped-circuit-breaker",
        title="Resetting a tripped circuit breaker safely",
        category="electrical",
        product_area="Electrics",
        tags=("circuit breaker", "fuse box", "RCD", "power cut", "tripped"),
        summary="Part of the home lost power? Find the tripped breaker, unplug the culprit, reset.",
        body="""\
When a room or a group of sockets suddenly has no power, a **circuit breaker** (MCB) or the
**residual current device** (RCD, "FI-Schalter") in your fuse box has switched off to protect you.

## Safety first
- Never touch the fuse box with wet hands or while standing on a wet floor.
- If you smell burning, see scorch marks or the box is warm: **do not reset** — call us.

## Steps
1. **Unplug** the appliances in the affected rooms, especially kettles, heaters, washing machines
   and outdoor equipment.
2. Open the fuse box and find the switch that points **down** (or sits in the middle position).
3. Push it firmly **fully down first, then up** to reset it.
4. Plug your appliances back in **one at a time**. If the breaker trips again as you plug in one
   device, that device is faulty — leave it unplugged.

## If it trips immediately with nothing plugged in
There is a fault in the wiring (often moisture in an outdoor socket or a damaged cable). Leave the
breaker off and open a ticket with category *Electrical*: this needs a qualified electrician.

## RCD keeps tripping when it rains?
That is a classic sign of water getting into an outdoor socket or light. Please report it — it is
safe while the RCD switches off, but it needs fixing.
""",
    ),
    DemoArticle(
        slug="boiler-pressure-too-low",
        title="Boiler pressure too low: how to top it up",
        category="heating",
        product_area="Boilers",
        tags=("boiler", "pressure", "no heating", "no hot water", "vaillant", "repressurise"),
        summary="Below 1 bar the boiler shuts down. Topping up takes five minutes.",
        body="""\
Most gas and combi boilers (Vaillant, Viessmann, Buderus, Bosch) need a system pressure between
**1.0 and 2.0 bar** when the heating is cold. Below about 0.8 bar the boiler locks out and you get
no heating and often no hot water. Vaillant shows **F22**, others show a low-pressure symbol.

## Check the pressure
Look at the gauge or display on the boiler. Read it when the heating has been **off for an hour**.

## Top up the pressure
1. Find the **filling loop**: a braided hose or a small tap under the boiler (on many Vaillant
   models a blue tap or lever).
2. Open the valve(s) **slowly**. You will hear water flowing.
3. Watch the gauge and close the valve at **1.5 bar**.
4. Reset the boiler if it still shows a fault (press *reset* or turn it off and on).

## If the pressure keeps dropping
Losing pressure again within days means there is a leak somewhere (a radiator valve, a pipe joint
or the boiler's safety valve). Check under radiators and at the boiler's outlet pipe outside for
drips, and open a ticket — a heating engineer will find the cause.

## Never
- Top up above 2.5 bar.
- Open the boiler casing. Work inside a gas appliance is for registered engineers only.

**Smell gas?** Leave the building, do not use light switches, and call the gas emergency number.
""",
    ),
    DemoArticle(
        slug="bleeding-radiators",
        title="Radiator cold at the top: how to bleed it",
        category="heating",
        product_area="Radiators",
        tags=("radiator", "cold", "bleed", "air", "heating"),
        summary="A radiator that is warm at the bottom and cold at the top has air in it.",
        body="""\
If a radiator is **warm at the bottom but cold at the top**, or you hear gurgling, air has collected
in it. Bleeding takes a few minutes and needs a **radiator key** (from any DIY shop) or a flat
screwdriver on newer valves.

## Steps
1. Turn the heating **on** so the radiators get warm, then **off** again and wait 10 minutes.
2. Hold a cloth under the bleed valve (the small square screw at the top corner).
3. Turn the key **a quarter turn anticlockwise**. You will hear air hissing.
4. As soon as **water** comes out steadily, close the valve again.
5. Do this for every cold radiator, starting on the lowest floor.
6. **Check the boiler pressure** afterwards and top it up if it is below 1 bar (see
   *Boiler pressure too low*).

## Still cold?
- Cold at the **bottom** but warm at the top: sludge. This needs a power flush.
- The whole radiator stays cold: the thermostatic valve pin may be stuck. Tap it gently with a
  screwdriver handle, or open a ticket and we will send a heating engineer.
""",
    ),
    DemoArticle(
        slug="blocked-sink-or-shower-drain",
        title="Blocked sink or shower drain",
        category="plumbing",
        product_area="Drains",
        tags=("blocked drain", "sink", "shower", "siphon", "plunger"),
        summary="Slow or blocked drain: plunger first, then clean the siphon. No chemicals needed.",
        body="""\
Most blocked sinks and showers are fixed in ten minutes without chemicals (drain cleaners damage
old pipes and are dangerous for our technicians later).

## 1. Plunger
- Fill the basin with a few centimetres of water.
- Cover the **overflow hole** with a wet cloth.
- Plunge firmly 10–15 times, then pull the plunger off sharply.

## 2. Clean the siphon (U-bend)
1. Put a bucket under the sink.
2. Unscrew the two large nuts of the siphon by hand.
3. Empty it and clean out hair, grease and food.
4. Screw it back on hand-tight and run water to check for drips.

## 3. Shower drains
Lift the drain cover, pull out the hair trap and clean it. A cheap plastic drain snake reaches hair
that sits deeper.

## Book a plumber when
- Several drains are slow at the same time, or the toilet gurgles when the sink drains
  (the blockage is in the main pipe).
- Water comes back up in another sink or the shower.
- The siphon is cracked or leaks after you refitted it.
""",
    ),
    DemoArticle(
        slug="water-leak-first-steps",
        title="Water leak: what to do before the plumber arrives",
        category="plumbing",
        product_area="Pipes and taps",
        tags=("leak", "burst pipe", "stopcock", "water damage", "emergency"),
        summary="Turn off the water at the stopcock, switch off electrics near the water, document.",
        body="""\
A leaking pipe, tap connection or water heater can cause serious damage quickly. These steps limit
the damage until our plumber arrives.

## Immediately
1. **Turn off the water** at the main stopcock (usually under the kitchen sink, in the basement or
   next to the water meter). Turn it clockwise until it stops.
2. If water is near sockets, lights or appliances, **switch off the electricity** for that area at
   the fuse box — only if you can reach it without standing in water.
3. Open the taps in the lowest part of the home to drain the remaining water from the pipes.

## Then
- Put buckets and towels under the leak.
- Take **photos** of the leak and any damage (useful for your home insurance).
- For a leaking **water heater** or boiler, also switch it off at its power switch.

## Open a ticket
Choose category *Plumbing*, describe where the water comes from and attach your photos. Leaks with
water on the floor are handled with **high priority**.
""",
    ),
    DemoArticle(
        slug="fridge-not-cooling",
        title="Fridge not cooling properly",
        category="appliance-repair",
        product_area="Fridges and freezers",
        tags=("fridge", "freezer", "not cooling", "temperature", "ice"),
        summary="Check the setting, the door seal, the airflow and the condenser before booking a visit.",
        body="""\
## Quick checks
1. **Temperature setting**: the fridge should be at **4–5 °C**, the freezer at **−18 °C**. After a
   power cut some models reset to a default.
2. **Door seal**: close the door on a sheet of paper. If you can pull it out easily, the seal leaks.
   Clean the seal with warm water; replace it if it is torn.
3. **Airflow inside**: items pushed against the back wall block the cold air vents.
4. **Ice build-up** on the back wall of the fridge or in the freezer: defrost fully (switch off,
   door open, towels down, 6–12 hours).
5. **Ventilation**: freestanding fridges need a few centimetres of space at the back and top.
   Vacuum the black condenser coils at the back once a year.

## Book a visit when
- The compressor runs constantly but it does not get cold.
- You hear clicking every few minutes and the compressor never starts.
- Water collects under the vegetable drawers (the defrost drain is blocked).

Keep food in a cool box and tell us the model number (on the label inside the fridge).
""",
    ),
    DemoArticle(
        slug="how-billing-and-your-subscription-work",
        title="How billing and your subscription work",
        category="billing",
        product_area="Subscription",
        tags=("billing", "invoice", "subscription", "plan", "payment", "refund"),
        summary="What Basic and Plus include, when you are charged, and what happens if a payment fails.",
        body="""\
## Plans
| | **Basic** | **Plus** |
|---|---|---|
| Monthly price | € 14.90 | € 29.90 |
| Repair visits (labour) | 2 per year | unlimited |
| Response time | next working day | same day for urgent issues |
| Appliances covered | up to 3 | all in your home |

Spare parts are charged at cost; you always get a quote before we order a part.

## When you are charged
Your subscription is billed **monthly in advance** on the day you signed up. The invoice is emailed
to you and appears under *Account → Invoices*.

## If a payment fails
We retry after 3 and 7 days and let you know by email. Your service continues during that time.
After 14 days the subscription is marked *past due* and new visits need to be paid individually.
Update your payment method in your account to fix it.

## Charged twice?
Sometimes your bank shows a pending reservation next to the real charge; it disappears within a
few days. If both amounts are booked, open a ticket with category *Billing* — we refund duplicate
charges within 5 working days.

## Cancelling
You can cancel at the end of any month. Open visits are still completed.
""",
    ),
    DemoArticle(
        slug="rescheduling-a-visit",
        title="Rescheduling a visit",
        category="scheduling",
        product_area="Visits",
        tags=("visit", "appointment", "reschedule", "time window", "technician"),
        summary="Change your time windows from the ticket page, free of charge up to 24 hours ahead.",
        body="""\
## Change your time windows
1. Open the ticket under **My tickets**.
2. Under *Preferred times*, remove the windows that no longer work and add new ones. Wider windows
   (e.g. 08:00–12:00) get a technician faster.
3. Save. Technicians see the new windows straight away.

Rescheduling is **free up to 24 hours** before a confirmed visit. Later changes are fine too, but
on the Basic plan a late cancellation counts as one of your visits.

## If we propose a new time
When no technician was available in your windows, we send you up to three alternative schedules.
Accept one with a single click in the email or on the ticket page.

## Visits with several technicians
Some repairs need two trades one after the other (for example a plumber, then an electrician).
We schedule both visits together, so please keep the whole period free.
""",
    ),
    DemoArticle(
        slug="what-to-expect-on-visit-day",
        title="What to expect on visit day",
        category="scheduling",
        product_area="Visits",
        tags=("visit", "technician", "preparation", "arrival"),
        summary="How to prepare, when the technician arrives and what happens after the repair.",
        body="""\
## The day before
You receive a reminder with the technician's name and the time window.

## Prepare
- Clear access to the appliance, boiler, fuse box or pipes (about one metre of space).
- Have the **model number** and any error codes ready.
- Keep pets in another room.

## On the day
- The technician calls you about 30 minutes before arriving.
- If they are delayed or cannot come, we tell you immediately and find a replacement or a new time.
- If you are not at home when they arrive, they wait 15 minutes and call you.

## After the visit
The technician notes what was done. If a spare part is needed, we order it and book the follow-up
visit with you. You will get a short survey — your feedback goes directly to the team.
""",
    ),
    DemoArticle(
        slug="updating-your-account-details",
        title="Changing your email, address or password",
        category="account",
        product_area="Account",
        tags=("account", "email", "address", "password", "login"),
        summary="Update your contact details and password yourself in a few clicks.",
        body="""\
## Email address
Go to **Account → Profile**, enter the new address and confirm it with the link we send there. Your
login changes to the new address once confirmed.

## Service address
Under **Account → Profile → Address** you can change where technicians go. If you move, please
update it **before** booking a visit: our technicians are assigned by postal code.

## Password
Use **Forgot password?** on the sign-in page, or change it under **Account → Security**. Choose at
least 10 characters.

## Can't sign in at all?
Open a ticket from the help page without signing in, choose category *Account* and tell us the
email address you registered with. For your security we never ask for your password.
""",
    ),
)
