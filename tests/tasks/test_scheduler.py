"""The scheduler: cron slots, each due job enqueued once (also with two schedulers), the schedule file."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from doorbraak.core.models import ScheduledJob
from doorbraak.core.scheduler import Cron, Job, enqueue_due
from doorbraak.core.tasks import run_pending_tasks
from doorbraak.schedule import SCHEDULE

AMS = ZoneInfo("Europe/Amsterdam")
JOBS = [
    Job("every_5", "tests.tasks.sample_tasks.add_nothing", "*/5 * * * *"),
    Job("nightly", "tests.tasks.sample_tasks.add_nothing", "30 2 * * *"),
]


def at(*args):
    return datetime.datetime(*args, tzinfo=AMS)


def test_cron_last_slot():
    assert Cron.parse("*/5 * * * *").last_slot(at(2026, 3, 4, 10, 7, 30)) == at(2026, 3, 4, 10, 5)
    assert Cron.parse("30 2 * * *").last_slot(at(2026, 3, 4, 2, 29)) == at(2026, 3, 3, 2, 30)
    assert Cron.parse("30 2 * * *").last_slot(at(2026, 3, 4, 2, 30)) == at(2026, 3, 4, 2, 30)
    assert Cron.parse("0 6 2 1 *").last_slot(at(2026, 1, 1, 23, 0)) == at(2025, 1, 2, 6, 0)
    assert Cron.parse("40 3 * * 0").last_slot(at(2026, 3, 4, 12, 0)) == at(2026, 3, 1, 3, 40)  # a Sunday
    for bad in ("* * * *", "61 * * * *", "*/0 * * * *", "a * * * *"):
        with pytest.raises(ValueError):
            Cron.parse(bad)


def test_the_schedule_file_is_valid_and_has_the_checkpoint_and_the_nightly_refresh():
    names = {job.name: job for job in SCHEDULE}
    assert len(names) == len(SCHEDULE)
    for job in SCHEDULE:
        assert job.task.enqueue  # the dotted path is a Task
    assert names["checkpoint_access_log"].schedule == "*/5 * * * *"
    assert names["refresh_learning_facts"].task_path == "doorbraak.learning.tasks.refresh_all_learning_facts"


@pytest.mark.django_db
def test_a_due_job_is_enqueued_once_per_slot():
    now = at(2026, 3, 4, 10, 7)
    assert enqueue_due(JOBS, now=now) == ["every_5", "nightly"]  # first start: the newest slot of each
    assert enqueue_due(JOBS, now=now + datetime.timedelta(minutes=1)) == []  # same slots
    assert enqueue_due(JOBS, now=at(2026, 3, 4, 10, 10)) == ["every_5"]
    assert enqueue_due(JOBS, now=at(2026, 3, 5, 2, 31)) == ["every_5", "nightly"]  # missed slots: once
    assert DBTaskResult.objects.filter(task_path="tests.tasks.sample_tasks.add_nothing").count() == 5
    job = ScheduledJob.objects.get(name="nightly")
    assert job.last_slot == at(2026, 3, 5, 2, 30) and job.last_result_id
    assert run_pending_tasks() == 5


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_enqueue_a_slot_once():
    now = at(2026, 3, 4, 10, 7)
    ScheduledJob.objects.create(name="every_5")
    ScheduledJob.objects.create(name="nightly")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def scheduler():
        try:
            barrier.wait()
            results.append(enqueue_due(JOBS, now=now))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(name for r in results for name in r) == ["every_5", "nightly"]
    assert DBTaskResult.objects.filter(task_path="tests.tasks.sample_tasks.add_nothing").count() == 2


@pytest.mark.django_db
def test_run_scheduler_once_enqueues_the_real_schedule_and_requeues_a_dead_workers_task():
    from tests.tasks import sample_tasks

    stale = sample_tasks.add.enqueue(1, 1)
    DBTaskResult.objects.filter(id=stale.id).update(
        status="RUNNING", started_at=datetime.datetime(2020, 1, 1, tzinfo=AMS)
    )
    call_command("run_scheduler", "--once")
    assert DBTaskResult.objects.get(id=stale.id).status == "READY"
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {
        "doorbraak.core.tasks.checkpoint_access_log",
        "doorbraak.learning.tasks.refresh_all_learning_facts",
        "doorbraak.core.form_tokens.purge_form_tokens",
        "doorbraak.initiatives.tasks.purge_submitter_data",
    } <= paths
    count = DBTaskResult.objects.count()
    call_command("run_scheduler", "--once")
    assert DBTaskResult.objects.count() == count
