"""System-barrier themes and policy proposals: who may do what, Dutch errors, suppression, tenancy."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from doorbraak.cases.models import CaseFunder
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from doorbraak.learning.insights import facts, protection
from doorbraak.learning.models import PolicyProposal, Theme, ThemeBlocker
from doorbraak.learning.themes import services
from doorbraak.platforms.models import PlatformBlocker, PlatformEvaluation
from tests.cases.factories import CaseFactory, World, login
from tests.factories import UserFactory
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def blocked_case(world, codes, funders=(), municipality=None):
    """A case of the world's team whose platform evaluation named these blocker codes."""
    m = municipality or world.municipality
    if m == world.municipality:
        case, lead = CaseFactory(municipality=m, team=world.team, created_by=world.lead), world.lead
    else:
        case, lead = CaseFactory(municipality=m), world.stranger
    platform = make_platform(case, lead)
    evaluation = PlatformEvaluation.objects.create(
        municipality=m, platform=platform, helped="x", client_satisfaction=7, professional_satisfaction=7
    )
    for code in codes:
        PlatformBlocker.objects.create(municipality=m, evaluation=evaluation, code=code)
    for funder in funders:
        CaseFunder.objects.create(municipality=m, case=case, funder=funder)
    return case


def theme_of(world, name, codes):
    theme = Theme.objects.create(municipality=world.municipality, name=name)
    for code in codes:
        ThemeBlocker.objects.create(municipality=world.municipality, theme=theme, code=code)
    return theme


def cell(html, label):
    match = re.search(rf">{re.escape(label)}</th><td class=\"utrecht-table__cell\">([^<]*)</td>", html)
    assert match, label
    return match[1]


@pytest.fixture
def world():
    return World()


# --- services: themes ---------------------------------------------------------------------------------------


def test_policy_officer_creates_a_theme_with_blocker_codes(world):
    theme = services.save_theme(
        world.policy, name="Geld", description="Wie betaalt?", codes=["unclear_funding", "funder_unclear"]
    )
    assert theme.municipality == world.municipality
    assert sorted(theme.blockers.values_list("code", flat=True)) == ["funder_unclear", "unclear_funding"]


@pytest.mark.parametrize("role", [Role.LEAD, Role.PROFESSIONAL, Role.APPROVER, Role.ADMIN])
def test_only_the_policy_officer_manages_themes(world, role):
    user = UserFactory(municipality=world.municipality, role=role)
    with pytest.raises(PermissionDenied):
        services.save_theme(user, name="Geld", codes=["unclear_funding"])
    assert not Theme.objects.exists()


def test_a_code_belongs_to_one_theme_per_municipality_with_a_dutch_error(world):
    services.save_theme(world.policy, name="Plekken", codes=["no_places"])
    with pytest.raises(RuleError) as exc:
        services.save_theme(world.policy, name="Aanbod", codes=["no_places", "not_heard"])
    assert exc.value.field == "codes"
    assert "‘Geen plekken’ hoort al bij het thema ‘Plekken’" in str(exc.value)
    assert not Theme.objects.filter(name="Aanbod").exists()  # nothing half-saved


def test_the_same_code_may_be_used_by_another_municipality(world):
    services.save_theme(world.policy, name="Plekken", codes=["no_places"])
    other_policy = UserFactory(municipality=world.stranger.municipality, role=Role.POLICY)
    theme = services.save_theme(other_policy, name="Plekken", codes=["no_places"])
    assert theme.municipality == world.stranger.municipality


def test_the_database_refuses_a_code_twice_in_one_municipality(world):
    first = theme_of(world, "Regels", ["rules_clash"])
    second = theme_of(world, "Geld", [])
    with pytest.raises(IntegrityError), transaction.atomic():
        ThemeBlocker.objects.create(municipality=world.municipality, theme=second, code="rules_clash")
    assert first.blockers.count() == 1


def test_duplicate_theme_name_is_refused_in_dutch(world):
    services.save_theme(world.policy, name="Regels", codes=[])
    with pytest.raises(RuleError) as exc:
        services.save_theme(world.policy, name="regels", codes=[])
    assert exc.value.field == "name"
    assert "Er is al een thema met de naam" in str(exc.value)


def test_editing_a_theme_frees_the_codes_it_drops(world):
    rules = services.save_theme(world.policy, name="Regels", codes=["rules_clash", "pinching_rules"])
    services.save_theme(world.policy, theme=rules, name="Regels die botsen", codes=["rules_clash"])
    rules.refresh_from_db()
    assert rules.name == "Regels die botsen"
    assert list(rules.blockers.values_list("code", flat=True)) == ["rules_clash"]
    knel = services.save_theme(world.policy, name="Knellend", codes=["pinching_rules"])
    assert list(knel.blockers.values_list("code", flat=True)) == ["pinching_rules"]


def test_a_theme_of_another_municipality_cannot_be_edited(world):
    other = Theme.objects.create(municipality=world.stranger.municipality, name="Elders")
    with pytest.raises(PermissionDenied):
        services.save_theme(world.policy, theme=other, name="Van mij", codes=[])


# --- services: proposals ------------------------------------------------------------------------------------


def test_lead_proposes_and_policy_officer_adopts_once(world):
    theme = theme_of(world, "Geld", ["unclear_funding"])
    proposal = services.propose(world.lead, theme, text="Eén potje voor maatwerk.")
    assert proposal.status == PolicyProposal.Status.PROPOSED
    services.decide(world.policy, proposal, status="adopted", decided_on=TODAY, note="In de kadernota.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_on, proposal.decided_by) == ("adopted", TODAY, world.policy)
    with pytest.raises(RuleError) as exc:
        services.decide(world.policy, proposal, status="rejected", decided_on=TODAY, note="Toch niet.")
    assert "Over dit voorstel is al besloten: overgenomen op" in str(exc.value)
    proposal.refresh_from_db()
    assert proposal.status == "adopted" and proposal.decision_note == "In de kadernota."


def test_a_stale_copy_of_a_decided_proposal_cannot_be_decided_again(world):
    theme = theme_of(world, "Geld", [])
    proposal = services.propose(world.policy, theme, text="Voorstel")
    stale = PolicyProposal.objects.get(pk=proposal.pk)
    services.decide(world.policy, proposal, status="rejected", decided_on=TODAY, note="Past niet.")
    with pytest.raises(RuleError):
        services.decide(world.policy, stale, status="adopted", decided_on=TODAY, note="Toch wel.")
    assert PolicyProposal.objects.get(pk=proposal.pk).status == "rejected"


def test_only_the_policy_officer_decides(world):
    proposal = services.propose(world.lead, theme_of(world, "Geld", []), text="Voorstel")
    with pytest.raises(PermissionDenied):
        services.decide(world.lead, proposal, status="adopted", decided_on=TODAY, note="Ja")
    professional = world.pro
    with pytest.raises(PermissionDenied):
        services.propose(professional, proposal.theme, text="Ik ook")


@pytest.mark.parametrize(
    "status,decided_on,note,field,message",
    [
        (
            "adopted",
            TODAY + datetime.timedelta(days=1),
            "Ja",
            "decided_on",
            "De datum van het besluit ligt in de toekomst",
        ),
        ("adopted", TODAY - datetime.timedelta(days=30), "Ja", "decided_on", "vóór de datum van het voorstel"),
        ("proposed", TODAY, "Ja", "status", "Kies of het voorstel is overgenomen of afgewezen"),
        ("adopted", TODAY, "  ", "decision_note", "Licht het besluit kort toe"),
    ],
)
def test_bad_decisions_are_refused_in_dutch(world, status, decided_on, note, field, message):
    proposal = services.propose(world.lead, theme_of(world, "Geld", []), text="Voorstel")
    with pytest.raises(RuleError) as exc:
        services.decide(world.policy, proposal, status=status, decided_on=decided_on, note=note)
    assert exc.value.field == field
    assert message in str(exc.value)
    assert PolicyProposal.objects.get(pk=proposal.pk).status == "proposed"


def test_the_database_requires_a_date_for_a_decision(world):
    theme = theme_of(world, "Geld", [])
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyProposal.objects.create(municipality=world.municipality, theme=theme, text="x", status="adopted")


def test_no_proposals_for_a_theme_of_another_municipality(world):
    other = Theme.objects.create(municipality=world.stranger.municipality, name="Elders")
    with pytest.raises(PermissionDenied):
        services.propose(world.lead, other, text="Voorstel")


# --- pages: suppression -------------------------------------------------------------------------------------


def refresh(world):
    """Issue 13: theme counts are protected cells, built by the facts refresh."""
    facts.refresh_facts(world.municipality)


def near(html_value, true):
    return html_value.isdigit() and abs(int(html_value) - true) <= protection.MAX_NOISE


def test_a_theme_with_three_cases_shows_less_than_ten_never_three(client, world):
    theme = theme_of(world, "Plekken", ["no_places"])
    for _ in range(3):
        blocked_case(world, ["no_places"], funders=["wmo"])
    refresh(world)
    login(client, world.policy)
    for url in [reverse("learning:themes"), reverse("learning:theme_detail", args=[theme.pk])]:
        html = client.get(url).content.decode()
        assert "&lt;10" in html
        assert ">3<" not in html
    html = client.get(reverse("learning:theme_detail", args=[theme.pk])).content.decode()
    assert re.search(r'id="theme-cases">&lt;10<', html)
    assert cell(html, "Wmo 2015 (gemeente)") == "&lt;10"


def test_a_case_with_two_codes_of_the_theme_counts_once(client, world):
    theme = theme_of(world, "Regels", ["rules_clash", "pinching_rules"])
    for _ in range(10):
        blocked_case(world, ["rules_clash", "pinching_rules"])
    blocked_case(world, ["not_heard"])  # another theme's code: not counted here
    refresh(world)
    login(client, world.policy)
    html = client.get(reverse("learning:theme_detail", args=[theme.pk])).content.decode()
    assert re.search(r'id="theme-cases">10<', html)  # a true 10 is never perturbed below 10, nor above (table)


def test_funders_table_shows_protected_cells_and_no_total(client, world):
    """Issue 13 (deliberate change): no secondary "x" and no total row: every figure is a perturbed cell, so
    15 - 12 gives noise, not the small cell (tests/learning/test_attack_protected.py)."""
    theme = theme_of(world, "Geld", ["unclear_funding"])
    for _ in range(12):
        blocked_case(world, ["unclear_funding"], funders=["wmo"])
    for _ in range(3):
        blocked_case(world, ["unclear_funding"], funders=["wlz"])
    refresh(world)
    login(client, world.policy)
    html = client.get(reverse("learning:theme_detail", args=[theme.pk])).content.decode()
    assert near(re.search(r'id="theme-cases">(\d+)<', html)[1], 15)
    assert cell(html, "Wet langdurige zorg (Wlz)") == "&lt;10"
    assert near(cell(html, "Wmo 2015 (gemeente)"), 12)
    assert "Totaal (vermeldingen)" not in html and ">3<" not in html
    assert "Afgeronde en licht verstoorde aantallen" in html


def test_funders_table_shows_the_same_cell_for_the_same_cases(client, world):
    theme = theme_of(world, "Geld", ["unclear_funding"])
    for _ in range(12):
        blocked_case(world, ["unclear_funding"], funders=["wmo", "wlz"])
    refresh(world)
    login(client, world.policy)
    html = client.get(reverse("learning:theme_detail", args=[theme.pk])).content.decode()
    wmo, wlz = cell(html, "Wmo 2015 (gemeente)"), cell(html, "Wet langdurige zorg (Wlz)")
    assert near(wmo, 12) and wmo == wlz  # the same 12 cases: the same cell key, the same noise


def test_cases_are_counted_never_named(client, world):
    theme = theme_of(world, "Geld", ["unclear_funding"])
    cases = [blocked_case(world, ["unclear_funding"], funders=["wmo"]) for _ in range(11)]
    for i, case in enumerate(cases):
        case.household.members.update(first_name=f"Quirina{i}", last_name=f"Zwanenburg{i}")
    login(client, world.policy)
    html = client.get(reverse("learning:theme_detail", args=[theme.pk])).content.decode()
    for case in cases:
        assert case.title not in html
        assert f"/casussen/{case.pk}/" not in html
        assert case.household.members.first().last_name not in html
    assert "Quirina" not in html and "Zwanenburg" not in html


def test_other_municipalities_are_not_counted(client, world):
    theme = theme_of(world, "Plekken", ["no_places"])
    for _ in range(12):
        blocked_case(world, ["no_places"], municipality=world.stranger.municipality)
    refresh(world)
    facts.refresh_facts(world.stranger.municipality)
    login(client, world.policy)
    html = client.get(reverse("learning:themes")).content.decode()
    assert re.search(
        rf'{theme.name}</a></th>\s*<td class="utrecht-table__cell">Geen plekken</td>\s*'
        r'<td class="utrecht-table__cell">0</td>',
        html,
    )


# --- pages: list, forms, proposals --------------------------------------------------------------------------


def test_list_shows_codes_proposals_per_status_and_unthemed_codes(client, world):
    theme = theme_of(world, "Geld", ["unclear_funding", "funder_unclear"])
    services.propose(world.lead, theme, text="Een")
    services.propose(world.lead, theme, text="Twee")
    adopted = services.propose(world.lead, theme, text="Drie")
    services.decide(world.policy, adopted, status="adopted", decided_on=TODAY, note="Ja")
    login(client, world.lead)
    html = client.get(reverse("learning:themes")).content.decode()
    assert "Onduidelijke financiering, Onduidelijk wie betaalt" in html
    row = re.search(r"Geld</a></th>(.*?)</tr>", html, re.S)[1]
    assert re.findall(r'<td class="utrecht-table__cell">([^<]*)</td>', row) == [
        "Onduidelijke financiering, Onduidelijk wie betaalt",
        "0",
        "2",
        "1",
        "0",
    ]
    unthemed = html.split("Blokkades zonder thema")[1]
    for label in ["Knellende regels", "Geen plekken", "Niet gehoord worden"]:
        assert label in unthemed
    assert "Onduidelijk wie betaalt" not in unthemed
    assert "Nieuw thema" not in html  # the lead does not manage themes


def test_policy_officer_creates_a_theme_in_the_form_and_sees_a_taken_code_error(client, world):
    theme_of(world, "Plekken", ["no_places"])
    login(client, world.policy)
    url = reverse("learning:theme_create")
    page = client.get(url).content.decode()
    assert "Geen plekken (nu bij thema ‘Plekken’)" in page
    response = client.post(url, {"name": "Aanbod", "description": "Te weinig", "codes": ["no_places", "not_heard"]})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "‘Geen plekken’ hoort al bij het thema ‘Plekken’" in html
    assert 'value="Aanbod"' in html  # input kept
    response = client.post(url, {"name": "Aanbod", "codes": ["not_heard"]})
    theme = Theme.objects.get(name="Aanbod")
    assert response.status_code == 302 and response["Location"] == reverse("learning:theme_detail", args=[theme.pk])


def test_lead_cannot_open_the_theme_form_and_professional_sees_nothing(client, world):
    theme = theme_of(world, "Geld", [])
    login(client, world.lead)
    assert client.get(reverse("learning:theme_create")).status_code == 403
    assert client.get(reverse("learning:theme_edit", args=[theme.pk])).status_code == 403
    assert client.get(reverse("learning:theme_detail", args=[theme.pk])).status_code == 200
    login(client, world.pro)
    for url in [
        reverse("learning:themes"),
        reverse("learning:theme_detail", args=[theme.pk]),
        reverse("learning:proposal_create", args=[theme.pk]),
    ]:
        assert client.get(url).status_code == 404


def test_edit_form_keeps_the_own_codes_and_saves(client, world):
    theme = theme_of(world, "Geld", ["unclear_funding"])
    login(client, world.policy)
    url = reverse("learning:theme_edit", args=[theme.pk])
    html = client.get(url).content.decode()
    assert re.search(r'value="unclear_funding"[^>]*checked', html)
    assert "nu bij thema ‘Geld’" not in html
    client.post(url, {"name": "Geld en potjes", "codes": ["unclear_funding", "funder_unclear"]})
    theme.refresh_from_db()
    assert theme.name == "Geld en potjes" and theme.blockers.count() == 2


def test_decision_in_the_future_is_shown_in_dutch_and_keeps_the_input(client, world):
    proposal = services.propose(world.lead, theme_of(world, "Geld", []), text="Eén potje")
    login(client, world.policy)
    url = reverse("learning:proposal_decide", args=[proposal.pk])
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    response = client.post(url, {"status": "adopted", "decided_on": future, "decision_note": "Akkoord"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "De datum van het besluit ligt in de toekomst" in html
    assert f'value="{future}"' in html and "Akkoord" in html
    response = client.post(url, {"status": "adopted", "decided_on": TODAY.isoformat(), "decision_note": "Akkoord"})
    assert response.status_code == 302
    html = client.get(reverse("learning:theme_detail", args=[proposal.theme_id])).content.decode()
    assert "Status: Overgenomen" in html and "Akkoord" in html


def test_a_decided_proposal_page_says_so_and_a_second_decision_is_refused(client, world):
    proposal = services.propose(world.lead, theme_of(world, "Geld", []), text="Eén potje")
    services.decide(world.policy, proposal, status="rejected", decided_on=TODAY, note="Te duur")
    login(client, world.policy)
    url = reverse("learning:proposal_decide", args=[proposal.pk])
    html = client.get(url).content.decode()
    assert "Over dit voorstel is al besloten: afgewezen op" in html
    assert "<form" not in html.split("</header>")[1]
    response = client.post(url, {"status": "adopted", "decided_on": TODAY.isoformat(), "decision_note": "Toch"})
    assert response.status_code == 400
    assert "Over dit voorstel is al besloten" in response.content.decode()
    assert PolicyProposal.objects.get(pk=proposal.pk).status == "rejected"


def test_lead_proposes_in_the_form_and_may_not_decide(client, world):
    theme = theme_of(world, "Geld", [])
    login(client, world.lead)
    response = client.post(reverse("learning:proposal_create", args=[theme.pk]), {"text": "Eén potje"})
    assert response.status_code == 302
    proposal = PolicyProposal.objects.get()
    assert proposal.created_by == world.lead
    html = client.get(reverse("learning:theme_detail", args=[theme.pk])).content.decode()
    assert "Status: Voorgesteld" in html and "Besluit vastleggen" not in html
    assert client.get(reverse("learning:proposal_decide", args=[proposal.pk])).status_code == 403


def test_empty_proposal_shows_a_dutch_error(client, world):
    theme = theme_of(world, "Geld", [])
    login(client, world.lead)
    response = client.post(reverse("learning:proposal_create", args=[theme.pk]), {"text": ""})
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()


# --- tenancy ------------------------------------------------------------------------------------------------


@pytest.mark.scoped
def test_themes_and_proposals_of_another_municipality_are_404(client):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        world = World()
        other = Theme.objects.create(municipality=world.stranger.municipality, name="Elders")
        proposal = PolicyProposal.objects.create(municipality=other.municipality, theme=other, text="Elders")
        mine = theme_of(world, "Hier", [])
    login(client, world.policy)
    assert client.get(reverse("learning:theme_detail", args=[mine.pk])).status_code == 200
    for url in [
        reverse("learning:theme_detail", args=[other.pk]),
        reverse("learning:theme_edit", args=[other.pk]),
        reverse("learning:proposal_create", args=[other.pk]),
        reverse("learning:proposal_decide", args=[proposal.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x", "name": "x"}).status_code == 404, url
    html = client.get(reverse("learning:themes")).content.decode()
    assert "Elders" not in html


# --- demo ---------------------------------------------------------------------------------------------------


def test_demo_has_a_proposal_per_status_and_a_session_and_is_idempotent(client):
    from doorbraak.core.models import User
    from doorbraak.demo import cases as cases_demo
    from doorbraak.demo import core as core_demo
    from doorbraak.demo import learning as learning_demo
    from doorbraak.demo import platforms as platforms_demo
    from doorbraak.learning.models import LearningSession

    for _ in range(2):
        core_demo.load()
        cases_demo.load()
        platforms_demo.load()
        learning_demo.load()
    assert sorted(PolicyProposal.objects.values_list("status", flat=True)) == ["adopted", "proposed", "rejected"]
    session = LearningSession.objects.get()
    assert session.topic == learning_demo.DEMO_SESSION_TOPIC
    assert all(s.status in ("approved", "published") for s in session.stories.all())
    login(client, User.objects.get(username="demo-policy"))
    html = client.get(reverse("learning:themes")).content.decode()
    assert "Regels en wetten" in html
    html = client.get(reverse("learning:session_detail", args=[session.pk])).content.decode()
    assert "Privacy: wat mag en kan wél" in html
