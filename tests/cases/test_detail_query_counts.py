"""Issue 15 point 3: the case page and the platform page run a small, fixed number of queries, the same with 2 as
with 20 members, scores, involvements, consents, participants and actions.

What the numbers are made of (both databases; inside the test transaction each atomic block adds a SAVEPOINT and a
RELEASE, outside it there are none):
- 3 auth: the session, the user, the second-factor device;
- 1 read of the case through the gate, with team, household, creator and municipality (the user's municipality is
  taken from it: cases.selectors.share_municipality), and 1 of the platform on the platform page;
- 3 + 2 savepoint statements of the access-log row: the chain head, the insert, the head update;
- the page's own rows, one query per kind of row (no query per row);
- no session save: the session is saved when it changes, and an active one changes at most once a minute
  (core.services_auth.touch_session; the counted request follows one a moment earlier). Before, the save was
  1 + 2 savepoint statements on every request (SESSION_SAVE_EVERY_REQUEST).
Before issue 15 point 3 the case page ran 25 and the platform page 22, and 23 and 20 with the session still saved
on every request: the municipality was read again for the
access log, the involvements in two queries, and the platform page asked the need-to-know gate a second time
(and once more for a participant: "is this user at the table").
"""

import datetime

import pytest
from django.urls import reverse

from doorbraak.cases.models import Consent, DomainScore, LifeDomain, Person, TimelineEntry
from doorbraak.platforms.models import PlatformAction, PlatformDecision, PlatformParticipant
from tests.cases.factories import World, involve, login
from tests.factories import OrganisationFactory, UserFactory
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db

CASE_PAGE = 20
PLATFORM_PAGE = 17
TODAY = datetime.date.today()


def _grow_case(w, n):
    case, m = w.case, w.municipality
    for i in range(n):
        Person.objects.create(
            municipality=m,
            household=case.household,
            first_name=f"Lid{i}",
            last_name="Test",
            relation="child",
            date_of_birth=datetime.date(2010, 1, 1),
        )
        DomainScore.objects.create(
            municipality=m,
            case=case,
            domain=list(LifeDomain.values)[i % len(LifeDomain.values)],
            score=3,
            scored_by=w.lead,
            scored_on=TODAY - datetime.timedelta(days=i),
        )
        pro = UserFactory(municipality=m, team=w.team, organisation=OrganisationFactory(municipality=m))
        involve(case, pro)
        Consent.objects.create(
            municipality=m, case=case, organisation=pro.organisation, scope="alles", given_on=TODAY, recorded_by=w.lead
        )
        TimelineEntry.objects.create(municipality=m, case=case, actor=pro, kind="note", summary=f"Regel {i}")
    return f"Lid{n - 1}"


def _grow_platform(w, platform, n):
    m = w.municipality
    for i in range(n):
        pro = UserFactory(municipality=m, team=w.team, organisation=OrganisationFactory(municipality=m))
        involve(w.case, pro)
        owner = PlatformParticipant.objects.create(
            municipality=m, platform=platform, user=pro, organisation=pro.organisation, role="deelnemer"
        )
        PlatformAction.objects.create(
            municipality=m, platform=platform, what=f"Actie {i}", owner=owner, due_on=TODAY, created_by=w.lead
        )
        PlatformDecision.objects.create(municipality=m, platform=platform, text=f"Besluit {i}", decided_by=w.lead)
    return f"Actie {n - 1}"


@pytest.mark.parametrize("who", ["lead", "pro"])
def test_case_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, who):
    w = World()
    _grow_case(w, 2)
    url = reverse("cases:detail", args=[w.case.pk])
    login(client, getattr(w, who))
    assert client.get(url).status_code == 200  # warms per-process caches
    with django_assert_num_queries(CASE_PAGE):
        assert client.get(url).status_code == 200
    shown = _grow_case(w, 20)
    with django_assert_num_queries(CASE_PAGE):
        response = client.get(url)
    assert shown in response.content.decode()


@pytest.mark.parametrize("who", ["lead", "pro"])
def test_platform_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, who):
    w = World()
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    _grow_platform(w, platform, 2)
    url = reverse("platforms:detail", args=[w.case.pk, platform.pk])
    login(client, getattr(w, who))
    assert client.get(url).status_code == 200
    with django_assert_num_queries(PLATFORM_PAGE):
        assert client.get(url).status_code == 200
    shown = _grow_platform(w, platform, 20)
    with django_assert_num_queries(PLATFORM_PAGE):
        response = client.get(url)
    assert shown in response.content.decode()


def test_the_remembered_gate_is_forgotten_when_the_involvement_ends(client):
    """The case read through the gate is trusted for its reader in the same request, but not after the reader's
    involvement ended in that request (cases.services.end_involvement clears it)."""
    from doorbraak.cases import selectors, services
    from doorbraak.core.permissions import allowed

    w = World()
    case = selectors.get_case_for(w.pro, w.case.pk)
    assert allowed("cases.work_on", w.pro, case)
    services.end_involvement(w.pro, case, case.involvements.get(user=w.pro))
    assert not allowed("cases.work_on", w.pro, case)
    assert not allowed("cases.work_on", w.uninvolved, case)  # never trusted for another user
