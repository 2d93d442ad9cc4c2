"""Case file: opening, need-to-know, involvement, consent, access log, list/search with constant queries."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from doorbraak.cases.models import Case, DomainScore, Involvement, Person, TimelineEntry
from doorbraak.core.models import AccessEvent, FormToken
from tests.cases.factories import CaseFactory, World, involve, login, score
from tests.factories import UserFactory
from tests.helpers.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

VALID_BSN = "999999990"  # 9*9+9*8+...: passes the eleven-test (test range)


def create_payload(world, **overrides):
    data = {
        "form_token": "0b7c7d2e-9d5b-4c55-9a52-0a0b8f0c1a11",
        "title": "Huurgarantie voor een kamer",
        "team": world.team.pk,
        "area": "Noord",
        "first_name": "Daan",
        "last_name": "Smits",
        "date_of_birth": "2004-02-01",
        "bsn": "",
        "question": "Ik wil een kamer huren maar niemand betaalt de eerste maand.",
        "tried": "Noodfonds gevraagd.",
        "funders": ["participatiewet", "wmo"],
        "score_housing": "1",
        "score_finances": "2",
    }
    data.update(overrides)
    return data


def test_lead_opens_case_with_member_scores_funders_and_is_involved(client):
    w = World()
    login(client, w.lead)
    response = client.post(reverse("cases:create"), create_payload(w, bsn=VALID_BSN))
    case = Case.objects.get(title="Huurgarantie voor een kamer")
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert VALID_BSN not in response["Location"]
    person = Person.objects.get(household=case.household)
    assert (person.first_name, person.bsn) == ("Daan", VALID_BSN)
    assert {s.domain: s.score for s in DomainScore.objects.filter(case=case)} == {"housing": 1, "finances": 2}
    assert sorted(case.funders.values_list("funder", flat=True)) == ["participatiewet", "wmo"]
    assert Involvement.objects.filter(case=case, user=w.lead, ended_at__isnull=True).exists()
    assert TimelineEntry.objects.filter(case=case, kind="case.opened").exists()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Ik wil een kamer huren" in page and "1 – Acute problematiek" in page
    assert VALID_BSN not in page  # the BSN is never shown


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("bsn", "123456789", "Dit is geen geldig BSN"),
        ("date_of_birth", "2999-01-01", "De geboortedatum ligt in de toekomst"),
        ("score_housing", "7", "Kies een score van 1 tot en met 5."),
        ("team", "999999", "Kies een team van uw gemeente."),
    ],
)
def test_bad_input_on_case_create_gets_dutch_message_and_keeps_input(client, field, value, message):
    w = World()
    login(client, w.lead)
    response = client.post(reverse("cases:create"), create_payload(w, **{field: value}))
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "Ik wil een kamer huren maar niemand betaalt de eerste maand." in body  # nothing typed is lost
    assert 'value="Daan"' in body
    assert not Case.objects.filter(title="Huurgarantie voor een kamer").exists()


def test_double_submit_of_case_form_creates_one_case(client):
    w = World()
    login(client, w.lead)
    payload = create_payload(w)
    client.post(reverse("cases:create"), payload)
    second = client.post(reverse("cases:create"), payload, follow=True)
    assert Case.objects.filter(title="Huurgarantie voor een kamer").count() == 1
    assert "Dit formulier was al verstuurd" in second.content.decode()
    assert FormToken.objects.count() == 1


def test_need_to_know_everyone_else_gets_404(client):
    w = World()
    url = reverse("cases:detail", args=[w.case.pk])
    for user, status in [
        (w.lead, 200),
        (w.pro, 200),
        (w.uninvolved, 404),
        (w.other_lead, 404),
        (w.stranger, 404),
        (w.approver, 404),
    ]:
        client.cookies.clear()
        login(client, user)
        assert client.get(url).status_code == status, user.role


def test_case_read_is_access_logged_with_pseudonym_not_id(client):
    w = World()
    login(client, w.pro)
    client.get(reverse("cases:detail", args=[w.case.pk]))
    row = AccessEvent.objects.get(event="case.read")
    assert row.action == AccessEvent.Action.READ and row.actor_id == w.pro.pk
    assert row.object_id == str(w.case.pk) and row.subject_pseudonym
    assert str(w.case.household_id) != row.subject_pseudonym


def test_list_shows_only_visible_cases_and_logs_one_search(client):
    w = World()
    hidden = CaseFactory(municipality=w.municipality, title="Geheime casus")
    login(client, w.pro)
    body = client.get(reverse("cases:list")).content.decode()
    assert w.case.title in body and hidden.title not in body
    assert AccessEvent.objects.filter(event="case.search", action=AccessEvent.Action.EXECUTE).count() == 1


def test_list_filters_status_domain_team_and_stuck_weeks(client):
    w = World()
    old = CaseFactory(
        municipality=w.municipality,
        team=w.team,
        title="Al lang vast",
        stuck_since=datetime.date.today() - datetime.timedelta(weeks=10),
    )
    score(old, "housing", 1, w.lead)
    CaseFactory(
        municipality=w.municipality,
        team=w.team,
        title="Net vast",
        stuck_since=datetime.date.today(),
        status=Case.Status.PLATFORM,
    )
    login(client, w.lead)
    url = reverse("cases:list")

    def titles(params):
        return [c.title for c in client.get(url, params).context["page"].object_list]

    assert titles({"stuck_weeks": 8}) == ["Al lang vast"]
    assert titles({"domain": "housing"}) == ["Al lang vast"]
    assert titles({"status": "platform"}) == ["Net vast"]
    assert set(titles({"team": w.team.pk})) == {"Al lang vast", "Net vast", w.case.title}
    # The search text is posted and kept in the session (never in the URL); the filters stay in the URL.
    response = client.post(url, {"q": "lang"}, follow=True)
    assert [c.title for c in response.context["page"].object_list] == ["Al lang vast"]
    assert response.redirect_chain == [(url, 302)]


def test_list_query_count_is_constant(client):
    w = World()
    login(client, w.lead)

    def make(n):
        for _ in range(n):
            case = CaseFactory(municipality=w.municipality, team=w.team)
            involve(case, UserFactory(municipality=w.municipality))
            score(case, "housing", 2, w.lead)

    client.get(reverse("cases:list"))  # warm up the session (first request loads and saves it)
    count = assert_constant_queries(make, lambda: client.get(reverse("cases:list")))
    assert count <= 20  # session, user, 2FA, access log, count, page, filter choices


def test_list_is_paginated(client):
    w = World()
    for _ in range(26):
        CaseFactory(municipality=w.municipality, team=w.team)
    login(client, w.lead)
    first = client.get(reverse("cases:list"))
    assert len(first.context["page"].object_list) == 25 and "Volgende pagina" in first.content.decode()
    assert len(client.get(reverse("cases:list"), {"pagina": 2}).context["page"].object_list) == 2


def test_add_professional_same_municipality_only(client):
    w = World()
    login(client, w.pro)
    url = reverse("cases:involvement_add", args=[w.case.pk])
    response = client.post(url, {"user": w.stranger.pk, "role_in_case": "woonconsulent"})
    assert response.status_code == 400
    assert "Deze professional hoort niet bij uw gemeente." in response.content.decode()
    assert 'value="woonconsulent"' in response.content.decode()
    client.post(url, {"user": w.uninvolved.pk, "role_in_case": "woonconsulent"})
    assert Involvement.objects.filter(case=w.case, user=w.uninvolved, ended_at__isnull=True).exists()
    client.cookies.clear()
    login(client, w.uninvolved)
    assert client.get(reverse("cases:detail", args=[w.case.pk])).status_code == 200


def test_involvement_ends_when_professional_leaves_and_when_case_closes(client):
    w = World()
    login(client, w.pro)
    inv = Involvement.objects.get(case=w.case, user=w.pro)
    client.post(reverse("cases:involvement_end", args=[w.case.pk, inv.pk]))
    assert client.get(reverse("cases:detail", args=[w.case.pk])).status_code == 404
    involve(w.case, w.uninvolved)
    client.cookies.clear()
    login(client, w.lead)
    client.post(reverse("cases:close", args=[w.case.pk]))
    assert not Involvement.objects.filter(case=w.case, ended_at__isnull=True).exists()
    client.cookies.clear()
    login(client, w.uninvolved)
    assert client.get(reverse("cases:detail", args=[w.case.pk])).status_code == 404


def test_rescoring_keeps_history(client):
    w = World()
    score(w.case, "housing", 1, w.lead, on=datetime.date(2026, 1, 5))
    login(client, w.pro)
    client.post(reverse("cases:scores_add", args=[w.case.pk]), {"score_housing": "4"})
    assert list(DomainScore.objects.filter(case=w.case, domain="housing").values_list("score", flat=True)) == [4, 1]
    bad = client.post(reverse("cases:scores_add", args=[w.case.pk]), {"score_housing": "0"})
    assert bad.status_code == 400 and "Kies een score van 1 tot en met 5." in bad.content.decode()


def test_consent_recorded_and_withdrawn(client):
    w = World()
    login(client, w.pro)
    client.post(
        reverse("cases:consent_add", args=[w.case.pk]),
        {"organisation": w.uninvolved.organisation_id, "scope": "woonsituatie", "given_on": "2026-01-10"},
    )
    consent = w.case.consents.get()
    assert consent.recorded_by == w.pro and consent.is_current
    client.post(reverse("cases:consent_withdraw", args=[w.case.pk, consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None


def test_member_with_future_birth_date_is_refused(client):
    w = World()
    login(client, w.pro)
    response = client.post(
        reverse("cases:member_add", args=[w.case.pk]),
        {"first_name": "Mila", "last_name": "Smits", "date_of_birth": "2999-01-01", "relation": "child"},
    )
    assert response.status_code == 400 and "De geboortedatum ligt in de toekomst" in response.content.decode()
    assert 'value="Mila"' in response.content.decode()


def test_bsn_never_in_log_timeline_or_pages(client):
    w = World()
    login(client, w.lead)
    client.post(reverse("cases:create"), create_payload(w, bsn=VALID_BSN))
    case = Case.objects.get(title="Huurgarantie voor een kamer")
    client.get(reverse("cases:detail", args=[case.pk]))
    client.post(reverse("cases:list"), {"q": "Daan"}, follow=True)
    for row in AccessEvent.objects.all():
        assert VALID_BSN not in " ".join(str(v) for v in row.__dict__.values())
    assert not TimelineEntry.objects.filter(summary__contains=VALID_BSN).exists()


@given(digits=st.text(alphabet="0123456789", min_size=9, max_size=9))
@settings(max_examples=60, deadline=None)
def test_member_form_accepts_exactly_the_bsns_that_pass_the_eleven_test(digits):
    from doorbraak.cases.forms import MemberForm
    from doorbraak.core.validators import is_valid_bsn

    form = MemberForm(
        {"first_name": "A", "last_name": "B", "date_of_birth": "2000-01-01", "bsn": digits, "relation": "child"}
    )
    assert form.is_valid() == is_valid_bsn(digits)


def test_case_detail_query_count_does_not_grow_with_people_scores_or_timeline(client):
    w = World()
    login(client, w.lead)
    url = reverse("cases:detail", args=[w.case.pk])
    client.get(url)

    def make(n):
        for i in range(n):
            involve(w.case, UserFactory(municipality=w.municipality))
            score(w.case, ["housing", "finances", "justice"][i % 3], 1 + i % 5, w.lead)
            TimelineEntry.objects.create(
                municipality=w.municipality, case=w.case, actor=w.pro, kind="note", summary=f"Gebeurtenis {i}"
            )

    assert_constant_queries(make, lambda: client.get(url))
