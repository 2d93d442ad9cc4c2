"""The approver's queue on the budget overview, read page first (issue 15 point 4): the same plans as the
plan gate grants, 25 a page in submission order, a seek for the next page, and a page cost that does not grow with
the queue."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doorbraak.budget import selectors
from doorbraak.budget.models import Plan
from doorbraak.cases.models import Case, Household, Involvement
from doorbraak.core.models import Role
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = timezone.now().replace(microsecond=0) - datetime.timedelta(days=30)


def _submitted(world, n, *, team=None, start=0, same_time_from=None):
    """n submitted plans; plan i submitted i minutes after BASE (from `same_time_from` on, all at one instant)."""
    plans = []
    for i in range(start, start + n):
        household = Household.objects.create(municipality=world.municipality, area="Noord")
        case = Case.objects.create(
            municipality=world.municipality,
            household=household,
            team=team or world.team,
            title=f"Casus {i:03}",
            question="Vraag",
            created_by=world.professional,
        )
        minute = i if same_time_from is None or i < same_time_from else same_time_from
        plans.append(
            Plan.objects.create(
                municipality=world.municipality,
                case=case,
                status=Plan.Status.SUBMITTED,
                requested_cents=1000,
                created_by=world.professional,
                submitted_by=world.professional,
                submitted_at=BASE + datetime.timedelta(minutes=minute),
            )
        )
    return plans


def _titles(html):
    block = html.split('id="awaiting"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"Casus \d{3}", block)


def _next_link(html):
    found = re.search(r'href="\?na=([^"#]+)#awaiting">Volgende plannen', html)
    return found and found.group(1)


def test_queue_pages_through_every_plan_once_in_submission_order_including_ties(world, login):
    # 60 plans; from the 24th on, all submitted at the same instant (the page boundaries fall inside the tie).
    _submitted(world, 60, same_time_from=24)
    client = login(world.approver)
    seen, after, pages = [], None, 0
    while True:
        html = client.get(reverse("budget:overview") + (f"?na={after}" if after else "")).content.decode()
        pages += 1
        seen += _titles(html)
        assert ("Naar de oudste plannen" in html) == (after is not None)
        after = _next_link(html)
        if not after:
            break
    assert pages == 3
    assert seen == [f"Casus {i:03}" for i in range(60)]


def test_queue_shows_the_oldest_first_and_a_bad_position_shows_them_again(world, login):
    _submitted(world, 30)
    client = login(world.approver)
    first = client.get(reverse("budget:overview")).content.decode()
    assert _titles(first) == [f"Casus {i:03}" for i in range(25)]
    for bad in ("x", "12-", "-5", "99999999999999999999-1", "1-2-3"):
        response = client.get(reverse("budget:overview"), {"na": bad})
        assert response.status_code == 200
        assert _titles(response.content.decode()) == _titles(first)


def test_queue_holds_the_same_plans_as_the_plan_gate(world):
    """The approver sees every submitted plan of the municipality, also of a team they are not in; the lead only
    those of visible cases; the professional none (not a reviewer); approved plans likewise."""
    other_team = TeamFactory(municipality=world.municipality)
    own = _submitted(world, 3)
    other = _submitted(world, 2, team=other_team, start=10)
    Plan.objects.filter(pk=own[0].pk).update(
        status=Plan.Status.APPROVED, approved_by=world.approver, approved_at=timezone.now()
    )
    Plan.objects.filter(pk=other[0].pk).update(
        status=Plan.Status.APPROVED, approved_by=world.approver, approved_at=timezone.now()
    )

    def gate(user, status):  # the query of plans_visible_to, per status (what the queue read before issue 15)
        return set(selectors.plans_visible_to(user).filter(status=status).values_list("pk", flat=True))

    for user in (world.approver, world.lead, world.professional):
        if user is not world.professional:
            assert {p.pk for p in selectors.plans_awaiting(user)} == gate(user, Plan.Status.SUBMITTED)
        assert {p.pk for p in selectors.approved_plans(user)} == gate(user, Plan.Status.APPROVED)
        # what the overview shows (a lead's read from the gate's two halves): the same plans, in the same order
        page = selectors.queue_page(selectors.plans_awaiting(user), None)
        assert [p.pk for p in selectors.awaiting_page(user, None).rows] == [p.pk for p in page.rows]
        assert [p.pk for p in selectors.running_plans(user)] == [p.pk for p in selectors.approved_plans(user)[:20]]
    assert {p.pk for p in selectors.plans_awaiting(world.approver)} == {own[1].pk, own[2].pk, other[1].pk}
    assert other[1].pk not in {p.pk for p in selectors.plans_awaiting(world.lead)}
    assert list(selectors.plans_awaiting(world.professional)) == []


def test_overview_cost_does_not_grow_with_the_queue(world, login):
    _submitted(world, 3)
    client = login(world.approver)
    client.get(reverse("budget:overview"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("budget:overview"))
    _submitted(world, 60, start=3)
    with CaptureQueriesContext(connection) as large:
        html = client.get(reverse("budget:overview")).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(_titles(html)) == 25


def _plan(world, title, *, team, submitted_by, requested_cents, minute, status=Plan.Status.SUBMITTED, involve=None):
    """A plan of a new case of `team` (its municipality), submitted `minute` minutes after BASE."""
    municipality = team.municipality
    household = Household.objects.create(municipality=municipality, area="Noord")
    case = Case.objects.create(
        municipality=municipality,
        household=household,
        team=team,
        title=title,
        question="Vraag",
        created_by=submitted_by,
    )
    if involve is not None:
        Involvement.objects.create(municipality=municipality, case=case, user=involve, role_in_case="betrokken")
    approved = status == Plan.Status.APPROVED
    return Plan.objects.create(
        municipality=municipality,
        case=case,
        status=status,
        requested_cents=requested_cents,
        created_by=submitted_by,
        submitted_by=submitted_by,
        submitted_at=BASE + datetime.timedelta(minutes=minute),
        approved_by=world.approver if approved else None,
        approved_at=timezone.now() if approved else None,
    )


def _queue_titles(client):
    seen, after = [], None
    while True:
        html = client.get(reverse("budget:overview") + (f"?na={after}" if after else "")).content.decode()
        seen += _titles(html)
        after = _next_link(html)
        if not after:
            return seen


def test_lead_queue_holds_exactly_the_plans_the_lead_may_approve_among_many(world, login, django_assert_num_queries):
    """Visible case (the lead's team, or another team's case the lead is involved in), within the lead's mandate and
    not the lead's own: in the queue, oldest first. Not: the lead's own plans, plans above the mandate (the next
    level's queue), other teams' plans, another municipality's, drafts and approved plans. The page costs the same
    number of queries with 5 other plans as with 45."""
    lead, pro = world.lead, world.professional
    mandate = selectors.mandate_of(lead)
    other_team = TeamFactory(municipality=world.municipality)
    other_pro = UserFactory(municipality=world.municipality, team=other_team, role=Role.PROFESSIONAL)
    elsewhere = TeamFactory()
    stranger = UserFactory(municipality=elsewhere.municipality, team=elsewhere, role=Role.PROFESSIONAL)
    expected, minute = [], 0

    def add(title, **kwargs):
        nonlocal minute
        minute += 1
        return _plan(world, title, minute=minute, **kwargs)

    def others(n):
        for _ in range(n):
            k = minute
            add(f"Casus {k:03}", team=world.team, submitted_by=lead, requested_cents=100)  # own
            add(f"Casus {k + 1:03}", team=world.team, submitted_by=pro, requested_cents=mandate + 1)  # above
            add(f"Casus {k + 2:03}", team=other_team, submitted_by=other_pro, requested_cents=100)  # not visible
            add(f"Casus {k + 3:03}", team=elsewhere, submitted_by=stranger, requested_cents=100)  # elsewhere
            add(f"Casus {k + 4:03}", team=world.team, submitted_by=pro, requested_cents=100, status=Plan.Status.DRAFT)

    others(1)
    for _ in range(3):
        plan = add(f"Casus {minute + 1:03}", team=world.team, submitted_by=pro, requested_cents=mandate)
        expected.append(plan.case.title)
        plan = add(f"Casus {minute + 1:03}", team=other_team, submitted_by=other_pro, requested_cents=1, involve=lead)
        expected.append(plan.case.title)
    add("Casus 900", team=world.team, submitted_by=pro, requested_cents=100, status=Plan.Status.APPROVED)
    client = login(lead)
    assert _queue_titles(client) == expected
    client.get(reverse("budget:overview"))
    with django_assert_num_queries(QUERIES_PER_OVERVIEW):
        client.get(reverse("budget:overview"))
    others(8)  # 40 plans more, none the lead may approve, submitted after the expected ones
    assert _queue_titles(client) == expected
    with django_assert_num_queries(QUERIES_PER_OVERVIEW):
        html = client.get(reverse("budget:overview")).content.decode()
    assert _titles(html) == expected
    assert [p.pk for p in selectors.awaiting_page(lead, None).rows] == [
        p.pk for p in selectors.queue_page(selectors.plans_awaiting(lead), None).rows
    ]
    assert {p.pk for p in selectors.plans_awaiting(lead)} == set(
        selectors.plans_visible_to(lead)
        .filter(status=Plan.Status.SUBMITTED, requested_cents__lte=mandate)
        .exclude(submitted_by=lead)
        .values_list("pk", flat=True)
    )


# The lead's overview: session, user and second factor, the access-log row, the funds, the mandate reads (for the
# queue filter and the page), the queue page and the running plans (each: the involved half, the team half, the rows
# with the gate), ... (no session save: an active session is saved at most once a minute); the same number however
# many plans the municipality holds.
QUERIES_PER_OVERVIEW = 22


def test_a_plan_carries_its_cases_team(world, login):
    """The lead's halves read the plan's team: a plan started without one gets its case's, and a plan of another
    team's case the lead is not involved in stays out of the lead's queue."""
    other_team = TeamFactory(municipality=world.municipality)
    own, other = _submitted(world, 1)[0], _submitted(world, 1, team=other_team, start=1)[0]
    assert (own.team_id, other.team_id) == (world.team.pk, other_team.pk) == (own.case.team_id, other.case.team_id)
    assert _queue_titles(login(world.lead)) == ["Casus 000"]
