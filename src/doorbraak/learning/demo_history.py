"""Demo history for the learning pages (manage.py load_demo): 480 closed cases of "Sociaal team Zuid" in the
demo municipality over the last 30 months, so the dashboard, patterns and council report have numbers above
the suppression threshold. Synthetic and clearly labelled ("Archiefcasus"); no demo professional is involved
in them, so no case list shows them. Deterministic (seeded) and idempotent. Ends with a facts refresh.

A real effect is planted for the pattern page: an experience expert at the table raises the chance of a
breakthrough within three weeks, and the client at the table goes with a larger ZRM gain.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from doorbraak.budget.models import (
    EntryKind,
    Fund,
    LedgerEntry,
    Plan,
    PlanFunding,
    PlanLine,
    RealisedCost,
    Scenario,
)
from doorbraak.cases.models import (
    Case,
    CaseFunder,
    DomainScore,
    Household,
    LifeDomain,
    OutcomeMeasurement,
    Person,
)
from doorbraak.core import dates
from doorbraak.core.models import Municipality, Organisation, Team, User
from doorbraak.platforms.models import (
    BlockerTag,
    Platform,
    PlatformBlocker,
    PlatformEvaluation,
    PlatformParticipant,
    SolutionKind,
)

from .insights.facts import refresh_facts

CASES = 480
TITLE = "Archiefcasus"
AREAS = ["Noord", "Zuid", "Oost", "West", "Centrum", "Rosmalen", "Empel"]
FUNDERS = ["wmo", "jeugdwet", "participatiewet", "zvw", "wlz", "housing_corporation"]


def load(stdout=None, seed: int = 2026):
    municipality = Municipality.objects.filter(code="GM0796").first()
    team = Team.objects.filter(municipality=municipality, name="Sociaal team Zuid").first() if municipality else None
    if team is None:
        return
    if Case.objects.filter(team=team, title__startswith=TITLE).exists():
        refresh_facts(municipality)
        return
    author = User.objects.filter(username="demo-lead").first()
    approver = User.objects.filter(username="demo-approver").first()
    orgs = list(Organisation.objects.filter(municipality=municipality).order_by("id"))
    if not (author and approver and orgs):
        return
    expert_org = next((o for o in orgs if o.kind == Organisation.Kind.EXPERIENCE), orgs[-1])
    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        fund, _ = Fund.objects.get_or_create(
            municipality=municipality, team=team, year=today.year, name="Doorbraakbudget (archief)"
        )
        allocation = 2_000_000_00
        LedgerEntry.objects.create(
            municipality=municipality,
            fund=fund,
            kind=EntryKind.ALLOCATION,
            amount_cents=allocation,
            description="Toekenning (archief)",
            created_by=approver,
        )
        for i in range(CASES):
            _one_case(i, rng, today, municipality, team, author, approver, orgs, expert_org, fund)
        _fund_totals_from_entries(fund)
    count = refresh_facts(municipality)
    if stdout is not None:
        stdout.write(f"learning: {CASES} archiefcasussen, cijfers bijgewerkt ({count} casussen)\n")


def _fund_totals_from_entries(fund):
    """The archive writes its entries directly (dated in the past), so the fund's running totals (issue 12) are set
    from them once, in one update, as migration budget.0007 does for existing funds."""
    from django.db.models import Sum

    from doorbraak.budget.models import TOTAL_FIELD

    sums = dict(fund.entries.values("kind").annotate(s=Sum("amount_cents")).values_list("kind", "s"))
    values = {field: sums.get(kind, 0) for kind, field in TOTAL_FIELD.items()}
    values["available_cents"] = (
        values["allocated_cents"]
        - values["committed_cents"]
        + values["released_cents"]
        + values["repaid_cents"]
        + values["reclaim_received_cents"]
    )
    Fund.objects.filter(pk=fund.pk).update(**values)


def _one_case(i, rng, today, municipality, team, author, approver, orgs, expert_org, fund):
    m = municipality
    opened = dates.add_months(dates.month_start(today), -rng.randint(1, 30)) + datetime.timedelta(
        days=rng.randint(0, 27)
    )
    opened_at = timezone.make_aware(datetime.datetime.combine(opened, datetime.time(10)))
    household = Household.objects.create(municipality=m, area=rng.choice(AREAS), created_at=opened_at)
    Person.objects.create(
        municipality=m,
        household=household,
        first_name="Archief",
        last_name=f"Cliënt {i + 1}",
        date_of_birth=datetime.date(1960 + rng.randint(0, 45), rng.randint(1, 12), 1),
    )
    case = Case.objects.create(
        municipality=m,
        household=household,
        team=team,
        title=f"{TITLE} {i + 1}",
        question="Synthetische demo-casus voor de leercijfers.",
        status=Case.Status.CLOSED,
        opened_at=opened_at,
        created_by=author,
        closed_at=min(opened_at + datetime.timedelta(days=120), timezone.now()),
    )
    for funder in rng.sample(FUNDERS, rng.randint(1, 3)):
        CaseFunder.objects.create(municipality=m, case=case, funder=funder)
    client = rng.random() < 0.5
    expert = rng.random() < 0.4
    domains = rng.sample([d.value for d in LifeDomain], rng.randint(2, 5))
    gain = 1 if client else 0
    for domain in domains:
        first = rng.randint(1, 3)
        DomainScore.objects.create(
            municipality=m, case=case, domain=domain, score=first, scored_on=opened, scored_by=author
        )
        DomainScore.objects.create(
            municipality=m,
            case=case,
            domain=domain,
            score=max(1, min(5, first + gain + rng.choice([-1, 0, 0, 1]))),
            scored_on=min(today, opened + datetime.timedelta(days=90)),
            scored_by=author,
        )
    if rng.random() < 0.15:
        return  # solved without a platform
    convened = min(today, opened + datetime.timedelta(days=rng.randint(3, 20)))
    within = rng.random() < (0.7 if expert else 0.35)
    days = rng.randint(5, 21) if within else rng.randint(22, 80)
    broke = convened + datetime.timedelta(days=days)
    platform = Platform.objects.create(
        municipality=m,
        case=case,
        convened_on=convened,
        convened_by=author,
        first_problem="Synthetisch.",
        client_present=client,
        experience_expert_present=expert,
        breakthrough_on=broke if broke <= today else None,
        breakthrough="Synthetische doorbraak." if broke <= today else "",
        solution_kind=rng.choice(SolutionKind.values) if broke <= today else "",
    )
    for org in rng.sample(orgs, rng.randint(1, min(5, len(orgs)))):
        PlatformParticipant.objects.create(municipality=m, platform=platform, organisation=org, role="deelnemer")
    if expert:
        PlatformParticipant.objects.create(
            municipality=m, platform=platform, organisation=expert_org, role="ervaringsdeskundige"
        )
    evaluation = PlatformEvaluation.objects.create(
        municipality=m,
        platform=platform,
        helped="Synthetisch.",
        client_satisfaction=rng.randint(5, 10),
        professional_satisfaction=rng.randint(5, 10),
        evaluated_by=author,
        evaluated_on=min(today, broke),
    )
    for code in rng.sample(BlockerTag.values, rng.choice([0, 1, 1, 2, 3])):
        PlatformBlocker.objects.create(municipality=m, evaluation=evaluation, code=code)
    OutcomeMeasurement.objects.create(
        municipality=m, case=case, measured_on=opened, recorded_by=author, participation_step=rng.randint(1, 3)
    )
    OutcomeMeasurement.objects.create(
        municipality=m,
        case=case,
        recorded_by=author,
        measured_on=min(today, opened + datetime.timedelta(days=90)),
        participation_step=rng.randint(2, 5),
        client_satisfaction=rng.randint(5, 10),
    )
    if rng.random() < 0.45:
        _plan(case, rng, convened, author, approver, fund, today)


def _plan(case, rng, start, author, approver, fund, today):
    m = case.municipality
    approved_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time(15)))
    plan = Plan.objects.create(
        municipality=m,
        case=case,
        status=Plan.Status.APPROVED,
        created_by=author,
        submitted_by=author,
        submitted_at=approved_at,
        approved_by=approver,
        approved_at=approved_at,
        requested_cents=0,
    )
    payer = rng.choice(["wmo", "participatiewet", "jeugdwet"])
    custom_month = rng.randint(300, 2500) * 100
    regular_month = custom_month + rng.randint(-200, 1500) * 100
    PlanLine.objects.create(
        municipality=m,
        plan=plan,
        scenario=Scenario.CUSTOM,
        description="Maatwerk",
        unit="month",
        amount_cents=custom_month,
        quantity=Decimal(1),
        duration=Decimal(12),
        funder=payer,
    )
    PlanLine.objects.create(
        municipality=m,
        plan=plan,
        scenario=Scenario.REGULAR,
        description="Gewoon aanbod",
        unit="month",
        amount_cents=max(0, regular_month),
        quantity=Decimal(1),
        duration=Decimal(12),
        funder=rng.choice(["wmo", "zvw", "wlz"]),
    )
    PlanLine.objects.create(
        municipality=m,
        plan=plan,
        scenario=Scenario.DO_NOTHING,
        description="Niets doen",
        unit="month",
        amount_cents=regular_month * 2,
        quantity=Decimal(1),
        duration=Decimal(12),
        funder="zvw",
    )
    paid = custom_month * rng.randint(1, 6)
    # A settled archive plan (issue 12): approval committed the year of custom care from the fund, part of it was
    # paid, and when the case closed its funding was closed and the rest released, as `close_funding` does. Dated in
    # the past, so written directly; no random draw is added (the rest of the archive stays as it was).
    committed = custom_month * 12
    Plan.objects.filter(pk=plan.pk).update(requested_cents=committed)
    closed_at = max(case.closed_at, approved_at)
    for kind, amount, what, at in (
        (EntryKind.COMMITMENT, committed, "Goedgekeurd maatwerkplan (archief)", approved_at),
        (EntryKind.PAYMENT, paid, "Betaling (archief)", approved_at),
        (EntryKind.RELEASE, committed - paid, "Vrijval bij afsluiten (archief)", closed_at),
    ):
        LedgerEntry.objects.create(
            municipality=m,
            fund=fund,
            kind=kind,
            amount_cents=amount,
            plan=plan,
            description=what,
            created_by=approver,
            created_at=at,
        )
    PlanFunding.objects.create(
        municipality=m, plan=plan, fund=fund, committed_cents=committed, closed_at=closed_at, closed_by=approver
    )
    up_to = min(today, start + datetime.timedelta(days=180))
    if rng.random() < 0.6 and up_to > start:
        RealisedCost.objects.create(
            municipality=m,
            plan=plan,
            funder=payer,
            up_to=up_to,
            recorded_by=author,
            amount_cents=int(custom_month * rng.uniform(3, 7)),
        )
