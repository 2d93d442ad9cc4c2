"""A small worker-side scheduler (docs/tasks.md): cron expressions, the last due slot of a job, and
`enqueue_due`, which enqueues every job whose newest slot has not been enqueued yet. The list of jobs is
doorbraak/schedule.py. Several schedulers may run at once: a slot is claimed by one conditional UPDATE of the
job's ScheduledJob row, in the same transaction as the enqueue."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.utils import is_locked_database_exception

from .models_tasks import ScheduledJob

logger = logging.getLogger("doorbraak.tasks")

_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))


def _parse_field(text: str, lo: int, hi: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        base, _sep, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError(f"bad step in {text!r}")
        if base == "*":
            start, end = lo, hi
        elif "-" in base:
            start, end = (int(x) for x in base.split("-", 1))
        else:
            start = end = int(base)
        if not (lo <= start <= end <= hi):
            raise ValueError(f"{text!r} is outside {lo}-{hi}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, expression: str) -> Cron:
        parts = expression.split()
        if len(parts) != 5:
            raise ValueError(f"a cron expression has five fields: {expression!r}")
        fields = [_parse_field(p, lo, hi) for p, (lo, hi) in zip(parts, _RANGES, strict=True)]
        return cls(*fields, any_day=parts[2] == "*", any_weekday=parts[4] == "*")

    def day_matches(self, day: datetime.date) -> bool:
        if day.month not in self.months:
            return False
        in_days, in_weekdays = day.day in self.days, (day.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:  # cron: when both are restricted, either one matches
            return in_days and in_weekdays
        return in_days or in_weekdays

    def last_slot(self, now: datetime.datetime) -> datetime.datetime | None:
        """The newest minute at or before `now` (aware) that matches, in the local time zone; None when there
        is none within 400 days."""
        local = timezone.localtime(now).replace(second=0, microsecond=0)
        tz = local.tzinfo
        for offset in range(400):
            day = local.date() - datetime.timedelta(days=offset)
            if not self.day_matches(day):
                continue
            for hour in sorted(self.hours, reverse=True):
                for minute in sorted(self.minutes, reverse=True):
                    candidate = datetime.datetime.combine(day, datetime.time(hour, minute))
                    candidate = timezone.make_aware(candidate, tz) if timezone.is_naive(candidate) else candidate
                    if candidate <= local:
                        return candidate
        return None


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str  # dotted path of a django-tasks Task
    schedule: str  # cron expression
    cron: Cron = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "cron", Cron.parse(self.schedule))

    @property
    def task(self):
        return import_string(self.task_path)


def enqueue_due(jobs: list[Job] | None = None, now=None) -> list[str]:
    """Enqueue each job whose newest slot is later than the slot it was last enqueued for; returns the names
    enqueued. Safe with several schedulers: a slot is claimed by a conditional UPDATE (one winner)."""
    if jobs is None:
        from doorbraak.schedule import SCHEDULE

        jobs = SCHEDULE
    now = now or timezone.now()
    enqueued = []
    for job in jobs:
        slot = job.cron.last_slot(now)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                ScheduledJob.objects.get_or_create(name=job.name)
                claimed = (
                    ScheduledJob.objects.filter(name=job.name)
                    .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
                    .update(last_slot=slot, last_enqueued_at=now)
                )
                if not claimed:
                    continue
                result = job.task.enqueue()
                ScheduledJob.objects.filter(name=job.name).update(last_result_id=str(result.id)[:64])
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            # SQLite: another scheduler holds the write lock; this round skips the job, the next one sees
            # whether the other scheduler claimed the slot.
            logger.info("scheduler skipped %s this round: database locked", job.name)
            continue
        logger.info("scheduler enqueued %s for %s", job.name, slot.isoformat())
        enqueued.append(job.name)
    return enqueued
