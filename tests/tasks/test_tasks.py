"""The shared task helpers on the database backend: enqueue and a worker run, retry with backoff, failures in
the admin for superusers only, stale tasks requeued."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from doorbraak.core.models import AccessEvent, Role
from doorbraak.core.tasks import backoff_delay, requeue_stale_tasks, run_pending_tasks
from tests.cases.factories import login
from tests.factories import MunicipalityFactory, UserFactory
from tests.security.test_administration import make_admin
from tests.tasks import sample_tasks

pytestmark = pytest.mark.django_db


def test_enqueue_stores_the_task_and_a_worker_runs_it():
    result = sample_tasks.add.enqueue(2, 3)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "READY" and row.task_path == "tests.tasks.sample_tasks.add"
    assert run_pending_tasks() == 1
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.return_value == 5
    result.refresh()
    assert result.return_value == 5


def test_a_failed_task_is_retried_later_with_backoff_and_then_succeeds():
    sample_tasks.flaky.enqueue("once", 1)
    before = timezone.now()
    run_pending_tasks()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path == "builtins.RuntimeError" and "planned failure 1" in failed.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs == {"args": ["once", 1], "kwargs": {"attempt": 2}}
    assert retry.run_after >= before + datetime.timedelta(seconds=59)  # not at once: backoff
    assert run_pending_tasks() == 0  # not due yet
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    assert run_pending_tasks() == 1
    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL" and retry.return_value == "done"


def test_retries_stop_after_the_last_attempt():
    sample_tasks.flaky.enqueue("always", 99)
    for _ in range(5):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - datetime.timedelta(seconds=1))
        run_pending_tasks()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3  # max_attempts=3
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_backoff_doubles():
    assert [backoff_delay(n, 60).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_failures_are_listed_with_status_and_error_for_a_superuser_and_the_list_is_audited(client):
    sample_tasks.flaky.enqueue("admin", 99)
    run_pending_tasks()
    superuser = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True, municipality=MunicipalityFactory())
    login(client, superuser)
    assert "Taakresultaten" in client.get(reverse("admin:index")).content.decode()
    response = client.get(reverse("admin:core_taskresult_changelist") + "?status__exact=FAILED")
    assert response.status_code == 200
    body = response.content.decode()
    assert "flaky" in body and "RuntimeError" in body and "Failed" in body
    assert AccessEvent.objects.filter(event="admin.task_result.list", actor_id=superuser.pk).exists()
    failed = DBTaskResult.objects.get(status="FAILED")
    detail = client.get(reverse("admin:core_taskresult_change", args=[failed.pk]))
    assert detail.status_code == 200 and "planned failure 1" in detail.content.decode()


def test_a_municipal_administrator_and_a_professional_do_not_see_task_results(client):
    municipality = MunicipalityFactory()
    url = reverse("admin:core_taskresult_changelist")
    login(client, make_admin(municipality))
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("admin:index")).content.decode()
    client.logout()
    login(client, UserFactory(municipality=municipality))
    assert client.get(url).status_code in (302, 403)


def test_task_results_cannot_be_changed_in_the_admin(client):
    result = sample_tasks.add.enqueue(1, 1)
    superuser = get_user_model().objects.filter(pk=UserFactory(is_staff=True, is_superuser=True).pk).get()
    login(client, superuser)
    response = client.post(reverse("admin:core_taskresult_change", args=[result.id]), {"status": "SUCCESSFUL"})
    assert response.status_code == 403
    assert DBTaskResult.objects.get(id=result.id).status == "READY"


def test_a_task_whose_worker_died_is_put_back_in_the_queue_and_completes():
    result = sample_tasks.add.enqueue(4, 4)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    DBTaskResult.objects.filter(id=result.id).update(status="RUNNING", started_at=long_ago, worker_ids=["dead"])
    assert run_pending_tasks() == 0  # a running task is not picked up again
    assert requeue_stale_tasks(older_than_seconds=3600) == 1
    assert run_pending_tasks() == 1
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL" and row.return_value == 8 and "dead" in row.worker_ids


def test_a_recently_started_task_is_left_alone():
    result = sample_tasks.add.enqueue(1, 2)
    DBTaskResult.objects.filter(id=result.id).update(status="RUNNING", started_at=timezone.now())
    assert requeue_stale_tasks(older_than_seconds=3600) == 0
    assert DBTaskResult.objects.get(id=result.id).status == "RUNNING"


def test_backend_ready_is_true_with_the_table_and_false_without(monkeypatch):
    from doorbraak.core import tasks as core_tasks

    assert core_tasks.backend_ready() is True

    def broken():
        raise RuntimeError("no database")

    monkeypatch.setattr(core_tasks, "_db_results", broken)
    assert core_tasks.backend_ready() is False


# --- security-change e-mails go through the queue (SMTP is external) --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_security_email_is_queued_with_only_ids_and_sent_by_the_worker(settings, mailoutbox):
    from doorbraak.core.notifications import notify_security_change

    settings.TASKS_EMAIL_INLINE = False
    user = UserFactory(email="sanne@example.org")
    notify_security_change(user, "password_changed")
    assert mailoutbox == []  # not sent inside the request
    row = DBTaskResult.objects.get(task_path="doorbraak.core.tasks.send_security_email")
    assert row.args_kwargs["args"] == [user.pk, "password_changed"]
    assert "sanne@example.org" not in str(row.args_kwargs)
    assert run_pending_tasks() == 1
    assert [m.to for m in mailoutbox] == [["sanne@example.org"]]
    assert "wachtwoord" in mailoutbox[0].body.lower()


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_means_a_retry_not_a_lost_email(settings, monkeypatch, mailoutbox):
    from django.core.mail.backends.locmem import EmailBackend

    from doorbraak.core.notifications import notify_security_change

    settings.TASKS_EMAIL_INLINE = False
    user = UserFactory(email="sanne@example.org")
    original = EmailBackend.send_messages
    calls = []

    def down_once(self, messages):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionRefusedError("mail server down")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", down_once)
    notify_security_change(user, "second_factor_added")
    run_pending_tasks()
    assert mailoutbox == [] and DBTaskResult.objects.filter(status="FAILED").count() == 1
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    assert run_pending_tasks() == 1
    assert [m.to for m in mailoutbox] == [["sanne@example.org"]]


def test_inline_security_email_with_the_mail_server_down_does_not_break_the_request(settings, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    from doorbraak.core.models_auth import SecurityNotice
    from doorbraak.core.notifications import notify_security_change

    settings.TASKS_EMAIL_INLINE = True

    def down(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    user = UserFactory(email="sanne@example.org")
    notify_security_change(user, "password_changed")  # no exception
    assert SecurityNotice.objects.filter(user=user, kind="password_changed").exists()
