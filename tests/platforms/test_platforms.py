"""Case platform: convening with the consent rule, actions, decisions, breakthrough, evaluation, escalation,
printable summary."""

import datetime

import pytest
from django.urls import reverse

from doorbraak.cases.models import Case, Involvement
from doorbraak.core.models import AccessEvent
from doorbraak.platforms.models import Escalation, Platform, PlatformAction, PlatformEvaluation
from tests.cases.factories import World, consent, involve, login
from tests.factories import UserFactory
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def url(name, platform, **extra):
    return reverse(f"platforms:{name}", kwargs={"case_id": platform.case_id, "pk": platform.pk, **extra})


def convene_payload(**overrides):
    data = {
        "form_token": "6f1f7f4e-1111-4c55-9a52-0a0b8f0c1a11",
        "convened_on": TODAY.isoformat(),
        "first_problem": "Ik word nergens toegelaten.",
        "client_present": "on",
        "experience_expert_present": "on",
    }
    data.update(overrides)
    return data


def test_lead_convenes_platform_and_case_moves_to_platform(client):
    w = World()
    login(client, w.lead)
    response = client.post(reverse("platforms:convene", args=[w.case.pk]), convene_payload(invited=[w.pro.pk]))
    platform = Platform.objects.get(case=w.case)
    assert response["Location"] == url("detail", platform)
    assert platform.client_present and platform.experience_expert_present
    assert set(platform.participants.values_list("user", flat=True)) == {w.lead.pk, w.pro.pk}
    w.case.refresh_from_db()
    assert w.case.status == Case.Status.PLATFORM


def test_only_the_lead_convenes(client):
    w = World()
    login(client, w.pro)
    assert client.get(reverse("platforms:convene", args=[w.case.pk])).status_code == 403
    assert client.post(reverse("platforms:convene", args=[w.case.pk]), convene_payload()).status_code == 403
    assert not Platform.objects.exists()


def test_inviting_uninvolved_organisation_needs_current_consent(client):
    w = World()
    corporation_worker = UserFactory(municipality=w.municipality)
    login(client, w.lead)
    response = client.post(
        reverse("platforms:convene", args=[w.case.pk]), convene_payload(invited=[corporation_worker.pk])
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "heeft (nog) geen toestemming gegeven" in body and corporation_worker.organisation.name in body
    assert "Ik word nergens toegelaten." in body  # input kept
    assert not Platform.objects.exists()
    given = consent(w.case, corporation_worker.organisation, w.pro)
    given.withdrawn_on = TODAY
    given.save()
    assert (
        client.post(
            reverse("platforms:convene", args=[w.case.pk]), convene_payload(invited=[corporation_worker.pk])
        ).status_code
        == 400
    )
    consent(w.case, corporation_worker.organisation, w.pro)
    page = client.get(reverse("platforms:convene", args=[w.case.pk])).content.decode()
    assert f"Toestemming van de cliënt om te delen met: {corporation_worker.organisation.name}" in page
    client.post(reverse("platforms:convene", args=[w.case.pk]), convene_payload(invited=[corporation_worker.pk]))
    assert Platform.objects.get().participants.filter(user=corporation_worker).exists()
    assert Involvement.objects.filter(case=w.case, user=corporation_worker, ended_at__isnull=True).exists()


def test_professional_of_other_municipality_cannot_be_invited(client):
    w = World()
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    login(client, w.lead)
    response = client.post(url("invite", platform), {"user": w.stranger.pk, "role": "gast"})
    assert response.status_code == 400
    assert "Deze professional hoort niet bij uw gemeente." in response.content.decode()


def test_actions_owner_deadline_done_and_overdue_flag(client):
    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY - datetime.timedelta(days=10), participants=[w.pro])
    owner = platform.participants.get(user=w.pro)
    login(client, w.pro)
    no_owner = client.post(url("action_add", platform), {"what": "Huurcontract regelen", "due_on": TODAY.isoformat()})
    assert no_owner.status_code == 400 and "Kies wie deze actie uitvoert." in no_owner.content.decode()
    assert 'value="Huurcontract regelen"' in no_owner.content.decode()
    early = client.post(
        url("action_add", platform),
        {
            "what": "Huurcontract regelen",
            "owner": owner.pk,
            "due_on": (TODAY - datetime.timedelta(days=11)).isoformat(),
        },
    )
    assert early.status_code == 400 and "De deadline ligt vóór de datum van het casusplatform" in early.content.decode()
    client.post(
        url("action_add", platform),
        {"what": "Huurcontract regelen", "owner": owner.pk, "due_on": (TODAY - datetime.timedelta(days=1)).isoformat()},
    )
    action = PlatformAction.objects.get()
    assert action.is_overdue
    assert "te laat" in client.get(url("detail", platform)).content.decode()
    client.post(url("action_done", platform, action_id=action.pk))
    action.refresh_from_db()
    assert action.done_on == TODAY and "te laat" not in client.get(url("detail", platform)).content.decode()


def test_decision_by_lead_is_recorded_as_the_leads(client):
    w = World()
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    login(client, w.pro)
    client.post(url("decision_add", platform), {"text": "Iedereen belt de cliënt deze week.", "by_lead": "on"})
    decision = platform.decisions.get()
    assert decision.by_lead is False  # a professional cannot decide as lead; the checkbox is not offered
    client.cookies.clear()
    login(client, w.lead)
    client.post(url("decision_add", platform), {"text": "De gemeente betaalt de eerste maand huur.", "by_lead": "on"})
    lead_decision = platform.decisions.get(by_lead=True)
    assert lead_decision.decided_by == w.lead
    assert "besluit van de doorbraakregisseur" in client.get(url("detail", platform)).content.decode()


def test_breakthrough_days_and_three_week_norm(client):
    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY - datetime.timedelta(days=6), participants=[w.pro])
    login(client, w.pro)
    before = (TODAY - datetime.timedelta(days=7)).isoformat()
    bad = client.post(url("breakthrough", platform), {"breakthrough_on": before, "breakthrough": "Huurgarantie"})
    assert bad.status_code == 400 and "vóór het casusplatform" in bad.content.decode()
    client.post(
        url("breakthrough", platform),
        {
            "breakthrough_on": TODAY.isoformat(),
            "breakthrough": "De gemeente staat garant voor één maand huur.",
            "solution_kind": "housing",
        },
    )
    platform.refresh_from_db()
    assert platform.days_to_breakthrough == 6 and platform.within_three_weeks
    assert platform.solution_kind == "housing"
    w.case.refresh_from_db()
    assert w.case.status == Case.Status.BREAKTHROUGH
    case_page = client.get(reverse("cases:detail", args=[w.case.pk])).content.decode()
    assert "doorbraak na 6 dagen" in case_page and "binnen drie weken" in case_page


def test_evaluation_stores_blocker_codes_and_satisfaction_once(client):
    w = World()
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    login(client, w.pro)
    payload = {
        "helped": "Eén tafel.",
        "blocked": "Het noodfonds zei nee.",
        "blocker_tags": ["pinching_rules", "rules_clash"],
        "client_satisfaction": "9",
        "professional_satisfaction": "8",
    }
    out_of_range = client.post(url("evaluation", platform), {**payload, "client_satisfaction": "11"})
    assert out_of_range.status_code == 400 and "Kies een cijfer van 1 tot en met 10." in out_of_range.content.decode()
    client.post(url("evaluation", platform), payload)
    evaluation = PlatformEvaluation.objects.get(platform=platform)
    assert sorted(evaluation.blocker_codes) == ["pinching_rules", "rules_clash"]
    assert (evaluation.client_satisfaction, evaluation.professional_satisfaction) == (9, 8)
    again = client.post(url("evaluation", platform), payload)
    assert again.status_code == 400 and "al geëvalueerd" in again.content.decode()


def test_escalation_only_after_three_weeks_and_step_by_step(client):
    w = World()
    fresh = make_platform(w.case, w.lead, participants=[w.pro])
    login(client, w.lead)
    early = client.post(url("escalate", fresh), {"level": "local", "reason": "Geen doorbraak"})
    assert early.status_code == 400 and "pas als er drie weken" in early.content.decode()
    old = make_platform(w.case, w.lead, convened_on=TODAY - datetime.timedelta(days=22))
    skip = client.post(url("escalate", old), {"level": "national", "reason": "Geen doorbraak"})
    assert skip.status_code == 400 and "stap voor stap" in skip.content.decode()
    for level in ("local", "regional", "national"):
        client.post(url("escalate", old), {"level": level, "reason": "Geen doorbraak"})
    assert list(old.escalations.values_list("level", flat=True)) == ["local", "regional", "national"]
    national = old.escalations.get(level=Escalation.Level.NATIONAL)
    client.post(
        url("escalation_outcome", old, escalation_id=national.pk),
        {"outcome": "Het loket regelt de financiering.", "outcome_on": TODAY.isoformat()},
    )
    national.refresh_from_db()
    assert national.outcome_on == TODAY
    assert "Landelijk Maatwerkloket Multiproblematiek" in client.get(url("detail", old)).content.decode()


def test_printable_summary_for_participants_only_and_logged(client):
    w = World()
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    involve(w.case, w.uninvolved)  # involved in the case, but not at this table
    login(client, w.uninvolved)
    assert client.get(url("summary", platform)).status_code == 404
    client.cookies.clear()
    login(client, w.pro)
    response = client.get(url("summary", platform))
    assert response.status_code == 200 and "alleen voor de deelnemers" in response.content.decode()
    assert AccessEvent.objects.filter(event="platform.print", actor_id=w.pro.pk).count() == 1


def test_double_submit_action_is_harmless(client):
    w = World()
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    owner = platform.participants.get(user=w.pro)
    login(client, w.pro)
    payload = {
        "form_token": "9f1f7f4e-2222-4c55-9a52-0a0b8f0c1a11",
        "what": "Bellen",
        "owner": owner.pk,
        "due_on": TODAY.isoformat(),
    }
    client.post(url("action_add", platform), payload)
    client.post(url("action_add", platform), payload)
    assert PlatformAction.objects.count() == 1
