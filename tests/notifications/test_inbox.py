"""The work inbox on the home page, per role: what needs the user, linking to where it is handled, a count in the
menu, only what the need-to-know gates allow, and a fixed number of queries whatever the data size."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from doorbraak.budget.models import Loan
from doorbraak.cases.models import FollowUpMoment
from doorbraak.core.models import AccessEvent, Role
from doorbraak.notifications import selectors, services
from doorbraak.notifications.models import Kind
from doorbraak.platforms.models import Escalation, PlatformAction
from tests.budget.factories import World as BudgetWorld
from tests.cases.factories import CaseFactory, World, involve, login
from tests.factories import UserFactory
from tests.helpers.queries import assert_constant_queries
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _sections(user) -> dict:
    return {s.key: s for s in selectors.inbox_for(user)}


def _overdue_platform(w, case=None, days=30, participants=()):
    return make_platform(case or w.case, w.lead, convened_on=TODAY - days * DAY, participants=participants)


def test_professional_sees_actions_evaluations_overdue_platforms_returned_plans_and_loans():
    b = BudgetWorld()
    fund = b.fund()
    plan = b.train_pass_plan()
    from doorbraak.budget import services as budget_services

    budget_services.return_plan(b.approver, plan, "Onderbouwing ontbreekt")
    Loan.objects.create(
        municipality=b.municipality, plan=plan, fund=fund, amount_cents=100_00, condition="Werk", deadline=TODAY - DAY
    )
    case = plan.case
    platform = make_platform(case, b.lead, convened_on=TODAY - 25 * DAY, participants=[b.professional])
    owner = platform.participants.get(user=b.professional)
    PlatformAction.objects.create(
        municipality=b.municipality,
        platform=platform,
        what="Woning regelen",
        owner=owner,
        due_on=TODAY - DAY,
        created_by=b.lead,
    )
    FollowUpMoment.objects.create(municipality=b.municipality, case=case, due_on=TODAY + 2 * DAY)
    sections = _sections(b.professional)
    assert list(sections) == ["notifications", "actions", "evaluations", "overdue_platforms", "returned_plans", "loans"]
    [action] = sections["actions"].items
    assert action.overdue and action.url == f"/casussen/{case.pk}/platform/{platform.pk}/"
    assert "Woning regelen" in action.label
    [moment] = sections["evaluations"].items
    assert moment.url == f"/casussen/{case.pk}/" and moment.ics_url.endswith(".ics") is False
    [overdue] = sections["overdue_platforms"].items
    assert overdue.note == "25 dagen aan tafel"
    assert [i.url for i in sections["returned_plans"].items] == [f"/casussen/{case.pk}/plan/"]
    assert [i.url for i in sections["loans"].items] == [f"/casussen/{case.pk}/plan/"]
    # the uninvolved professional of another team sees none of it
    outsider = _sections(b.outsider)
    assert all(not outsider[k].items for k in outsider if k != "notifications")


def test_lead_sees_the_teams_overdue_platforms_and_open_escalations_not_other_teams():
    w = World()
    platform = _overdue_platform(w)
    Escalation.objects.create(
        municipality=w.municipality, platform=platform, level="local", reason="Vast", recorded_by=w.lead
    )
    other = CaseFactory(municipality=w.municipality, created_by=w.other_lead)
    make_platform(other, w.other_lead, convened_on=TODAY - 40 * DAY)
    sections = _sections(w.lead)
    assert [i.url for i in sections["overdue_platforms"].items] == [f"/casussen/{w.case.pk}/platform/{platform.pk}/"]
    assert len(sections["escalations"].items) == 1
    assert not _sections(w.other_lead)["escalations"].items
    assert not _sections(w.stranger)["overdue_platforms"].items


def test_approver_sees_plans_waiting_within_their_mandate_only():
    from doorbraak.budget.models import MandateRule

    b = BudgetWorld()
    b.fund()
    plan = b.train_pass_plan()
    assert [i.url for i in _sections(b.approver)["plans_waiting"].items] == [f"/casussen/{plan.case_id}/plan/"]
    MandateRule.objects.create(
        municipality=b.municipality, role=Role.APPROVER, max_amount_cents=plan.requested_cents - 1
    )
    assert _sections(b.approver)["plans_waiting"].items == []


def test_policy_officer_sees_stories_to_publish_and_proposals_moderator_the_queue():
    from doorbraak.initiatives.models import Submission
    from doorbraak.learning.models import PolicyProposal, Story, Theme

    w = World()
    Story.objects.create(
        municipality=w.municipality,
        case=w.case,
        text="Verhaal",
        title="Een kamer",
        status="approved",
        approved_by=w.lead,
        approved_at=timezone.now(),
    )
    theme = Theme.objects.create(municipality=w.municipality, name="Wonen")
    PolicyProposal.objects.create(municipality=w.municipality, theme=theme, text="Urgentie voor jongeren")
    sections = _sections(w.policy)
    assert [i.label for i in sections["stories"].items] == ["Een kamer"]
    assert [i.label for i in sections["proposals"].items] == ["Urgentie voor jongeren"]
    moderator = UserFactory(municipality=w.municipality, role=Role.MODERATOR)
    Submission.objects.create(name="Buurtkamer", description="x")
    assert [i.label for i in _sections(moderator)["moderation"].items] == ["Aanmelding: Buurtkamer"]


def test_home_page_is_the_inbox_with_a_count_in_the_menu_and_logs_the_read(client):
    w = World()
    _overdue_platform(w, participants=[w.pro])
    services.notify(w.pro, Kind.INVITED, link="/casussen/", key="k")
    login(client, w.pro)
    page = client.get("/").content.decode()
    assert "Casusplatforms waarvan de drie weken voorbij zijn" in page and "drie weken voorbij" in page
    assert w.case.title in page and "Er staat een casusplatform voor u klaar" in page
    assert AccessEvent.objects.filter(event="notifications.inbox.read", actor_id=w.pro.pk).exists()
    page = client.get("/casussen/").content.decode()
    # one overdue platform + two new notifications (the invitation to it, and the one above)
    assert 'Overzicht <span class="db-count">(3)</span>' in page
    services.notify(w.pro, Kind.ACTION_ASSIGNED, link="/casussen/", key="k2")  # a new one clears the count
    assert "db-count" not in client.get("/casussen/").content.decode()


def test_a_user_without_a_municipality_gets_the_plain_home_page(client):
    superuser = UserFactory(
        municipality=None, team=None, organisation=None, role=Role.ADMIN, is_superuser=True, is_staff=True
    )
    login(client, superuser)
    cache.clear()
    page = client.get("/").content.decode()
    assert "Waar wilt u naartoe?" in page and "Nieuwe meldingen" not in page


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.LEAD])
def test_inbox_queries_do_not_grow_with_the_data(role):
    w = World()
    user = w.pro if role == Role.PROFESSIONAL else w.lead
    involve_lead = role == Role.LEAD

    def make(n):
        for _ in range(n):
            case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
            involve(case, w.pro)
            if involve_lead:
                involve(case, w.lead)
            platform = make_platform(case, w.lead, convened_on=TODAY - 30 * DAY, participants=[w.pro])
            owner = platform.participants.get(user=user)
            PlatformAction.objects.create(
                municipality=w.municipality,
                platform=platform,
                what="Bellen",
                owner=owner,
                due_on=TODAY,
                created_by=w.lead,
            )
            FollowUpMoment.objects.create(municipality=w.municipality, case=case, due_on=TODAY)
            Escalation.objects.create(
                municipality=w.municipality, platform=platform, level="local", reason="x", recorded_by=w.lead
            )
            services.notify(user, Kind.INVITED, link="/", key=f"p{platform.pk}")

    count = assert_constant_queries(make, lambda: selectors.inbox_for(user), sizes=(1, 12))
    assert count == 6 if role == Role.PROFESSIONAL else 7  # one query per section


def test_approver_inbox_queries_do_not_grow():
    b = BudgetWorld()
    b.fund(amount_cents=10_000_000_00)

    def make(n):
        for _ in range(n):
            b.train_pass_plan()

    # the queue reads the approver's mandate level (holder, levels, rules) once before the plans (issue 15: no
    # longer a second time for the section)
    assert assert_constant_queries(make, lambda: selectors.inbox_for(b.approver), sizes=(1, 11)) == 5


def test_platform_and_evaluation_ics_only_through_the_case_gate(client):
    import icalendar

    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY + 4 * DAY, participants=[w.pro])
    moment = FollowUpMoment.objects.create(municipality=w.municipality, case=w.case, due_on=TODAY + 9 * DAY)
    platform_url = f"/meldingen/agenda/casus/{w.case.pk}/platform/{platform.pk}/"
    moment_url = f"/meldingen/agenda/casus/{w.case.pk}/evaluatie/{moment.pk}/"
    login(client, w.pro)
    response = client.get(platform_url)
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="casusplatform.ics"'
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Casusplatform" and w.case.title.encode() not in response.content
    [event] = icalendar.Calendar.from_ical(client.get(moment_url).content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Evaluatiemoment" and event.decoded("DTSTART") == TODAY + 9 * DAY
    page = client.get("/meldingen/agenda/").content.decode()
    assert platform_url in page and moment_url in page
    # The platform page and the case page offer the same invitations where the meeting and the moment are shown.
    assert platform_url in client.get(f"/casussen/{w.case.pk}/platform/{platform.pk}/").content.decode()
    assert moment_url in client.get(f"/casussen/{w.case.pk}/").content.decode()
    for outsider in (w.uninvolved, w.stranger):
        login(client, outsider)
        assert client.get(platform_url).status_code == 404
        assert client.get(moment_url).status_code == 404
    assert (
        AccessEvent.objects.filter(outcome="denied", object_id=str(w.case.pk)).exists()
        or AccessEvent.objects.filter(outcome="denied").exists()
    )


def test_feed_secret_is_stored_only_as_a_hash_and_a_new_one_revokes_the_old(client):
    from doorbraak.notifications.models import CalendarFeed

    w = World()
    make_platform(w.case, w.lead, convened_on=TODAY + 4 * DAY, participants=[w.pro])
    first = services.new_calendar_secret(w.pro)
    assert CalendarFeed.objects.get(user=w.pro).secret_hash == services.hash_secret(first)
    assert first not in str(list(CalendarFeed.objects.values()))
    assert client.get(f"/meldingen/agenda/feed/{first}/").status_code == 200
    second = services.new_calendar_secret(w.pro)
    assert client.get(f"/meldingen/agenda/feed/{first}/").status_code == 404
    feed = client.get(f"/meldingen/agenda/feed/{second}/")
    assert feed.status_code == 200 and b"SUMMARY:Casusplatform" in feed.content
    assert w.case.title.encode() not in feed.content
    services.revoke_calendar_feed(w.pro)
    assert client.get(f"/meldingen/agenda/feed/{second}/").status_code == 404
