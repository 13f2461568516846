"""Generate tickets.csv: customer requests of a home-service company (plumbing, electrical work,
appliance repair, heating, scheduling, billing, account, general), in English and German, with a
priority (LOW / MEDIUM / HIGH / URGENT). Written by the FixDesk team for this product; see README.md.

Each example is a subject plus a short body assembled from hand-written situations (one per line
below, each with the priority a dispatcher would give it) and hand-written phrasing (openers,
"since when", "what I tried", closings, appliances, rooms). The generator is deterministic:

    python data/training/home_services/generate.py      # rewrites tickets.csv
"""

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261123
PER_SITUATION = 3  # variants of each situation

# --- phrasing ---------------------------------------------------------------------------------------

OPENERS = {
    "en": [
        "Hello,",
        "Hi there,",
        "Good morning,",
        "Dear FixDesk team,",
        "Hello support,",
        "",
        "Hi,",
        "Dear Sir or Madam,",
    ],
    "de": [
        "Hallo,",
        "Guten Tag,",
        "Sehr geehrte Damen und Herren,",
        "Hallo FixDesk-Team,",
        "Moin,",
        "",
        "Liebes Support-Team,",
        "Guten Morgen,",
    ],
}
SINCE = {
    "en": [
        "It started yesterday.",
        "It started this morning.",
        "This has been going on for two days.",
        "It began last week.",
        "It has been like this since Sunday.",
        "",
    ],
    "de": [
        "Das ist seit gestern so.",
        "Seit heute Morgen.",
        "Das geht seit zwei Tagen so.",
        "Es fing letzte Woche an.",
        "Seit Sonntag ist das so.",
        "",
    ],
}
CLOSINGS = {
    "en": [
        "Thanks!",
        "Thank you in advance.",
        "Please let me know what to do.",
        "Can someone help?",
        "Best regards",
        "Cheers",
        "",
    ],
    "de": [
        "Danke!",
        "Vielen Dank im Voraus.",
        "Bitte melden Sie sich.",
        "Kann mir jemand helfen?",
        "Viele Grüße",
        "Mit freundlichen Grüßen",
        "",
    ],
}
ROOMS = {
    "en": ["kitchen", "bathroom", "basement", "guest toilet", "utility room", "hallway"],
    "de": ["Bad", "Keller", "Gäste-WC", "Hauswirtschaftsraum", "Flur", "Wohnzimmer"],  # all take "im"
}
APPLIANCES = {  # (name, model, washes with water); German names are all feminine to fit the templates
    "en": [
        ("washing machine", "Bosch WAN28K40", True),
        ("dishwasher", "Siemens SN23HI60AE", True),
        ("washing machine", "AEG L7FEE48S", True),
        ("dishwasher", "Bosch SMS46KI01E", True),
        ("dryer", "Miele TWC220 WP", False),
        ("oven", "Siemens HB578GBS0", False),
        ("microwave", "Samsung MS23K3513AW", False),
        ("cooker hood", "Neff D95IHM1S0", False),
    ],
    "de": [
        ("Waschmaschine", "Bosch WAN28K40", True),
        ("Spülmaschine", "Siemens SN23HI60AE", True),
        ("Waschmaschine", "AEG L7FEE48S", True),
        ("Geschirrspülmaschine", "Bosch SMS46KI01E", True),
        ("Mikrowelle", "Samsung MS23K3513AW", False),
        ("Kaffeemaschine", "Jura E8", False),
        ("Dunstabzugshaube", "Neff D95IHM1S0", False),
    ],
}
TRIED = {
    "appliance-repair": {
        "en": ["I already unplugged it for an hour.", "I cleaned the filter.", "Restarting did not help.", ""],
        "de": [
            "Ich habe es schon eine Stunde vom Strom genommen.",
            "Das Sieb habe ich gereinigt.",
            "Neustart hat nichts gebracht.",
            "",
        ],
    },
    "plumbing": {
        "en": ["I closed the stopcock under the sink.", "A plunger did not help.", "I tried drain cleaner.", ""],
        "de": [
            "Das Eckventil habe ich zugedreht.",
            "Mit dem Pümpel ging es nicht.",
            "Rohrreiniger habe ich probiert.",
            "",
        ],
    },
    "electrical": {
        "en": ["I switched the breaker back on but it trips again.", "I checked the fuse box.", ""],
        "de": ["Die Sicherung fliegt sofort wieder raus.", "Im Sicherungskasten habe ich nachgesehen.", ""],
    },
    "heating": {
        "en": ["I bled the radiators.", "I topped up the pressure.", "I reset the boiler twice.", ""],
        "de": [
            "Ich habe die Heizkörper entlüftet.",
            "Wasser habe ich nachgefüllt.",
            "Den Kessel habe ich zweimal zurückgesetzt.",
            "",
        ],
    },
}

# --- situations: (subject, body, priority); {room}, {appliance}, {model} are filled in --------------

SITUATIONS: dict[str, dict[str, list[tuple[str, str, str]]]] = {
    "plumbing": {
        "en": [
            (
                "Water coming through the ceiling",
                "Water is dripping through the {room} ceiling from the flat above.",
                "URGENT",
            ),
            ("Burst pipe in the {room}", "A pipe burst in the {room} and water is spraying out.", "URGENT"),
            (
                "Blocked drain",
                "The drain in the {room} is completely blocked and the water does not go down.",
                "MEDIUM",
            ),
            ("Toilet keeps running", "The toilet cistern keeps running after every flush.", "LOW"),
            ("Dripping tap", "The tap in the {room} drips all the time.", "LOW"),
            ("Toilet is blocked", "Our only toilet is blocked and overflowing.", "HIGH"),
            ("Leak under the sink", "There is a small leak under the {room} sink, a bucket is catching it.", "MEDIUM"),
            ("Low water pressure", "The water pressure in the shower has become very weak.", "LOW"),
            ("Smell from the drain", "There is a bad sewer smell coming from the {room} drain.", "MEDIUM"),
            (
                "Washing machine hose leaking",
                "The water supply hose behind the washing machine leaks at the tap.",
                "MEDIUM",
            ),
            ("New tap to install", "We bought a new mixer tap for the {room} and need it installed.", "LOW"),
            ("Shower drain slow", "The shower drain empties very slowly.", "LOW"),
            ("Water meter leaking", "Water is leaking at the water meter in the {room}.", "HIGH"),
            ("Frozen pipe", "A pipe in the {room} seems frozen, no water comes out.", "HIGH"),
        ],
        "de": [
            (
                "Wasser kommt durch die Decke",
                "Im {room} tropft Wasser durch die Decke aus der Wohnung darüber.",
                "URGENT",
            ),
            ("Rohrbruch im {room}", "Im {room} ist ein Rohr geplatzt, das Wasser spritzt raus.", "URGENT"),
            ("Abfluss verstopft", "Der Abfluss im {room} ist komplett verstopft, das Wasser läuft nicht ab.", "MEDIUM"),
            ("Toilettenspülung läuft ständig", "Die Spülung läuft nach jedem Spülen einfach weiter.", "LOW"),
            ("Wasserhahn tropft", "Der Wasserhahn im {room} tropft die ganze Zeit.", "LOW"),
            ("Toilette verstopft", "Unsere einzige Toilette ist verstopft und läuft über.", "HIGH"),
            (
                "Undicht unter der Spüle",
                "Unter der Spüle in der Küche ist es undicht, ein Eimer fängt es auf.",
                "MEDIUM",
            ),
            ("Wenig Wasserdruck", "Der Wasserdruck in der Dusche ist sehr schwach geworden.", "LOW"),
            ("Gestank aus dem Abfluss", "Aus dem Abfluss im {room} riecht es stark nach Kanal.", "MEDIUM"),
            ("Zulaufschlauch undicht", "Der Zulaufschlauch der Waschmaschine ist am Hahn undicht.", "MEDIUM"),
            (
                "Neue Armatur montieren",
                "Wir haben eine neue Mischbatterie für das Bad gekauft und brauchen die Montage.",
                "LOW",
            ),
            ("Dusche läuft langsam ab", "Das Wasser in der Dusche läuft nur sehr langsam ab.", "LOW"),
            ("Wasserzähler undicht", "Am Wasserzähler im {room} tritt Wasser aus.", "HIGH"),
            (
                "Leitung eingefroren",
                "Eine Leitung im {room} scheint eingefroren zu sein, es kommt kein Wasser.",
                "HIGH",
            ),
        ],
    },
    "electrical": {
        "en": [
            (
                "Sparks from a socket",
                "There were sparks from the socket in the {room} when I plugged in the kettle.",
                "URGENT",
            ),
            ("Burning smell from the fuse box", "There is a burning smell from the fuse box.", "URGENT"),
            ("Breaker keeps tripping", "The breaker for the {room} trips several times a day.", "HIGH"),
            ("Lights flickering", "The lights in the {room} flicker all evening.", "MEDIUM"),
            ("Socket not working", "One socket in the {room} has no power at all.", "LOW"),
            ("Half the flat has no power", "Half of the flat has no power, the other half works.", "HIGH"),
            ("New ceiling light", "We would like a new ceiling light installed in the {room}.", "LOW"),
            ("Light switch is loose", "The light switch in the {room} is loose and hangs out of the wall.", "MEDIUM"),
            ("Outdoor light broken", "The outdoor light at the entrance does not switch on anymore.", "LOW"),
            ("Residual current device trips", "The RCD trips as soon as I switch on the oven.", "HIGH"),
            ("Wall box for the car", "We want a charging wall box installed in the garage.", "LOW"),
            ("Buzzing in the wall", "There is a buzzing noise from inside the wall near the {room} socket.", "HIGH"),
        ],
        "de": [
            (
                "Funken aus der Steckdose",
                "Aus der Steckdose im {room} kamen Funken, als ich den Wasserkocher eingesteckt habe.",
                "URGENT",
            ),
            ("Brandgeruch am Sicherungskasten", "Am Sicherungskasten riecht es verbrannt.", "URGENT"),
            (
                "Sicherung fliegt ständig raus",
                "Die Sicherung für den Stromkreis im {room} fliegt mehrmals am Tag raus.",
                "HIGH",
            ),
            ("Licht flackert", "Das Licht im {room} flackert den ganzen Abend.", "MEDIUM"),
            ("Steckdose ohne Strom", "Eine Steckdose im {room} hat gar keinen Strom.", "LOW"),
            ("Halbe Wohnung ohne Strom", "Die halbe Wohnung hat keinen Strom, die andere Hälfte geht.", "HIGH"),
            ("Neue Deckenlampe", "Wir möchten im {room} eine neue Deckenlampe anschließen lassen.", "LOW"),
            ("Lichtschalter locker", "Der Lichtschalter im {room} ist locker und hängt aus der Wand.", "MEDIUM"),
            ("Außenlampe defekt", "Die Außenlampe am Eingang geht nicht mehr an.", "LOW"),
            ("FI-Schalter löst aus", "Der FI-Schalter löst aus, sobald ich den Backofen einschalte.", "HIGH"),
            ("Wallbox für das Auto", "Wir möchten eine Wallbox in der Garage installieren lassen.", "LOW"),
            ("Summen in der Wand", "Aus der Wand neben der Steckdose im {room} kommt ein Summen.", "HIGH"),
        ],
    },
    "appliance-repair": {
        "en": [
            ("{washer} does not drain", "My {washer} ({model}) does not pump out the water anymore.", "MEDIUM"),
            ("{appliance} will not start", "The {appliance} {model} does not start, the display stays dark.", "MEDIUM"),
            ("{washer} leaking water", "The {washer} leaks water onto the floor during every run.", "HIGH"),
            ("Loud noise from the {washer}", "The {washer} makes a loud banging noise when spinning.", "MEDIUM"),
            ("Error code on the {appliance}", "The {appliance} ({model}) shows error E18 and stops.", "MEDIUM"),
            ("{washer} not heating", "The {washer} runs but the water stays cold.", "MEDIUM"),
            ("Fridge not cooling", "Our fridge ({model}) is not cooling, the food is getting warm.", "HIGH"),
            ("Oven door hinge broken", "The hinge of the oven door is broken, the door does not close.", "LOW"),
            ("{appliance} smells of burning", "There is a burning smell from the {appliance} when it runs.", "URGENT"),
            ("Dryer takes forever", "The dryer needs three hours and the clothes are still damp.", "LOW"),
            ("{washer} door will not open", "The door of the {washer} is locked and my clothes are inside.", "MEDIUM"),
            ("Freezer is defrosting", "The freezer ({model}) is defrosting, there is water in front of it.", "HIGH"),
        ],
        "de": [
            ("{washer} pumpt nicht ab", "Meine {washer} ({model}) pumpt das Wasser nicht mehr ab.", "MEDIUM"),
            (
                "{appliance} startet nicht",
                "Die {appliance} {model} startet nicht, das Display bleibt dunkel.",
                "MEDIUM",
            ),
            ("{washer} verliert Wasser", "Die {washer} verliert bei jedem Programm Wasser auf den Boden.", "HIGH"),
            ("{washer} macht laute Geräusche", "Die {washer} schlägt beim Schleudern laut.", "MEDIUM"),
            ("Fehlercode an der {appliance}", "Die {appliance} ({model}) zeigt Fehler E18 und bricht ab.", "MEDIUM"),
            ("{washer} heizt nicht", "Die {washer} läuft, aber das Wasser bleibt kalt.", "MEDIUM"),
            (
                "Kühlschrank kühlt nicht",
                "Unser Kühlschrank ({model}) kühlt nicht mehr, die Lebensmittel werden warm.",
                "HIGH",
            ),
            (
                "Backofentür Scharnier kaputt",
                "Das Scharnier der Backofentür ist gebrochen, die Tür schließt nicht.",
                "LOW",
            ),
            ("{appliance} riecht verbrannt", "Die {appliance} riecht verbrannt, wenn sie läuft.", "URGENT"),
            ("Trockner braucht ewig", "Der Trockner braucht drei Stunden und die Wäsche ist immer noch feucht.", "LOW"),
            (
                "Tür der {washer} geht nicht auf",
                "Die Tür der {washer} ist verriegelt und die Wäsche ist drin.",
                "MEDIUM",
            ),
            ("Gefrierschrank taut ab", "Der Gefrierschrank ({model}) taut ab, davor steht Wasser.", "HIGH"),
        ],
    },
    "heating": {
        "en": [
            ("No heating", "The heating is not working at all and it is freezing in the flat.", "HIGH"),
            ("No hot water", "We have no hot water in the whole flat.", "HIGH"),
            ("Boiler shows fault F28", "The boiler shows fault F28 and does not ignite.", "HIGH"),
            ("Radiator stays cold", "One radiator in the {room} stays cold, the others are warm.", "LOW"),
            ("Boiler losing pressure", "The boiler pressure drops below 1 bar every day.", "MEDIUM"),
            ("Gas smell near the boiler", "I smell gas near the boiler in the {room}.", "URGENT"),
            ("Heating makes knocking noises", "The pipes knock loudly when the heating starts.", "LOW"),
            ("Annual boiler service", "Our boiler needs its yearly maintenance.", "LOW"),
            (
                "Thermostat not responding",
                "The room thermostat does not react, the heating runs all the time.",
                "MEDIUM",
            ),
            ("Water heater leaking", "The water heater in the {room} drips from below.", "MEDIUM"),
            ("Heat pump error", "The heat pump shows an error and the house is getting cold.", "HIGH"),
            ("Radiator valve stuck", "The radiator valve in the {room} is stuck and cannot be turned.", "LOW"),
        ],
        "de": [
            ("Heizung geht nicht", "Die Heizung geht überhaupt nicht und es ist eiskalt in der Wohnung.", "HIGH"),
            ("Kein Warmwasser", "Wir haben in der ganzen Wohnung kein warmes Wasser.", "HIGH"),
            ("Therme zeigt Störung F28", "Die Therme zeigt Störung F28 und zündet nicht.", "HIGH"),
            ("Heizkörper bleibt kalt", "Ein Heizkörper im {room} bleibt kalt, die anderen sind warm.", "LOW"),
            ("Heizung verliert Druck", "Der Druck der Heizung fällt jeden Tag unter 1 bar.", "MEDIUM"),
            ("Gasgeruch an der Therme", "An der Therme im {room} riecht es nach Gas.", "URGENT"),
            ("Heizung klopft", "Die Rohre klopfen laut, wenn die Heizung anspringt.", "LOW"),
            ("Jährliche Wartung der Therme", "Unsere Therme braucht die jährliche Wartung.", "LOW"),
            (
                "Thermostat reagiert nicht",
                "Das Raumthermostat reagiert nicht, die Heizung läuft durchgehend.",
                "MEDIUM",
            ),
            ("Boiler tropft", "Der Boiler im {room} tropft von unten.", "MEDIUM"),
            ("Wärmepumpe Fehler", "Die Wärmepumpe zeigt einen Fehler und das Haus kühlt aus.", "HIGH"),
            (
                "Heizkörperventil klemmt",
                "Das Ventil am Heizkörper im {room} klemmt und lässt sich nicht drehen.",
                "LOW",
            ),
        ],
    },
    "scheduling": {
        "en": [
            (
                "Reschedule my appointment",
                "I cannot be at home for the visit on Thursday. Can we move it to next week?",
                "MEDIUM",
            ),
            ("Cancel the technician visit", "Please cancel the technician visit, the problem solved itself.", "LOW"),
            (
                "When is the technician coming?",
                "I booked a visit three days ago and still have no time slot.",
                "MEDIUM",
            ),
            ("Technician did not show up", "The technician did not come today although I waited all morning.", "HIGH"),
            ("Book a visit", "I would like to book a visit for a repair next week, mornings are best.", "LOW"),
            (
                "Earlier appointment possible?",
                "Is there an earlier slot than next Friday? We really need it sooner.",
                "MEDIUM",
            ),
            ("Change the time window", "Can the technician come in the afternoon instead of the morning?", "LOW"),
            ("Technician running late?", "The technician was due at 10 and nobody is here yet.", "MEDIUM"),
            (
                "Second visit needed",
                "The technician said a second visit is needed for the spare part. How do I book it?",
                "LOW",
            ),
            ("Confirm my appointment", "Could you confirm the appointment for Monday between 8 and 12?", "LOW"),
        ],
        "de": [
            (
                "Termin verschieben",
                "Am Donnerstag bin ich nicht zu Hause. Können wir den Termin auf nächste Woche legen?",
                "MEDIUM",
            ),
            ("Technikerbesuch absagen", "Bitte sagen Sie den Termin ab, das Problem hat sich erledigt.", "LOW"),
            ("Wann kommt der Techniker?", "Ich habe vor drei Tagen gebucht und noch keinen Termin bekommen.", "MEDIUM"),
            (
                "Techniker nicht gekommen",
                "Der Techniker ist heute nicht gekommen, obwohl ich den ganzen Vormittag gewartet habe.",
                "HIGH",
            ),
            (
                "Termin buchen",
                "Ich möchte für nächste Woche einen Reparaturtermin buchen, am liebsten vormittags.",
                "LOW",
            ),
            (
                "Früherer Termin möglich?",
                "Gibt es einen früheren Termin als nächsten Freitag? Wir brauchen es eher.",
                "MEDIUM",
            ),
            ("Zeitfenster ändern", "Kann der Techniker nachmittags statt vormittags kommen?", "LOW"),
            ("Techniker verspätet?", "Der Techniker sollte um 10 Uhr da sein, bisher ist niemand gekommen.", "MEDIUM"),
            (
                "Zweiter Termin nötig",
                "Der Techniker meinte, für das Ersatzteil braucht es einen zweiten Termin. Wie buche ich den?",
                "LOW",
            ),
            ("Termin bestätigen", "Können Sie den Termin am Montag zwischen 8 und 12 Uhr bestätigen?", "LOW"),
        ],
    },
    "billing": {
        "en": [
            ("Charged twice", "I was charged twice for the same repair this month.", "HIGH"),
            (
                "Invoice is wrong",
                "The invoice lists two hours of work but the technician was here for 30 minutes.",
                "MEDIUM",
            ),
            (
                "Refund for cancelled visit",
                "I cancelled the visit in time but was still charged the call-out fee.",
                "MEDIUM",
            ),
            ("Change my payment method", "I want to pay by direct debit instead of credit card.", "LOW"),
            ("Copy of my invoice", "Can you send me a copy of the invoice for the boiler service?", "LOW"),
            ("Subscription price went up", "Why did my monthly plan become more expensive?", "LOW"),
            ("Payment failed", "My payment failed and the account says past due. I want to fix it.", "MEDIUM"),
            ("Upgrade to the Plus plan", "How do I upgrade from Basic to the Plus plan and what does it cost?", "LOW"),
            ("Cost estimate before repair", "Before the repair I would like a cost estimate.", "LOW"),
            ("Reminder fee", "I got a reminder with a fee although I paid on time.", "MEDIUM"),
        ],
        "de": [
            ("Doppelt abgebucht", "Mir wurde diesen Monat dieselbe Reparatur zweimal abgebucht.", "HIGH"),
            (
                "Rechnung ist falsch",
                "Auf der Rechnung stehen zwei Stunden Arbeit, der Techniker war aber nur 30 Minuten da.",
                "MEDIUM",
            ),
            (
                "Erstattung für abgesagten Termin",
                "Ich habe rechtzeitig abgesagt und trotzdem die Anfahrt bezahlt.",
                "MEDIUM",
            ),
            ("Zahlungsart ändern", "Ich möchte per Lastschrift statt mit Kreditkarte zahlen.", "LOW"),
            ("Rechnungskopie", "Können Sie mir eine Kopie der Rechnung für die Thermenwartung schicken?", "LOW"),
            ("Abo ist teurer geworden", "Warum ist mein Monatsabo teurer geworden?", "LOW"),
            (
                "Zahlung fehlgeschlagen",
                "Meine Zahlung ist fehlgeschlagen und das Konto steht auf überfällig.",
                "MEDIUM",
            ),
            ("Wechsel auf den Plus-Tarif", "Wie wechsle ich von Basic auf Plus und was kostet das?", "LOW"),
            ("Kostenvoranschlag", "Vor der Reparatur hätte ich gern einen Kostenvoranschlag.", "LOW"),
            ("Mahngebühr", "Ich habe eine Mahnung mit Gebühr bekommen, obwohl ich pünktlich gezahlt habe.", "MEDIUM"),
        ],
    },
    "account": {
        "en": [
            ("Cannot log in", "I cannot log in, the password reset email never arrives.", "MEDIUM"),
            ("Change my address", "We moved. Please update my address for future visits.", "LOW"),
            ("Change my email address", "I want to use a different email address for my account.", "LOW"),
            ("Delete my account", "Please delete my account and all my data.", "LOW"),
            ("Account locked", "My account is locked after too many attempts.", "MEDIUM"),
            ("Add my partner to the account", "Can my wife also manage the appointments in our account?", "LOW"),
            ("Phone number update", "My phone number changed, technicians cannot reach me.", "MEDIUM"),
            ("Two accounts by mistake", "I created two accounts by mistake, can you merge them?", "LOW"),
        ],
        "de": [
            (
                "Anmeldung geht nicht",
                "Ich kann mich nicht anmelden, die E-Mail zum Zurücksetzen kommt nie an.",
                "MEDIUM",
            ),
            ("Adresse ändern", "Wir sind umgezogen. Bitte ändern Sie meine Adresse für künftige Termine.", "LOW"),
            ("E-Mail-Adresse ändern", "Ich möchte eine andere E-Mail-Adresse für mein Konto verwenden.", "LOW"),
            ("Konto löschen", "Bitte löschen Sie mein Konto und alle meine Daten.", "LOW"),
            ("Konto gesperrt", "Mein Konto ist nach zu vielen Versuchen gesperrt.", "MEDIUM"),
            ("Partner zum Konto hinzufügen", "Kann meine Frau die Termine in unserem Konto auch verwalten?", "LOW"),
            (
                "Neue Telefonnummer",
                "Meine Telefonnummer hat sich geändert, die Techniker erreichen mich nicht.",
                "MEDIUM",
            ),
            (
                "Versehentlich zwei Konten",
                "Ich habe aus Versehen zwei Konten angelegt, können Sie die zusammenlegen?",
                "LOW",
            ),
        ],
    },
    "general": {
        "en": [
            ("Do you also do renovations?", "Do you also offer small renovation work like tiling?", "LOW"),
            ("Compliment for the technician", "The technician yesterday was great, please pass on my thanks.", "LOW"),
            ("Complaint about the technician", "The technician left a mess in the {room} and was rude.", "MEDIUM"),
            ("Which areas do you cover?", "Do you also come to Potsdam or only within Berlin?", "LOW"),
            ("Warranty question", "Is the repair from last month still under warranty?", "LOW"),
            ("Talk to a person", "I would like to talk to a real person about my contract.", "LOW"),
            ("Opening hours", "What are your opening hours on public holidays?", "LOW"),
            ("Feedback on the app", "The new booking page is confusing, I could not find the time windows.", "LOW"),
        ],
        "de": [
            ("Machen Sie auch Renovierungen?", "Bieten Sie auch kleinere Renovierungsarbeiten wie Fliesen an?", "LOW"),
            ("Lob für den Techniker", "Der Techniker gestern war super, bitte richten Sie meinen Dank aus.", "LOW"),
            (
                "Beschwerde über den Techniker",
                "Der Techniker hat im {room} Dreck hinterlassen und war unfreundlich.",
                "MEDIUM",
            ),
            ("Welche Gebiete?", "Kommen Sie auch nach Potsdam oder nur innerhalb Berlins?", "LOW"),
            ("Frage zur Garantie", "Ist die Reparatur vom letzten Monat noch in der Garantie?", "LOW"),
            ("Mit einem Menschen sprechen", "Ich möchte mit einer echten Person über meinen Vertrag sprechen.", "LOW"),
            ("Öffnungszeiten", "Wie sind Ihre Öffnungszeiten an Feiertagen?", "LOW"),
            (
                "Feedback zur App",
                "Die neue Buchungsseite ist verwirrend, ich habe die Zeitfenster nicht gefunden.",
                "LOW",
            ),
        ],
    },
}


def example(category: str, language: str, situation: tuple[str, str, str], rng: random.Random) -> tuple[str, str]:
    subject, body, _ = situation
    washes = "{washer}" in subject + body
    appliance, model, _ = rng.choice([a for a in APPLIANCES[language] if a[2] or not washes])
    values = {"room": rng.choice(ROOMS[language]), "appliance": appliance, "washer": appliance, "model": model}
    subject, body = subject.format(**values), body.format(**values)
    subject = subject[0].upper() + subject[1:]
    since = rng.choice(SINCE[language]) if category in TRIED else ""
    tried = rng.choice(TRIED[category][language]) if category in TRIED else ""
    text = " ".join(p for p in (body, since, tried) if p)
    opener, closing = rng.choice(OPENERS[language]), rng.choice(CLOSINGS[language])
    text = "\n".join(p for p in (opener, text, closing) if p)  # greeting and sign-off on their own lines
    if rng.random() < 0.15:  # customers do not always write carefully
        text = text.lower()
    return subject, text


def main() -> None:
    rng = random.Random(SEED)
    rows = []
    for category, languages in SITUATIONS.items():
        for language, situations in languages.items():
            for situation in situations:
                seen = set()
                for _ in range(PER_SITUATION):
                    subject, body = example(category, language, situation, rng)
                    if (subject, body) in seen:
                        continue
                    seen.add((subject, body))
                    joined = f"{subject} {body}" if subject[-1] in ".?!" else f"{subject}. {body}"
                    rows.append((joined, category, situation[2], language))
    rng.shuffle(rows)
    with (HERE / "tickets.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["text", "category", "priority", "language"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {HERE / 'tickets.csv'}")


if __name__ == "__main__":
    main()
