"""Notifications from the events the other apps already write (post_save receivers), delivered by e-mail through a
real SMTP server (aiosmtpd on 127.0.0.1): neutral subjects, no client names, an .ics with the invitation, delivery
status stored, a failing server means queued and retried (never lost), per-kind preferences and the daily digest,
and the daily scan."""

import datetime

import icalendar
import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from doorbraak.core.tasks import run_pending_tasks
from doorbraak.notifications import services, tasks
from doorbraak.notifications.models import EmailStatus, Kind, Notification, Preference
from doorbraak.platforms import services as platform_services
from tests.budget.factories import World as BudgetWorld
from tests.cases.factories import World, consent
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit_callbacks_run_at_once(monkeypatch):
    """The test's transaction never commits: run what services.notify hands to on_commit at once (the browser tests
    run with real commits)."""
    monkeypatch.setattr(services.transaction, "on_commit", lambda func, using=None, robust=False: func())


TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _texts(message) -> str:
    parts = [message["Subject"]]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(str(p) for p in parts)


def _invite(w, convened_on=TODAY + 3 * DAY):
    platform = make_platform(w.case, w.lead, convened_on=convened_on)
    platform_services.invite(w.lead, platform, w.pro, "woonconsulent")
    return platform


def test_invited_professional_gets_a_neutral_email_with_an_ics_that_parses_back(smtp_server):
    w = World()
    platform = _invite(w)
    notification = Notification.objects.get(user=w.pro, kind=Kind.INVITED)
    assert notification.link == f"/casussen/{w.case.pk}/platform/{platform.pk}/"
    assert notification.email_status == EmailStatus.SENT and notification.email_sent_at is not None
    [message] = smtp_server.messages
    assert message["To"] == w.pro.email
    assert message["Subject"] == "Doorbraak: Er staat een casusplatform voor u klaar"
    text = _texts(message)
    assert w.case.title not in text and "plek om te wonen" not in text  # no case content
    main = w.case.household.members.get()
    assert main.first_name not in text and main.last_name not in text  # no client names
    [ics_part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(ics_part.get_content())
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Casusplatform"
    assert event.decoded("DTSTART") == TODAY + 3 * DAY
    assert str(event["ATTENDEE"]) == f"mailto:{w.pro.email}"
    assert f"/casussen/{w.case.pk}/platform/{platform.pk}/" in str(event["URL"])


def test_the_chair_is_not_notified_of_their_own_platform_and_a_second_save_adds_nothing(smtp_server):
    w = World()
    _invite(w)
    assert not Notification.objects.filter(user=w.lead).exists()
    assert Notification.objects.filter(user=w.pro).count() == 1


def test_action_assigned_to_someone_else_notifies_them(smtp_server):
    w = World()
    platform = _invite(w)
    owner = platform.participants.get(user=w.pro)
    platform_services.add_action(w.lead, platform, what="Woning regelen", owner=owner, due_on=TODAY + 10 * DAY)
    n = Notification.objects.get(user=w.pro, kind=Kind.ACTION_ASSIGNED)
    assert n.email_status == EmailStatus.SENT
    assert smtp_server.messages[-1]["Subject"] == "Doorbraak: Er staat een actie voor u klaar"
    assert "Woning regelen" not in _texts(smtp_server.messages[-1])


def test_plan_submitted_approved_and_returned_reach_the_right_people(smtp_server):
    from doorbraak.budget import services as budget_services

    b = BudgetWorld()
    b.fund()
    plan = b.train_pass_plan()
    assert set(Notification.objects.filter(kind=Kind.PLAN_SUBMITTED).values_list("user_id", flat=True)) == {
        b.approver.pk,
        b.approver2.pk,
    }
    budget_services.return_plan(b.approver, plan, "Graag de besparing onderbouwen")
    returned = Notification.objects.get(kind=Kind.PLAN_RETURNED)
    assert returned.user == b.professional and returned.link == f"/casussen/{plan.case_id}/plan/"
    assert "besparing" not in _texts(smtp_server.messages[-1])
    budget_services.submit_plan(b.professional, plan)
    budget_services.approve_plan(b.approver, plan)
    assert Notification.objects.get(kind=Kind.PLAN_APPROVED).user == b.professional


def test_escalation_notifies_the_table_but_not_who_recorded_it(smtp_server):
    w = World()
    platform = _invite(w, convened_on=TODAY - 30 * DAY)
    platform_services.escalate(w.lead, platform, level="local", reason="Geen passende woning in de regio")
    assert list(Notification.objects.filter(kind=Kind.ESCALATION).values_list("user_id", flat=True)) == [w.pro.pk]


def test_in_app_only_sends_no_email_and_digest_sends_one_summary(smtp_server):
    w = World()
    Preference.objects.create(municipality=w.municipality, user=w.pro, kind=Kind.INVITED, delivery="app")
    Preference.objects.create(municipality=w.municipality, user=w.pro, kind=Kind.ACTION_ASSIGNED, delivery="digest")
    platform = _invite(w)
    owner = platform.participants.get(user=w.pro)
    for what in ("Woning regelen", "Schuldhulp bellen"):
        platform_services.add_action(w.lead, platform, what=what, owner=owner, due_on=TODAY + 10 * DAY)
    assert smtp_server.messages == []
    assert Notification.objects.get(kind=Kind.INVITED).email_status == EmailStatus.NONE
    assert set(Notification.objects.filter(kind=Kind.ACTION_ASSIGNED).values_list("email_status", flat=True)) == {
        EmailStatus.DIGEST
    }
    assert services.send_digests() == 1
    [digest] = smtp_server.messages
    assert digest["Subject"] == "Doorbraak: uw dagelijkse overzicht"
    body = _texts(digest)
    assert "Er staat een actie voor u klaar: 2" in body and "Woning regelen" not in body
    assert services.send_digests() == 0  # sent once


def test_a_failing_smtp_server_leaves_the_notification_queued_and_the_retry_sends_it(smtp_down, settings):
    w = World()
    _invite(w)  # inline (TASKS_EMAIL_INLINE): the request is not broken by the server being down
    n = Notification.objects.get(user=w.pro)
    assert n.email_status == EmailStatus.QUEUED and n.email_attempts == 1
    assert n.email_error == "ConnectionRefusedError"
    assert services.retry_queued(older_than_seconds=0) == 0  # still down
    assert Notification.objects.get(pk=n.pk).email_attempts == 2
    from aiosmtpd.controller import Controller

    from .conftest import Inbox

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_down)
    controller.start()
    try:
        assert services.retry_queued(older_than_seconds=0) == 1
    finally:
        controller.stop()
    n.refresh_from_db()
    assert n.email_status == EmailStatus.SENT and n.email_attempts == 3 and n.email_error == ""
    assert [m["To"] for m in inbox.messages] == [w.pro.email]


def test_through_the_queue_a_failed_send_is_a_failed_task_and_a_retry(smtp_down, settings):
    settings.TASKS_EMAIL_INLINE = False
    w = World()
    _invite(w)
    n = Notification.objects.get(user=w.pro)
    row = DBTaskResult.objects.get(task_path="doorbraak.notifications.tasks.send_notification_email")
    assert row.args_kwargs["args"] == [n.pk] and w.pro.email not in str(row.args_kwargs)
    run_pending_tasks()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert Notification.objects.get(pk=n.pk).email_status == EmailStatus.QUEUED


def test_after_the_last_attempt_it_is_marked_failed_but_stays_in_the_app(smtp_down, settings):
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 2
    w = World()
    _invite(w)
    services.retry_queued(older_than_seconds=0)
    n = Notification.objects.get(user=w.pro)
    assert n.email_status == EmailStatus.FAILED and n.email_attempts == 2 and n.read_at is None


def test_daily_scan_actions_due_tomorrow_evaluations_and_missed_loan_terms(smtp_server):
    from doorbraak.budget.models import Loan
    from doorbraak.cases.models import FollowUpMoment

    w = World()
    platform = _invite(w, convened_on=TODAY - 2 * DAY)
    owner = platform.participants.get(user=w.pro)
    platform_services.add_action(w.lead, platform, what="Bellen", owner=owner, due_on=TODAY + DAY)
    FollowUpMoment.objects.create(municipality=w.municipality, case=w.case, due_on=TODAY + DAY)
    b = BudgetWorld()
    fund = b.fund()
    plan = b.train_pass_plan()
    Loan.objects.create(
        municipality=b.municipality, plan=plan, fund=fund, amount_cents=100_00, condition="Werk", deadline=TODAY - DAY
    )
    made = tasks.scan_due_work.call()
    assert made == 3
    assert Notification.objects.filter(user=w.pro, kind=Kind.ACTION_DUE).count() == 1
    assert Notification.objects.filter(user=w.pro, kind=Kind.EVALUATION_DUE).count() == 1
    assert Notification.objects.get(kind=Kind.LOAN_TERM_MISSED).user == b.professional
    assert tasks.scan_due_work.call() == 0  # idempotent
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert "Doorbraak: Een actie van u moet morgen klaar zijn" in subjects


def test_story_waiting_for_approval_notifies_another_writer_on_the_case(smtp_server):
    from doorbraak.learning.models import Story
    from tests.cases.factories import involve

    w = World()
    involve(w.case, w.lead)
    Story.objects.create(municipality=w.municipality, case=w.case, text="Een verhaal", created_by=w.pro)
    assert list(Notification.objects.filter(kind=Kind.STORY_TO_APPROVE).values_list("user_id", flat=True)) == [
        w.lead.pk
    ]


def test_preferences_page_saves_per_kind_and_refuses_bad_input(client):
    from tests.cases.factories import login

    w = World()
    login(client, w.pro)
    data = {kind: "immediate" for kind in Kind.values}
    data[Kind.INVITED] = "digest"
    response = client.post("/meldingen/instellingen/", data)
    assert response.status_code == 302
    assert Preference.objects.get(user=w.pro, kind=Kind.INVITED).delivery == "digest"
    data[Kind.INVITED] = "fax"
    response = client.post("/meldingen/instellingen/", data)
    assert response.status_code == 400
    assert "Kies een van de mogelijkheden." in response.content.decode()
    assert Preference.objects.get(user=w.pro, kind=Kind.INVITED).delivery == "digest"


def test_mark_read_only_touches_own_notifications(client):
    from tests.cases.factories import login

    w = World()
    mine = services.notify(w.pro, Kind.INVITED, link="/", key="x")
    theirs = services.notify(w.lead, Kind.INVITED, link="/", key="x")
    login(client, w.pro)
    assert client.post(f"/meldingen/{theirs.pk}/gelezen/").status_code == 302
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    client.post(f"/meldingen/{mine.pk}/gelezen/")
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert timezone.now() >= Notification.objects.get(pk=mine.pk).read_at


_ = consent  # the factory module's helpers are used elsewhere
