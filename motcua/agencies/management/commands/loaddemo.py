"""`manage.py loaddemo`: the demo province, its staff accounts and its catalogue (idempotent)."""
from django.core.management.base import BaseCommand

from motcua.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo organisation, staff accounts and procedure catalogue (safe to run again)."

    def handle(self, *args, **options):
        def progress(line):
            self.stdout.write(line)
            self.stdout.flush()

        report = load_demo(progress=progress)
        for line in report:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready. Every staff demo login uses the password {DEMO_PASSWORD}."))
