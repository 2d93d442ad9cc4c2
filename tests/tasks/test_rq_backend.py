"""The scale-out alternative: the same tasks on django-tasks-rq with Redis on 127.0.0.1:6379 (database 13 in the
SQLite pass, 12 in the PostgreSQL pass, so the two passes of make test can run at once; emptied first) and an RQ
worker (burst mode, in this process). Skipped when Redis does not answer."""

import pytest
from django.conf import settings
from django.test import override_settings

redis = pytest.importorskip("redis")
pytest.importorskip("django_tasks_rq")

REDIS_URL = "redis://127.0.0.1:6379/" + ("13" if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else "12")


@pytest.fixture
def rq_backend():
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    connection.flushdb()
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        RQ_QUEUES={"default": {"URL": REDIS_URL}},
    ):
        yield connection
    connection.flushdb()


def run_rq_worker():
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def test_enqueue_and_an_rq_worker_runs_it(rq_backend):
    from tests.tasks import sample_tasks

    result = sample_tasks.add.enqueue(20, 22)
    assert result.status == "READY"
    run_rq_worker()
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value == 42


def test_a_failure_is_recorded_and_the_retry_is_scheduled_with_backoff(rq_backend):
    import django_rq
    from rq.registry import ScheduledJobRegistry

    from tests.tasks import sample_tasks

    result = sample_tasks.flaky.enqueue("rq", 1)
    run_rq_worker()
    result.refresh()
    assert result.status == "FAILED" and result.errors[0].exception_class_path == "builtins.RuntimeError"
    registry = ScheduledJobRegistry(queue=django_rq.get_queue("default"))
    assert len(registry.get_job_ids()) == 1  # the second attempt waits for its run_after
