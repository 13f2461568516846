"""`manage.py seed_demo`: demo data for `make run`, which calls it on every start.

Idempotent: every object is keyed on a natural key (email, slug, name; a ticket on customer +
subject) and only created when missing, so a second run adds nothing and keeps admin edits."""

from typing import Any

from django.core.management.base import BaseCommand

from tickets.management.demo.histories import TICKETS
from tickets.management.demo.playback import TicketPlayer
from tickets.management.demo.seeder import DemoSeeder


class Command(BaseCommand):
    help = "Load demo accounts, configuration, KB articles and ticket histories (safe to run repeatedly)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Seeding demo data…")
        seeder = DemoSeeder(self.stdout.write)
        seeder.run()
        TicketPlayer(seeder, self.stdout.write, self.style.WARNING).run(TICKETS)
        self.stdout.write("Demo data ready. Every demo account's password is “demo”.")
