"""Ticket histories for the demo: who wrote what, and when, relative to the previous step.
Played through the lifecycle services by demo.playback."""

from tickets.management.demo.playback import DemoTicket, assign, confirm, customer, note, reply, status
from tickets.models import Priority, Ticket, Tier

S = Ticket.Status

AGENT = "agent@example.com"
LEAD = "lead@example.com"
TOM = "tom.becker@example.com"
MEHMET = "mehmet.yilmaz@example.com"
LENA = "lena.hoffmann@example.com"
JONAS = "jonas.weber@example.com"
ANNA = "anna.lange@example.com"
CLARA = "customer@example.com"
BEN = "customer2@example.com"
HANNAH = "hannah.schulz@example.com"
LUKAS = "lukas.braun@example.com"
MIA = "mia.wolf@example.com"

TICKETS: tuple[DemoTicket, ...] = (
    DemoTicket(
        CLARA,
        "Washing machine stops mid-cycle and won't drain",
        "Since yesterday my washing machine stops during the wash and the drum stays full of water. "
        "The display shows E18. I cleaned the filter already.",
        "appliance-repair",
        Priority.HIGH,
        hours_ago=30,
        appliance=("Bosch", "WAN28K40"),
        tier=Tier.L2,
        tags=("vip",),
        priority_reason="VIP customer, appliance unusable",
        steps=(
            assign(20, AGENT, AGENT),
            reply(
                15,
                AGENT,
                "Hello Clara, thank you for the details. E18 means the machine cannot pump out. Could you check "
                "whether the drain hose behind the machine is kinked? Our article 'Washing machine won't drain' "
                "shows where to look.",
            ),
            customer(120, "The hose looks fine and I cleaned the filter again. It still shows E18 and hums."),
            note(10, AGENT, "Humming + E18 after filter cleaning = drain pump most likely. Needs a technician."),
            reply(
                5,
                AGENT,
                "Thank you for checking. The humming points to the drain pump, so we will send a technician. "
                "Please add the times that suit you; we will confirm as soon as a technician has picked one.",
            ),
        ),
        expected_status=S.IN_PROGRESS,
        visits=True,
    ),
    DemoTicket(
        CLARA,
        "No hot water since this morning",
        "There is no hot water and the radiators are cold. The boiler display shows F22.",
        "heating",
        Priority.URGENT,
        hours_ago=3,
        appliance=("Vaillant", "ecoTEC plus VC 206/5-5"),
        tier=Tier.L2,
        tags=("vip",),
        priority_reason="Keyword 'no hot water', VIP customer",
        steps=(
            assign(8, MEHMET, MEHMET),
            reply(
                6,
                MEHMET,
                "Hello Clara, F22 on a Vaillant boiler means the water pressure is too low. Could you tell me what "
                "the pressure gauge shows? If it is below 1 bar, you can top it up as described in 'Boiler "
                "pressure too low' — that usually brings the hot water back within minutes.",
            ),
            status(1, MEHMET, S.WAITING_ON_CUSTOMER),
        ),
        expected_status=S.WAITING_ON_CUSTOMER,
    ),
    DemoTicket(
        CLARA,
        "Dishwasher shows error E15",
        "My dishwasher stopped and shows E15. There is no water on the floor.",
        "appliance-repair",
        Priority.MEDIUM,
        hours_ago=6 * 24,
        appliance=("Bosch", "SMS46KI01E"),
        steps=(
            assign(30, AGENT, AGENT),
            reply(
                10,
                AGENT,
                "Hello Clara, E15 means the leak protection found water in the base. Often this is foam from the "
                "wrong detergent. Please follow the steps in 'Dishwasher error E15' (tilt the machine back, let "
                "it dry) and let us know if the error comes back.",
            ),
            customer(24 * 60, "I tilted it and waited a day – it works again. Thank you!"),
            status(30, AGENT, S.RESOLVED),
            confirm(180),
        ),
        csat=5,
        article="dishwasher-error-e15",
        expected_status=S.CLOSED,
    ),
    DemoTicket(
        CLARA,
        "Question about my Plus plan invoice",
        "My last invoice shows € 29.90 but I thought Plus was cheaper in the first year?",
        "billing",
        Priority.LOW,
        hours_ago=26,
        steps=(
            assign(45, AGENT, AGENT),
            reply(
                20,
                AGENT,
                "Hello Clara, the first-year discount applied to the first three months only; since then Plus is "
                "€ 29.90 per month. All details are in 'How billing and your subscription work'.",
            ),
            status(2, AGENT, S.RESOLVED),
        ),
        article="how-billing-and-your-subscription-work",
        expected_status=S.RESOLVED,
    ),
    DemoTicket(
        CLARA,
        "Outdoor socket trips the breaker when it rains",
        "Every time it rains the breaker for the terrace switches off. Nothing is plugged into the outdoor socket.",
        "electrical",
        Priority.HIGH,
        hours_ago=0.5,
        tags=("vip",),
        priority_reason="Category Electrical with moisture",
        expected_status=S.OPEN,
    ),
    DemoTicket(
        CLARA,
        "Extractor fan in the bathroom stopped working",
        "The bathroom fan doesn't start any more when I switch on the light.",
        "electrical",
        Priority.LOW,
        hours_ago=15 * 24,
        steps=(
            assign(60, LENA, LENA),
            reply(20, LENA, "Hello Clara, we will send an electrician to replace the fan's run-on timer."),
            note(5, LENA, "Booked Petra for Thursday, part in van stock."),
            reply(2 * 24 * 60, LENA, "The fan was replaced today. Please let us know if anything is still wrong."),
            status(5, LENA, S.RESOLVED),
            status(3 * 24 * 60, LENA, S.CLOSED),
        ),
        csat=4,
        expected_status=S.CLOSED,
    ),
    DemoTicket(
        BEN,
        "Kitchen sink is blocked",
        "The kitchen sink drains very slowly and now not at all. I tried a plunger.",
        "plumbing",
        Priority.MEDIUM,
        hours_ago=4 * 24,
        steps=(
            assign(90, ANNA, ANNA),
            reply(
                15,
                ANNA,
                "Hello Ben, could you try cleaning the siphon under the sink? The article 'Blocked sink "
                "or shower drain' shows how. If that doesn't help, we'll send a plumber.",
            ),
            customer(3 * 60, "Cleaned the siphon, still blocked. The dishwasher drain also gurgles."),
            reply(
                30,
                ANNA,
                "Thanks Ben, that sounds like a blockage further down. A plumber will come tomorrow between 8 and 12.",
            ),
            reply(26 * 60, ANNA, "Our plumber cleared the pipe this morning. Everything should drain normally now."),
            status(5, ANNA, S.RESOLVED),
        ),
        article="blocked-sink-or-shower-drain",
        expected_status=S.RESOLVED,
    ),
    DemoTicket(
        BEN,
        "Can I move my visit to Friday?",
        "I have a technician booked for Wednesday morning but I have to work. Is Friday possible?",
        "scheduling",
        Priority.LOW,
        hours_ago=5,
        steps=(
            assign(40, AGENT, AGENT),
            reply(10, AGENT, "Hello Ben, sure. Which time on Friday suits you – morning (8–12) or afternoon (13–17)?"),
            status(1, AGENT, S.WAITING_ON_CUSTOMER),
        ),
        article="rescheduling-a-visit",
        expected_status=S.WAITING_ON_CUSTOMER,
    ),
    DemoTicket(
        BEN,
        "Fridge is not cooling properly",
        "The fridge is only at 11 °C even on the coldest setting. The freezer seems fine.",
        "appliance-repair",
        Priority.MEDIUM,
        hours_ago=20,
        appliance=("AEG", "RCB732E5MX"),
        steps=(
            assign(60, LEAD, TOM),
            note(30, TOM, "Freezer OK, fridge warm: likely blocked air damper or defrost drain. Ask for photos."),
        ),
        expected_status=S.OPEN,
    ),
    DemoTicket(
        BEN,
        "Charged twice this month",
        "My bank statement shows two payments of € 14.90 on the same day.",
        "billing",
        Priority.HIGH,
        hours_ago=9 * 24,
        priority_reason="Keyword 'charged twice'",
        tags=("refund",),
        steps=(
            assign(30, AGENT, AGENT),
            reply(
                20,
                AGENT,
                "Hello Ben, I can see the duplicate charge. I have refunded € 14.90; it will be on "
                "your account within 5 working days.",
            ),
            note(2, AGENT, "Refund issued in the payment dashboard, ref. RF-20931."),
            status(5, AGENT, S.RESOLVED),
            customer(2 * 24 * 60, "Refund received, thanks."),
            status(30, AGENT, S.RESOLVED),
            status(24 * 60, AGENT, S.CLOSED),
        ),
        csat=5,
        expected_status=S.CLOSED,
    ),
    DemoTicket(
        BEN,
        "Change my email address",
        "I would like to use ben.mueller@example.net instead of my current email.",
        "account",
        Priority.LOW,
        hours_ago=1,
        article="updating-your-account-details",
        expected_status=S.OPEN,
    ),
    DemoTicket(
        BEN,
        "Technician didn't show up",
        "The plumber was supposed to come between 8 and 10 today. It's 11 now and nobody came or called.",
        "scheduling",
        Priority.HIGH,
        hours_ago=2,
        steps=(
            assign(10, AGENT, AGENT),
            note(5, AGENT, "Checking with field coordination why the visit was missed."),
        ),
        expected_status=S.OPEN,
    ),
    DemoTicket(
        HANNAH,
        "Radiators upstairs stay cold",
        "The two radiators in the bedrooms stay cold, the ones downstairs are warm.",
        "heating",
        Priority.MEDIUM,
        hours_ago=2 * 24,
        steps=(
            assign(120, ANNA, MEHMET),
            reply(
                30,
                MEHMET,
                "Hello Hannah, this is often air in the radiators. Could you bleed them as shown in "
                "'Radiator cold at the top: how to bleed it' and check the boiler pressure afterwards?",
            ),
            status(1, MEHMET, S.WAITING_ON_CUSTOMER),
            customer(20 * 60, "I bled them and topped up to 1.5 bar. One is warm now, the other is still cold."),
            note(15, MEHMET, "Probably a stuck thermostatic valve pin. Will book a heating visit if tapping fails."),
        ),
        article="bleeding-radiators",
        expected_status=S.IN_PROGRESS,
    ),
    DemoTicket(
        HANNAH,
        "Dryer makes a loud banging noise",
        "Our dryer bangs loudly during the cycle since last week.",
        "appliance-repair",
        Priority.MEDIUM,
        hours_ago=12 * 24,
        appliance=("Miele", "TWC220 WP"),
        steps=(
            assign(60, LEAD, TOM),
            reply(
                20,
                TOM,
                "Hello Hannah, a banging noise usually means a worn drum bearing or support roller. "
                "We'll send a technician with the parts.",
            ),
            reply(3 * 24 * 60, TOM, "The support rollers were replaced today. The dryer should run quietly again."),
            status(5, TOM, S.RESOLVED),
            confirm(6 * 60),
        ),
        csat=4,
        tags=("spare-part",),
        expected_status=S.CLOSED,
    ),
    DemoTicket(
        HANNAH,
        "How do I add a second address?",
        "We have a holiday flat in Potsdam. Can I register it for service too?",
        "account",
        Priority.LOW,
        hours_ago=3 * 24,
        steps=(
            assign(120, JONAS, JONAS),
            reply(
                15,
                JONAS,
                "Hello Hannah, each address needs its own subscription. You can add one under "
                "Account → Subscriptions; the second address gets 20 % off.",
            ),
            status(3, JONAS, S.RESOLVED),
        ),
        expected_status=S.RESOLVED,
    ),
    DemoTicket(
        LUKAS,
        "Lights flicker in the whole flat",
        "All lights flicker several times a minute since this morning, and I heard a crackling in the fuse box.",
        "electrical",
        Priority.URGENT,
        hours_ago=5,
        tier=Tier.L3,
        priority_reason="Keyword 'crackling' in the fuse box",
        tags=("repeat-issue",),
        steps=(
            assign(5, LENA, LENA),
            reply(
                5,
                LENA,
                "Hello Lukas, please switch off the main breaker for safety. An electrician is on the "
                "way and will call you within the hour.",
            ),
            note(3, LENA, "Escalated straight to L3: possible loose neutral. Petra dispatched as emergency."),
        ),
        expected_status=S.IN_PROGRESS,
    ),
    DemoTicket(
        LUKAS,
        "Toilet keeps running",
        "The toilet cistern keeps refilling every few minutes.",
        "plumbing",
        Priority.LOW,
        hours_ago=8 * 24,
        steps=(
            assign(180, ANNA, ANNA),
            reply(20, ANNA, "Hello Lukas, that's usually the flush valve seal. We'll bring a new one on Tuesday."),
            reply(4 * 24 * 60, ANNA, "The seal was replaced today."),
            status(5, ANNA, S.RESOLVED),
            confirm(12 * 60),
        ),
        csat=3,
        expected_status=S.CLOSED,
    ),
    DemoTicket(
        LUKAS,
        "Oven doesn't heat up",
        "The oven light and fan work but it doesn't get hot in any mode.",
        "appliance-repair",
        Priority.MEDIUM,
        hours_ago=0.2,
        appliance=("Siemens", "HB578GBS0"),
        expected_status=S.OPEN,
    ),
    DemoTicket(
        MIA,
        "Subscription renewal failed",
        "I got an email that my payment failed. My card was renewed, where do I change it?",
        "billing",
        Priority.MEDIUM,
        hours_ago=2 * 24,
        steps=(
            assign(60, AGENT, AGENT),
            reply(
                10,
                AGENT,
                "Hello Mia, you can update your card under Account → Payment method. Once it's "
                "updated, please reply here and we'll retry the payment.",
            ),
            status(1, AGENT, S.WAITING_ON_CUSTOMER),
        ),
        article="how-billing-and-your-subscription-work",
        expected_status=S.WAITING_ON_CUSTOMER,
    ),
    DemoTicket(
        MIA,
        "Water heater leaking at the bottom",
        "There's a small puddle under the electric water heater in the bathroom and it keeps growing. "
        "It's an old unit, I don't know the model.",
        "plumbing",
        Priority.HIGH,
        hours_ago=22,
        appliance_text="Old Stiebel water heater, model unknown",
        tags=("water-damage-risk", "needs-visit"),
        priority_reason="Keyword 'leaking'",
        steps=(
            assign(30, ANNA, MEHMET),
            reply(
                10,
                MEHMET,
                "Hello Mia, please switch the water heater off at the fuse box and close its water "
                "valve. A plumber will replace the connection and an electrician will reconnect the unit.",
            ),
            customer(45, "Done, it's off. Thanks for the quick answer."),
        ),
        article="water-leak-first-steps",
        expected_status=S.IN_PROGRESS,
        visits=True,
    ),
)
