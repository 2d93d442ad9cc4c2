"""Service-level rule matrix of the budget app (issue 11 point 1).

Every public write service and every page read of `budget` is called as each role, as an uninvolved professional
of the same municipality, as a breakthrough lead of another team (the probe of the issue) and as a user of another
municipality, on a fresh plan in the state the service needs. Each row asserts what the user would notice:

- ``OK``: the call succeeds (and writes, for a write service);
- ``REFUSED``: `core.permissions.Refused` (a 403): the user sees the plan but their role may not do this;
- ``HIDDEN``: `core.access.Refusal` (a logged 404): the user may not see the plan (or the page) at all.

A refused row also asserts that nothing was written. `MATRIX` is the list of rows (service, actor, expected) the
lead counts; `test_every_budget_rule_is_asked_by_a_row` checks that each rule in `permissions.registered("budget.")`
is the rule of at least one service in the matrix.
"""

import datetime
from decimal import Decimal

import pytest

from doorbraak.budget import selectors, services
from doorbraak.budget.models import (
    CatalogueItem,
    CatalogueRevision,
    Fund,
    FunderSetting,
    LedgerEntry,
    Loan,
    MandateHolder,
    MandateLevel,
    PlanEvent,
    Reclaim,
    SepaExport,
)
from doorbraak.cases.models import TimelineEntry
from doorbraak.core import permissions
from doorbraak.core.access import Refusal
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from doorbraak.core.permissions import Refused
from tests.budget.factories import World
from tests.factories import MunicipalityFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

OK, REFUSED, HIDDEN = "ok", "refused", "hidden"
TODAY = datetime.date.today()

ACTORS = (
    "professional",
    "lead",
    "approver",
    "policy",
    "moderator",
    "admin",
    "outsider",
    "other_team_lead",
    "other_municipality",
)


# --- States: each builds what one service needs and returns (world, target) ------------------------------------


def _draft(w):
    return w.train_pass_plan(submit=False)


def _draft_with_external_share(w):
    plan = w.train_pass_plan(submit=False)
    services.set_shares(w.professional, plan, mode="percent", values={"wmo": Decimal(60), "justice": Decimal(40)})
    return plan


def _submitted_by_lead2(w):
    """Submitted by a second lead of the team, so the professional's row is about the role, not four eyes."""
    w.fund()
    plan = w.train_pass_plan(submit=False)
    services.submit_plan(w.lead2, plan)
    return plan


def _approved(w):
    w.fund()
    plan = w.train_pass_plan()
    services.approve_plan(w.approver, plan)
    return plan


def _loan(w):
    plan = _approved(w)
    entry = services.grant_loan(
        w.approver, plan, 100_000, condition="Rijbewijs halen", deadline=TODAY + datetime.timedelta(days=60)
    )
    return entry.loan


def _reclaim(w):
    plan = _approved(w)
    return services.expect_reclaim(w.approver, plan, "zvw", 50_000)


def _ordered_fund(w):  # issue 12: a fund with an IBAN and one payment order to export
    plan = _approved(w)
    services.pay(w.approver, plan, 10_000, payee_name="NS Reizigers", iban="NL91ABNA0417164300")
    fund = Fund.objects.get(team=w.team)
    return services.set_fund_iban(w.approver, fund, "NL20INGB0001234567")


def _write_off_requested(w):  # issue 12: a second person approves a write-off
    loan = _loan(w)
    services.request_write_off(w.approver2, loan, "Niets te verhalen")
    return Loan.objects.get(pk=loan.pk)


def _item(w):
    services.ensure_default_catalogue(w.municipality)
    return CatalogueItem.objects.filter(municipality=w.municipality).first()


# --- Services: (rule, state, call) ---------------------------------------------------------------------------

SERVICES = {
    "start_plan": ("budget.edit_plan", lambda w: w.case(), lambda u, case: services.start_plan(u, case)),
    "update_plan": (
        "budget.edit_plan",
        _draft,
        lambda u, plan: services.update_plan(u, plan, outcome_custom="Meneer reist zelf"),
    ),
    "add_line": (
        "budget.edit_plan",
        _draft,
        lambda u, plan: services.add_line(
            u,
            plan,
            scenario="custom",
            description="Fiets",
            unit="each",
            amount_cents=25_000,
            quantity=Decimal(1),
            duration=Decimal(1),
            funder="wmo",
        ),
    ),
    "remove_line": ("budget.edit_plan", _draft, lambda u, plan: services.remove_line(u, plan, plan.lines.first().pk)),
    # --- issue 12: cost schedule and shares ---
    "change_line": (
        "budget.edit_plan",
        _draft,
        lambda u, plan: services.change_line(
            u,
            plan,
            plan.lines.first().pk,
            scenario="custom",
            description="Fiets",
            unit="each",
            amount_cents=25_000,
            quantity=Decimal(1),
            rhythm="once",
            funder="wmo",
        ),
    ),
    "preview_line": (
        "budget.edit_plan",
        _draft,
        lambda u, plan: services.preview_line(
            u,
            plan,
            scenario="custom",
            description="Fiets",
            unit="each",
            amount_cents=25_000,
            quantity=Decimal(1),
            rhythm="once",
            funder="wmo",
        ),
    ),
    "set_shares": (
        "budget.edit_plan",
        _draft,
        lambda u, plan: services.set_shares(
            u, plan, mode="percent", values={"wmo": Decimal(60), "justice": Decimal(40)}
        ),
    ),
    "record_agreement": (
        "budget.edit_plan",
        _draft_with_external_share,
        lambda u, plan: services.record_agreement(
            u, plan, plan.shares.get(funder="justice").pk, status="agreed", on=TODAY, reference="JUS-2026-1"
        ),
    ),
    "adopt_cofunding": ("budget.edit_plan", _draft, lambda u, plan: services.adopt_cofunding(u, plan)),
    "clear_cofunding": ("budget.edit_plan", _draft, lambda u, plan: services.clear_cofunding(u, plan)),
    "submit_plan": ("budget.submit_plan", _draft, lambda u, plan: services.submit_plan(u, plan)),
    "approve_plan": ("budget.approve_plan", _submitted_by_lead2, lambda u, plan: services.approve_plan(u, plan)),
    "return_plan": (
        "budget.return_plan",
        _submitted_by_lead2,
        lambda u, plan: services.return_plan(u, plan, "Rendement aanvullen"),
    ),
    "pay": ("budget.pay", _approved, lambda u, plan: services.pay(u, plan, 10_000)),
    "grant_loan": (
        "budget.grant_loan",
        _approved,
        lambda u, plan: services.grant_loan(
            u, plan, 10_000, condition="Werk vinden", deadline=TODAY + datetime.timedelta(days=90)
        ),
    ),
    "expect_reclaim": (
        "budget.expect_reclaim",
        _approved,
        lambda u, plan: services.expect_reclaim(u, plan, "zvw", 10_000),
    ),
    "loan_outcome": (
        "budget.loan_outcome",
        _loan,
        lambda u, loan: services.loan_outcome(u, loan, Loan.Status.REPAY_FROM_INCOME),
    ),
    "repay_loan": ("budget.repay_loan", _loan, lambda u, loan: services.repay_loan(u, loan, 10_000)),
    "move_reclaim": (
        "budget.move_reclaim",
        _reclaim,
        lambda u, reclaim: services.move_reclaim(u, reclaim, Reclaim.Status.CLAIMED),
    ),
    "record_realised_cost": (
        "budget.record_cost",
        _approved,
        lambda u, plan: services.record_realised_cost(u, plan, funder="wmo", amount_cents=1_000, up_to=TODAY),
    ),
    "create_fund": (
        "budget.manage_funds",
        lambda w: w.team,
        lambda u, team: services.create_fund(u, team=team, year=TODAY.year, name="Extra", amount_cents=10_000),
    ),
    "allocate": ("budget.manage_funds", lambda w: w.fund(), lambda u, fund: services.allocate(u, fund, 10_000)),
    "change_catalogue_item": (
        "budget.edit_catalogue",
        _item,
        lambda u, item: services.change_catalogue_item(
            u,
            item,
            amount_cents=12_345,
            price_year=TODAY.year,
            source="Tarief",
            source_type="official",
            confidence="high",
            reason="Nieuw tarief",
        ),
    ),
    "add_catalogue_item": (
        "budget.edit_catalogue",
        lambda w: None,
        lambda u, _none: services.add_catalogue_item(
            u,
            code="fiets",
            name="Fiets",
            unit="each",
            amount_cents=25_000,
            funder="wmo",
            source="Winkel",
            source_type="estimate",
            confidence="low",
            price_year=TODAY.year,
        ),
    ),
    # Reads for pages
    "selectors.plan_for": (
        "budget.view_plan",
        _submitted_by_lead2,
        lambda u, plan: selectors.plan_for(u, plan.case_id),
    ),
    "selectors.fund_overview": ("budget.view_overview", lambda w: w.fund(), lambda u, _f: selectors.fund_overview(u)),
    "selectors.catalogue_rows": ("budget.read_catalogue", _item, lambda u, _i: selectors.catalogue_rows(u)),
    # --- issue 12: funds, mandates, payments, loans ---
    "close_funding": ("budget.close_funding", _approved, lambda u, plan: services.close_funding(u, plan)),
    "export_sepa": ("budget.export_sepa", lambda w: _ordered_fund(w), lambda u, fund: services.export_sepa(u, fund)),
    "set_fund_iban": (
        "budget.export_sepa",
        lambda w: w.fund(),
        lambda u, fund: services.set_fund_iban(u, fund, "NL91ABNA0417164300"),
    ),
    "set_mandate_level": (
        "budget.manage_mandates",
        lambda w: None,
        lambda u, _none: services.set_mandate_level(u, name="Teammanager", ceiling_cents=50_000_00),
    ),
    "assign_mandate": (
        "budget.manage_mandates",
        lambda w: (w.lead, services.set_mandate_level(w.approver, name="Teammanager", ceiling_cents=50_000_00)),
        lambda u, target: services.assign_mandate(u, *target),
    ),
    "set_funder": (
        "budget.manage_funders",
        lambda w: None,
        lambda u, _none: services.set_funder(u, code="other", name="Fonds Bijzondere Noden", kind="external"),
    ),
    "selectors.funder_list": ("budget.manage_funders", lambda w: None, lambda u, _none: selectors.funder_list(u)),
    "request_write_off": (
        "budget.request_write_off",
        _loan,
        lambda u, loan: services.request_write_off(u, loan, "Overleden; niets te verhalen"),
    ),
    "approve_write_off": (
        "budget.approve_write_off",
        lambda w: _write_off_requested(w),
        lambda u, loan: services.approve_write_off(u, loan),
    ),
}
# A system step, not a user's action (the catalogue page and the demo call it; it adds only the reviewed defaults).
NOT_A_USER_SERVICE = {
    "ensure_default_catalogue",
    "ensure_default_levels",
    # --- issue 12: plain reads of a plan's figures for other services (no user), and the funder seeding ---
    "amount_from_fund_cents",
    "plan_funding",
    "ensure_funders",
}
READ_ONLY_SERVICES = {"preview_line"}  # --- issue 12: asks the gate and the rule, writes nothing

_ALL_HIDDEN = {a: HIDDEN for a in ACTORS}
_DRAFT_EDIT = {**_ALL_HIDDEN, "professional": OK, "lead": OK}
_REVIEW = {**_ALL_HIDDEN, "professional": REFUSED, "lead": OK, "approver": OK}
_MONEY = {**_ALL_HIDDEN, "professional": REFUSED, "lead": OK, "approver": OK}
_FUNDS = {**{a: REFUSED for a in ACTORS}, "approver": OK, "admin": OK}
_CATALOGUE_EDIT = {
    **{a: REFUSED for a in ACTORS},
    "lead": OK,
    "approver": OK,
    "policy": OK,
    "admin": OK,
    "other_team_lead": OK,
}

EXPECTED = {
    "start_plan": _DRAFT_EDIT,
    "update_plan": _DRAFT_EDIT,
    "add_line": _DRAFT_EDIT,
    "remove_line": _DRAFT_EDIT,
    # --- issue 12: cost schedule and shares ---
    "change_line": _DRAFT_EDIT,
    "preview_line": _DRAFT_EDIT,
    "set_shares": _DRAFT_EDIT,
    "record_agreement": _DRAFT_EDIT,
    "adopt_cofunding": _DRAFT_EDIT,
    "clear_cofunding": _DRAFT_EDIT,
    "submit_plan": _DRAFT_EDIT,
    "approve_plan": _REVIEW,
    "return_plan": _REVIEW,
    "pay": _MONEY,
    "grant_loan": _MONEY,
    "expect_reclaim": _MONEY,
    "loan_outcome": _MONEY,
    "repay_loan": _MONEY,
    "move_reclaim": _MONEY,
    "record_realised_cost": {**_ALL_HIDDEN, "professional": OK, "lead": OK, "approver": OK},
    "create_fund": _FUNDS,
    "allocate": _FUNDS,
    "change_catalogue_item": _CATALOGUE_EDIT,
    # Another municipality's editor adds to their own catalogue: allowed, and it lands there (asserted below).
    "add_catalogue_item": {**_CATALOGUE_EDIT, "other_municipality": OK},
    "selectors.plan_for": {**_ALL_HIDDEN, "professional": OK, "lead": OK, "approver": OK},
    "selectors.fund_overview": {
        **_ALL_HIDDEN,
        "lead": OK,
        "approver": OK,
        "admin": OK,
        "other_team_lead": OK,
        "other_municipality": OK,
    },
    "selectors.catalogue_rows": {
        **_ALL_HIDDEN,
        "professional": OK,
        "lead": OK,
        "approver": OK,
        "policy": OK,
        "admin": OK,
        "outsider": OK,
        "other_team_lead": OK,
        "other_municipality": OK,
    },
    # --- issue 12: funds, mandates, payments, loans ---
    "close_funding": _MONEY,
    "export_sepa": _FUNDS,
    "set_fund_iban": _FUNDS,
    "set_mandate_level": {**{a: REFUSED for a in ACTORS}, "approver": OK, "admin": OK, "other_municipality": OK},
    "assign_mandate": {**{a: REFUSED for a in ACTORS}, "approver": OK, "admin": OK},
    "request_write_off": _MONEY,
    "approve_write_off": _MONEY,
    "set_funder": {**{a: REFUSED for a in ACTORS}, "approver": OK, "admin": OK, "other_municipality": OK},
    "selectors.funder_list": {**{a: HIDDEN for a in ACTORS}, "approver": OK, "admin": OK, "other_municipality": OK},
}

MATRIX = [(service, actor, EXPECTED[service][actor]) for service in SERVICES for actor in ACTORS]
# The four-eyes rows (the submitter of a plan), on top of the role matrix.
MATRIX += [("approve_plan", "submitter", "four_eyes"), ("return_plan", "submitter", REFUSED)]


def _actor(w, name):
    m = w.municipality
    if name == "submitter":
        return w.lead2
    if name in ("professional", "lead", "approver", "outsider"):
        return getattr(w, name)
    if name == "other_team_lead":
        return UserFactory(municipality=m, team=TeamFactory(municipality=m), role=Role.LEAD)
    if name == "other_municipality":
        return UserFactory(municipality=MunicipalityFactory(), role=Role.APPROVER)
    return UserFactory(
        municipality=m,
        team=w.team,
        role={"policy": Role.POLICY, "moderator": Role.MODERATOR, "admin": Role.ADMIN}[name],
    )


def _writes():
    return (
        PlanEvent.objects.count(),
        TimelineEntry.objects.count(),
        LedgerEntry.objects.count(),
        CatalogueRevision.objects.count(),
        Fund.objects.count(),
        list(Fund.objects.values_list("available_cents", flat=True).order_by("pk")),
        # issue 12: SEPA files, fund IBANs, mandate levels and holders, loan states
        (SepaExport.objects.count(), list(Fund.objects.values_list("iban", flat=True).order_by("pk"))),
        (list(MandateLevel.objects.values_list("ceiling_cents", flat=True)), MandateHolder.objects.count()),
        list(Loan.objects.values_list("status", flat=True).order_by("pk")),
        sorted(FunderSetting.objects.values_list("municipality_id", "code", "name", "kind", "active")),  # issue 12
    )


@pytest.mark.parametrize(("service", "actor", "expected"), MATRIX, ids=[f"{s}-{a}" for s, a, _e in MATRIX])
def test_rule_matrix(service, actor, expected):
    _rule, state, call = SERVICES[service]
    w = World()
    target = state(w)
    user = _actor(w, actor)
    before = _writes()
    if expected == OK:
        result = call(user, target)
        if service == "add_catalogue_item":
            assert result.municipality_id == user.municipality_id
        if not service.startswith("selectors.") and service not in READ_ONLY_SERVICES:
            assert _writes() != before  # a write service that is allowed really writes
        return
    error = {REFUSED: Refused, HIDDEN: Refusal, "four_eyes": RuleError}[expected]
    with pytest.raises(error) as caught:
        call(user, target)
    if expected == REFUSED:
        assert caught.value.rule == _rule
    if expected == "four_eyes":
        assert "eigen plan" in str(caught.value)
    assert _writes() == before


def test_every_budget_rule_is_asked_by_a_row():
    asked = {SERVICES[service][0] for service, _actor, _expected in MATRIX}
    assert set(permissions.registered("budget.")) <= asked


def test_every_public_service_is_in_the_matrix():
    public = {name for name in services.__all__ if name.islower()}
    assert public - NOT_A_USER_SERVICE <= set(SERVICES)
