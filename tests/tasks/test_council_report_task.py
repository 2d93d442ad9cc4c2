"""Issue 14: the council report PDF is made by a worker. Asking for it only stores a request and enqueues a task;
the worker writes the file outside MEDIA/STATIC; only learning users of the same municipality get it (others
404, logged); a failure is retried and then shown; old reports are purged with their files."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from doorbraak.core.models import AccessEvent
from doorbraak.core.tasks import run_pending_tasks
from doorbraak.learning import council_reports, report
from doorbraak.learning.models import CouncilReport
from tests.cases.factories import login
from tests.learning.test_dashboard import bare_world, filled  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

TASK_PATH = "doorbraak.learning.tasks.make_council_report"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = str(tmp_path / "private")
    return Path(settings.PRIVATE_FILES_ROOT)


def ask(client, period="van=2026-01&tot=2026-12"):  # issue 13: a grid period (a calendar year)
    return client.post(f"{reverse('learning:report_request')}?{period}", follow=True)


def test_asking_enqueues_and_the_worker_makes_the_pdf(client, filled, private_root):  # noqa: F811
    login(client, filled.policy)
    response = ask(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "De pdf staat in de wachtrij." in page and "Deze pagina ververst vanzelf" in page
    (row,) = CouncilReport.objects.all()
    assert row.status == "queued" and row.requested_by == filled.policy and not any(private_root.rglob("*.pdf"))
    (task,) = DBTaskResult.objects.filter(task_path=TASK_PATH)
    assert task.status == "READY" and task.args_kwargs["args"] == [str(row.pk)]  # only the id in the queue

    status_url = reverse("learning:report_status", args=[row.pk])
    assert client.get(status_url, {"formaat": "json"}).json() == {"status": "queued", "pending": True}
    assert run_pending_tasks() == 1
    row.refresh_from_db()
    assert row.status == "done" and row.size > 1000 and len(row.sha256) == 64
    stored = private_root / row.file_name
    assert stored.read_bytes().startswith(b"%PDF") and "media" not in row.file_name
    assert client.get(status_url, {"formaat": "json"}).json() == {"status": "done", "pending": False}

    page = client.get(status_url).content.decode()
    assert "De pdf is klaar." in page and "Download de raadsrapportage (pdf," in page
    download = client.get(reverse("learning:report_download", args=[row.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        f'filename="raadsrapportage-{filled.municipality.code}-2026-01-2026-12.pdf"' in download["Content-Disposition"]
    )
    assert AccessEvent.objects.filter(
        event="learning.council_report.download", object_id=str(row.pk), outcome="success"
    ).exists()
    # The report page lists it.
    listing = client.get(reverse("learning:report")).content.decode()
    assert status_url in listing and "Klaar" in listing


def test_a_double_click_asks_once(client, filled):  # noqa: F811
    login(client, filled.policy)
    ask(client)
    second = ask(client).content.decode()
    assert "wordt al gemaakt" in second
    assert CouncilReport.objects.count() == 1 and DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    # Another period is another report.
    ask(client, "van=2021-01&tot=2021-12")  # another year
    assert CouncilReport.objects.count() == 2


def test_only_learning_users_of_the_same_municipality_get_it(client, filled):  # noqa: F811
    other = bare_world()
    row, _created = council_reports.request_report(filled.policy, council_reports.analytics.default_period())
    run_pending_tasks()
    urls = [reverse("learning:report_status", args=[row.pk]), reverse("learning:report_download", args=[row.pk])]
    for outsider in (other.policy, filled.pro, filled.approver):
        login(client, outsider)
        for url in urls:
            assert client.get(url).status_code == 404
        if outsider.role != "policy":  # another municipality's policy officer may ask for their own report
            assert client.post(reverse("learning:report_request")).status_code == 404
    assert AccessEvent.objects.filter(outcome="denied", actor_id=other.policy.pk, reason="tenancy").exists()
    # The lead of the same municipality may (leads see the learning pages).
    login(client, filled.lead)
    assert client.get(urls[1]).status_code == 200
    # The service itself refuses too, whatever page is in front of it.
    with pytest.raises(Exception) as refused:
        council_reports.open_report(other.policy, row.pk)
    assert getattr(refused.value, "reason", "") == "tenancy"


def test_a_failure_is_retried_then_shown_with_a_retry_button(client, filled, settings, monkeypatch):  # noqa: F811
    settings.TASKS_MAX_ATTEMPTS = 2
    settings.TASKS_RETRY_DELAY_SECONDS = 0

    def broken(*args, **kwargs):
        raise RuntimeError("weasyprint broke")

    monkeypatch.setattr(report, "council_report_pdf", broken)
    login(client, filled.policy)
    ask(client)
    row = CouncilReport.objects.get()
    run_pending_tasks(max_tasks=1)
    row.refresh_from_db()
    assert row.status == "queued" and row.error == "RuntimeError" and row.attempts == 1
    waiting = client.get(reverse("learning:report_status", args=[row.pk])).content.decode()
    assert "Een eerdere poging is mislukt" in waiting
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    run_pending_tasks()
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 2 and row.file_name == ""
    page = client.get(reverse("learning:report_status", args=[row.pk])).content.decode()
    assert "Het maken van de pdf is mislukt." in page and "Opnieuw proberen" in page
    assert "weasyprint broke" not in page  # no internals shown
    assert client.get(reverse("learning:report_download", args=[row.pk])).status_code == 404
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="FAILED").count() == 2  # visible to the admin
    # Trying again after the fix makes a new report that succeeds.
    monkeypatch.undo()
    ask(client)
    run_pending_tasks()
    assert CouncilReport.objects.filter(status="done").count() == 1


def test_running_the_task_twice_changes_nothing(filled, private_root):  # noqa: F811
    row, _created = council_reports.request_report(filled.policy, council_reports.analytics.default_period())
    assert council_reports.make(str(row.pk)) == "done"
    row.refresh_from_db()
    first = (private_root / row.file_name).stat().st_mtime_ns
    assert council_reports.make(str(row.pk)) == "already done"
    assert (private_root / row.file_name).stat().st_mtime_ns == first


def test_old_reports_are_purged_with_their_files(filled, private_root, settings):  # noqa: F811
    settings.COUNCIL_REPORT_RETENTION_DAYS = 30
    period = council_reports.analytics.default_period()
    old, _ = council_reports.request_report(filled.policy, period)
    council_reports.make(str(old.pk))
    old.refresh_from_db()
    new, _ = council_reports.request_report(filled.lead, council_reports.analytics.Period(period.start, period.start))
    council_reports.make(str(new.pk))
    CouncilReport.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=31))
    old_file = private_root / old.file_name
    assert old_file.exists()
    assert council_reports.purge() == 1
    assert not old_file.exists() and list(CouncilReport.objects.values_list("pk", flat=True)) == [new.pk]


def test_an_expired_report_is_not_handed_out(client, filled, settings):  # noqa: F811
    row, _ = council_reports.request_report(filled.policy, council_reports.analytics.default_period())
    council_reports.make(str(row.pk))
    CouncilReport.objects.filter(pk=row.pk).update(finished_at=timezone.now() - datetime.timedelta(days=40))
    login(client, filled.policy)
    assert client.get(reverse("learning:report_download", args=[row.pk])).status_code == 404


def test_the_report_page_starts_no_work_and_the_pdf_request_is_a_post(client, filled):  # noqa: F811
    login(client, filled.policy)
    assert client.get(reverse("learning:report")).status_code == 200
    assert client.get(reverse("learning:report_request")).status_code == 405  # a GET never starts work
    assert not CouncilReport.objects.exists()
