import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from doorbraak.core.scheduler import enqueue_due
from doorbraak.core.tasks import requeue_stale_tasks


class Command(BaseCommand):
    help = (
        "Zet periodieke taken (doorbraak/schedule.py) in de wachtrij zodra ze aan de beurt zijn, en taken van een "
        "gestopte worker opnieuw. Meerdere schedulers mogen tegelijk draaien: elke beurt gaat één keer in de "
        "wachtrij."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Eén ronde en dan stoppen (cron, tests).")
        parser.add_argument("--interval", type=float, default=20.0, help="Seconden tussen rondes (standaard 20).")

    def handle(self, *args, once=False, interval=20.0, **options):
        self.running = True

        def stop(signum, frame):
            self.running = False

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            stale = requeue_stale_tasks()
            if stale:
                self.stdout.write(f"Opnieuw in de wachtrij (worker gestopt): {stale} taak/taken")
            for name in enqueue_due():
                self.stdout.write(f"In de wachtrij: {name}")
            if once or not self.running:
                return
            slept = 0.0
            while self.running and slept < interval:
                time.sleep(min(1.0, interval - slept))
                slept += 1.0
            if not self.running:
                return
            close_old_connections()
