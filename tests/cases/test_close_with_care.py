"""Closing with care (issue 16, point 7): the close page shows what is still open across the apps (planned
evaluations, open actions, unpaid commitments, loans with terms to come); the lead cancels or keeps each explicitly;
the service does it all in one transaction and writes the history."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from doorbraak.budget import services as budget_services
from doorbraak.cases import services
from doorbraak.cases.close_checks import CANCEL, KEEP, open_items
from doorbraak.cases.models import Case, FollowUpMoment, Involvement, TimelineEntry
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent
from doorbraak.core.permissions import Refused
from doorbraak.platforms.models import PlatformAction
from tests.budget.factories import World as BudgetWorld
from tests.cases.factories import World, login
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _with_open_items(w):
    moment = FollowUpMoment.objects.create(
        municipality=w.municipality, case=w.case, due_on=TODAY + datetime.timedelta(days=14)
    )
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    action = PlatformAction.objects.create(
        municipality=w.municipality,
        platform=platform,
        what="Huurachterstand regelen",
        owner=platform.participants.get(user=w.pro),
        due_on=TODAY + datetime.timedelta(days=7),
        created_by=w.lead,
    )
    return moment, action


def _url(case):
    return reverse("cases:close", args=[case.pk])


def test_close_page_lists_what_is_open_and_the_lead_decides_each(client):
    w = World()
    moment, action = _with_open_items(w)
    login(client, w.lead)
    page = client.get(_url(w.case))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Geplande evaluaties" in text and "Open acties" in text and "Huurachterstand regelen" in text
    assert "Er staan nog 2 punten open" in text
    assert AccessEvent.objects.filter(event="case.close_review", actor_id=w.lead.pk).count() == 1
    response = client.post(
        _url(w.case),
        {f"decision-cases-follow_up-{moment.pk}": CANCEL, f"decision-platforms-action-{action.pk}": KEEP},
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=w.case.pk)
    assert case.status == Case.Status.CLOSED and case.closed_at is not None
    assert not FollowUpMoment.objects.filter(pk=moment.pk).exists()
    action.refresh_from_db()
    assert action.cancelled_on is None and action.done_on is None  # kept: still open on the platform
    kinds = set(TimelineEntry.objects.filter(case=w.case).values_list("kind", flat=True))
    assert {"follow_up.cancelled", "case.close_kept", "case.closed"} <= kinds
    kept = TimelineEntry.objects.get(case=w.case, kind="case.close_kept").summary
    assert "Huurachterstand regelen" in kept
    assert not Involvement.objects.filter(case=w.case, ended_at__isnull=True).exists()


def test_without_a_decision_for_every_item_nothing_changes_and_choices_stay(client):
    w = World()
    moment, action = _with_open_items(w)
    login(client, w.lead)
    response = client.post(_url(w.case), {f"decision-platforms-action-{action.pk}": CANCEL})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Kies bij elk open punt of het vervalt of blijft staan." in text
    assert (
        f'id="platforms-action-{action.pk}-cancel" name="decision-platforms-action-{action.pk}" value="cancel" checked'
        in text
    )
    assert Case.objects.get(pk=w.case.pk).status != Case.Status.CLOSED
    action.refresh_from_db()
    assert action.cancelled_on is None and FollowUpMoment.objects.filter(pk=moment.pk).exists()
    # a made-up decision value is refused the same way
    response = client.post(
        _url(w.case),
        {f"decision-cases-follow_up-{moment.pk}": "delete", f"decision-platforms-action-{action.pk}": CANCEL},
    )
    assert response.status_code == 400


def test_cancelled_action_lapses_and_shows_on_the_platform(client):
    w = World()
    moment, action = _with_open_items(w)
    services.close_with_care(
        w.lead, w.case, {f"cases-follow_up-{moment.pk}": KEEP, f"platforms-action-{action.pk}": CANCEL}
    )
    action.refresh_from_db()
    assert action.cancelled_on == TODAY and not action.is_overdue
    assert FollowUpMoment.objects.filter(pk=moment.pk).exists()  # kept
    login(client, w.lead)
    page = client.get(reverse("platforms:detail", kwargs={"case_id": w.case.pk, "pk": action.platform_id}))
    assert "vervallen op" in page.content.decode()


def test_all_in_one_transaction(client):
    """A failure half-way (the case's own close fails) leaves every item as it was."""
    w = World()
    moment, action = _with_open_items(w)
    decisions = {f"cases-follow_up-{moment.pk}": CANCEL, f"platforms-action-{action.pk}": CANCEL}
    with mock.patch("doorbraak.cases.services.close_case", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            services.close_with_care(w.lead, w.case, decisions)
    action.refresh_from_db()
    assert action.cancelled_on is None and FollowUpMoment.objects.filter(pk=moment.pk).exists()
    assert Case.objects.get(pk=w.case.pk).status != Case.Status.CLOSED
    assert not TimelineEntry.objects.filter(case=w.case, kind="platform.action_cancelled").exists()


def test_an_item_that_appeared_since_the_page_was_opened_needs_a_decision_too():
    w = World()
    moment, action = _with_open_items(w)
    decisions = {f"cases-follow_up-{moment.pk}": CANCEL, f"platforms-action-{action.pk}": KEEP}
    FollowUpMoment.objects.create(municipality=w.municipality, case=w.case, due_on=TODAY + datetime.timedelta(days=30))
    with pytest.raises(RuleError, match="Kies bij elk open punt"):
        services.close_with_care(w.lead, w.case, decisions)
    assert FollowUpMoment.objects.filter(case=w.case).count() == 2


def test_nothing_open_closes_at_once_and_says_so(client):
    w = World()
    login(client, w.lead)
    assert "Er staat niets meer open" in client.get(_url(w.case)).content.decode()
    assert client.post(_url(w.case)).status_code == 302
    assert Case.objects.get(pk=w.case.pk).status == Case.Status.CLOSED
    again = client.get(_url(w.case), follow=True)
    assert "Deze casus is al afgesloten." in again.content.decode()


def test_only_the_lead_of_the_team_may_close(client):
    w = World()
    _with_open_items(w)
    login(client, w.pro)
    assert client.get(_url(w.case)).status_code == 403
    assert client.post(_url(w.case)).status_code == 403
    with pytest.raises(Refused):
        services.close_review(w.pro, w.case)
    login(client, w.uninvolved)
    assert client.get(_url(w.case)).status_code == 404
    assert Case.objects.get(pk=w.case.pk).status != Case.Status.CLOSED


def test_unpaid_commitment_can_be_released_and_loan_terms_only_kept(client):
    bw = BudgetWorld()
    bw.fund()
    case = bw.case()
    plan = bw.train_pass_plan(case=case)
    budget_services.approve_plan(bw.approver, plan)
    loan = budget_services.grant_loan(
        bw.lead, plan, 50_000, condition="Werk vinden", deadline=TODAY + datetime.timedelta(days=60)
    ).loan
    items = {item.key: item for item in open_items(bw.lead, case)}
    commitment = items[f"budget-commitment-{plan.pk}"]
    loan_item = items[f"budget-loan-{loan.pk}"]
    assert commitment.choices == (CANCEL, KEEP) and loan_item.choices == (KEEP,)
    assert "€" in commitment.label and "voorwaarde loopt tot" in loan_item.label
    with pytest.raises(RuleError):
        services.close_with_care(bw.lead, case, {commitment.key: KEEP, loan_item.key: CANCEL})
    login(client, bw.lead)
    text = client.get(_url(case)).content.decode()
    assert "Verplichtingen die nog niet betaald zijn" in text and "Leningen met termijnen die nog komen" in text
    assert f'name="decision-{commitment.key}" value="cancel"' in text
    assert f'name="decision-{loan_item.key}" value="cancel"' not in text
    services.close_with_care(bw.lead, case, {commitment.key: KEEP, loan_item.key: KEEP})
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
    assert TimelineEntry.objects.filter(case=case, kind="case.close_kept").count() == 2


def test_done_actions_and_held_evaluations_are_not_open():
    w = World()
    moment, action = _with_open_items(w)
    PlatformAction.objects.filter(pk=action.pk).update(done_on=TODAY)
    FollowUpMoment.objects.filter(pk=moment.pk).update(done_on=TODAY, done_by=w.pro)
    assert open_items(w.lead, w.case) == []
