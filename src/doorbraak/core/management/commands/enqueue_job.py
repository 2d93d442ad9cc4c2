from django.core.management.base import BaseCommand, CommandError

from doorbraak.schedule import SCHEDULE


class Command(BaseCommand):
    help = "Zet één periodieke taak uit doorbraak/schedule.py nu in de wachtrij (of draai hem met --now)."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="Naam van de taak; zonder naam: de lijst.")
        parser.add_argument("--now", action="store_true", help="Draai de taak hier en nu, zonder worker.")

    def handle(self, *args, name=None, now=False, **options):
        jobs = {job.name: job for job in SCHEDULE}
        if not name:
            for job in SCHEDULE:
                self.stdout.write(f"{job.name:28} {job.schedule:14} {job.task_path}")
            return
        if name not in jobs:
            raise CommandError(f"Onbekende taak: {name}. Bekend: {', '.join(jobs)}")
        task = jobs[name].task
        if now:
            self.stdout.write(f"{name}: {task.call()!r}")
            return
        result = task.enqueue()
        self.stdout.write(f"{name}: in de wachtrij als taak {result.id}.")
