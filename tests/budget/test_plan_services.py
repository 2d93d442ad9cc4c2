"""Plan rules: justifications, horizon, approval by mandate, never by the submitter, history kept."""

from decimal import Decimal

import pytest

from doorbraak.budget import services
from doorbraak.budget.models import EntryKind, LedgerEntry, MandateRule, Plan, PlanEvent
from doorbraak.cases.models import TimelineEntry
from doorbraak.core.access import Refusal
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from doorbraak.core.permissions import Refused

pytestmark = pytest.mark.django_db


def test_submit_needs_all_three_justifications(world):
    plan = world.train_pass_plan(submit=False)
    services.update_plan(world.professional, plan, justification_engagement="")
    with pytest.raises(RuleError, match="betrokkenheid"):
        services.submit_plan(world.professional, plan)
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT


def test_submit_records_requested_amount_and_history(world):
    plan = world.train_pass_plan()
    assert plan.status == Plan.Status.SUBMITTED
    assert plan.requested_cents == 300_000
    assert plan.submitted_by == world.professional
    kinds = list(PlanEvent.objects.filter(plan=plan).values_list("kind", flat=True))
    assert "submitted" in kinds and "created" in kinds
    assert TimelineEntry.objects.filter(case=plan.case, kind="plan.submitted").exists()


@pytest.mark.parametrize("horizon", [0, 6, -1])
def test_horizon_outside_1_to_5_is_refused(world, horizon):
    plan = world.train_pass_plan(submit=False)
    with pytest.raises(RuleError, match="1 tot en met 5"):
        services.update_plan(world.professional, plan, horizon_years=horizon)
    assert Plan.objects.get(pk=plan.pk).horizon_years == 1


@pytest.mark.parametrize("amount", [0, -100, 10**13])
def test_negative_zero_or_absurd_line_amounts_are_refused(world, amount):
    plan = world.train_pass_plan(submit=False)
    before = plan.lines.count()
    with pytest.raises(RuleError):
        services.add_line(
            world.professional,
            plan,
            scenario="custom",
            description="x",
            unit="each",
            amount_cents=amount,
            quantity=Decimal(1),
            duration=Decimal(1),
            funder="wmo",
        )
    assert plan.lines.count() == before


def test_submitter_cannot_approve_own_plan(world):
    world.fund()
    plan = world.train_pass_plan(case=world.case())
    # Even a lead who submitted cannot approve their own submission.
    plan2 = world.train_pass_plan(case=world.case("Tweede"), submit=False)
    services.submit_plan(world.lead, plan2)
    with pytest.raises(RuleError, match="eigen plan"):
        services.approve_plan(world.lead, Plan.objects.get(pk=plan2.pk))
    assert Plan.objects.get(pk=plan2.pk).status == Plan.Status.SUBMITTED
    services.approve_plan(world.lead2, plan)
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.APPROVED


def test_approval_above_mandate_needs_budget_approver(world):
    world.fund()
    plan = world.train_pass_plan(submit=False)
    services.add_line(
        world.professional,
        plan,
        scenario="custom",
        description="Auto",
        unit="each",
        amount_cents=1_200_000,
        quantity=Decimal(1),
        duration=Decimal(1),
        funder="participatiewet",
    )
    services.submit_plan(world.professional, plan)
    plan.refresh_from_db()
    assert plan.requested_cents == 1_500_000  # above the lead's EUR 10.000,00
    with pytest.raises(RuleError, match="hoger dan uw mandaat"):
        services.approve_plan(world.lead, plan)
    with pytest.raises(Refusal):  # a professional of another team cannot even see the plan
        services.approve_plan(world.outsider, plan)
    MandateRule.objects.create(municipality=world.municipality, role=Role.LEAD, max_amount_cents=0)
    with pytest.raises(RuleError, match="geen mandaat"):
        services.approve_plan(world.lead2, plan)
    assert not LedgerEntry.objects.filter(plan=plan).exists()
    services.approve_plan(world.approver, plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED and plan.approved_by == world.approver
    commitment = LedgerEntry.objects.get(plan=plan, kind=EntryKind.COMMITMENT)
    assert commitment.amount_cents == 1_500_000


def test_above_highest_mandate_goes_to_the_alderman(world):
    world.fund()
    MandateRule.objects.create(municipality=world.municipality, role=Role.APPROVER, max_amount_cents=100_000)
    plan = world.train_pass_plan()
    with pytest.raises(RuleError, match="wethouder"):
        services.approve_plan(world.approver, plan)


def test_approval_without_fund_is_refused_clearly(world):
    plan = world.train_pass_plan()
    with pytest.raises(RuleError, match="geen handgeldbudget"):
        services.approve_plan(world.approver, plan)
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.SUBMITTED


def test_submitted_plan_is_frozen(world):
    plan = world.train_pass_plan()
    with pytest.raises(RuleError, match="al ingediend"):
        services.add_line(
            world.professional,
            plan,
            scenario="custom",
            description="x",
            unit="each",
            amount_cents=100,
            quantity=Decimal(1),
            duration=Decimal(1),
            funder="wmo",
        )


def test_returned_plan_can_be_edited_again(world):
    plan = world.train_pass_plan()
    services.return_plan(world.approver, plan, "Onderbouwing rendement aanvullen")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert plan.events.filter(kind="returned").exists()


def test_plan_history_is_append_only(world):
    plan = world.train_pass_plan()
    event = plan.events.first()
    event.summary = "anders"
    with pytest.raises(PermissionError):
        event.save()


def test_default_catalogue_has_30_plus_sourced_items_and_override_keeps_history(world):
    from doorbraak.budget.models import CatalogueItem

    added = services.ensure_default_catalogue(world.municipality)
    assert added >= 30
    assert services.ensure_default_catalogue(world.municipality) == 0
    items = CatalogueItem.objects.filter(municipality=world.municipality)
    assert all(i.source and i.price_year for i in items)
    item = items.get(code="ns_annual_pass")
    services.change_catalogue_item(
        world.lead,
        item,
        amount_cents=320_000,
        price_year=2025,
        source="NS-tarief 2025",
        source_type="official",
        confidence="high",
        reason="Nieuw tarief",
    )
    item.refresh_from_db()
    assert item.amount_cents == 320_000
    history = item.revisions.order_by("changed_at", "id").values_list("amount_cents", flat=True)
    assert list(history) == [300_000, 320_000]
    with pytest.raises(Refused):
        services.change_catalogue_item(
            world.professional,
            item,
            amount_cents=1,
            price_year=2025,
            source="x",
            source_type="official",
            confidence="high",
            reason="x",
        )
    with pytest.raises(RuleError):
        services.change_catalogue_item(
            world.lead,
            item,
            amount_cents=-5,
            price_year=2025,
            source="x",
            source_type="official",
            confidence="high",
            reason="x",
        )


def test_cofunding_split_follows_avoided_cost_and_becomes_reclaims_on_approval(world):
    from doorbraak.budget.models import Reclaim

    world.fund()
    plan = world.train_pass_plan(submit=False)
    services.adopt_cofunding(world.professional, plan)
    # Avoided vs doing nothing: justice 50.000, wmo 9.000 - 3.000 = 6.000 -> 89,29% / 10,71%
    shares = {s.funder: s.basis_points for s in plan.shares.all()}
    assert shares == {"justice": 8929, "wmo": 1071}
    # Issue 12: the hand budget pays only the municipal part, unless the municipality pre-finances justice's share.
    assert services.amount_from_fund_cents(plan) == 32_130
    services.set_shares(
        world.professional,
        plan,
        mode="percent",
        values={"justice": Decimal("89.29"), "wmo": Decimal("10.71")},
        prefinanced={"justice"},
    )
    services.submit_plan(world.professional, plan)
    assert Plan.objects.get(pk=plan.pk).requested_cents == 300_000
    services.approve_plan(world.approver, Plan.objects.get(pk=plan.pk))
    reclaim = Reclaim.objects.get(plan=plan)
    assert (reclaim.funder, reclaim.amount_cents, reclaim.status) == ("justice", 267_870, "expected")


def test_database_refuses_an_approval_by_the_submitter(world):
    from django.db import IntegrityError, transaction

    plan = world.train_pass_plan()
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED, approved_by=world.professional)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(horizon_years=6)
