"""The incremental facts refresh: after any mix of changes it leaves exactly what a full rebuild leaves (facts,
month rollups and the dashboard figures), it rebuilds only the changed cases, and the full rebuild stays for
repair (`refresh_learning_facts --full`, no earlier run, another facts schema)."""

import datetime
import math
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from doorbraak.budget.models import EntryKind, Fund, LedgerEntry, Plan, PlanLine, PlanShare, RealisedCost
from doorbraak.cases.models import Case, CaseFunder, DomainScore, OutcomeMeasurement
from doorbraak.core.tasks import run_pending_tasks
from doorbraak.learning import tasks
from doorbraak.learning.insights import analytics, facts
from doorbraak.learning.models import (
    CaseDomainFact,
    CaseFact,
    CaseFunderFact,
    FactChange,
    FactRefresh,
    ProtectedCell,
    Rollup,
)
from doorbraak.platforms.models import Platform, PlatformBlocker, PlatformEvaluation, PlatformParticipant
from tests.factories import OrganisationFactory
from tests.learning.test_dashboard import bare_world, make_case

pytestmark = pytest.mark.django_db(transaction=False)

TODAY = datetime.date.today()
DOMAINS = ["finances", "housing", "daytime", "mental_health", "social_network"]
BLOCKERS = ["pinching_rules", "unclear_funding", "no_places"]


def snapshot(municipality):
    """Everything a refresh writes that a reader sees: facts without their row ids and timestamps, the rollups
    (floats rounded: sums of means may differ in the last bits), and the dashboard over the whole period."""

    def rows(model, skip=("id",)):
        names = [f.name for f in model._meta.fields if f.name not in skip]
        return sorted(
            (tuple(sorted(row.items())) for row in model.objects.filter(municipality=municipality).values(*names)),
            key=repr,
        )

    case_facts = rows(CaseFact, ("id", "refreshed_at"))
    funder_facts = rows(CaseFunderFact)
    domain_facts = rows(CaseDomainFact)
    rollups = {
        (r.month, r.kind, r.key): (r.n, r.c1, r.c2, r.c3, r.c4, r.c5, round(r.f1, 6), round(r.f2, 6))
        for r in Rollup.objects.filter(municipality=municipality)
    }
    # Issue 13: the dashboard reads grid cells (the current year here) from the protected layer, which every
    # refresh rebuilds from the facts: compare the whole layer too.
    period = analytics.default_period(TODAY)
    dashboard = analytics.dashboard(municipality, period)
    cells = sorted(
        (c.grain, c.period, c.dimension, c.value, c.measure, c.count, repr(_rounded(c.stats)))
        for c in ProtectedCell.objects.filter(municipality=municipality)
    )
    dashboard.pop("refreshed", None)
    return {
        "case_facts": case_facts,
        "funder_facts": funder_facts,
        "domain_facts": domain_facts,
        "rollups": rollups,
        "dashboard": _rounded(dashboard),
        "cells": cells,
    }


def _rounded(value):
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items() if k not in ("refresh", "last_refresh")}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def add_plan(w, case, rng, fund, *, approved=True):
    existing = Plan.objects.filter(case=case).first()  # one plan per case
    if existing:
        return existing
    approved_at = timezone.now() - datetime.timedelta(days=rng.randint(0, 300)) if approved else None
    plan = Plan.objects.create(
        municipality=w.municipality,
        case=case,
        status=Plan.Status.APPROVED if approved else Plan.Status.SUBMITTED,
        created_by=w.pro,
        submitted_by=w.pro,
        approved_by=w.approver if approved else None,
        approved_at=approved_at,
    )
    for scenario, amount in (("custom", rng.randint(50, 500)), ("regular", rng.randint(100, 900))):
        PlanLine.objects.create(
            municipality=w.municipality,
            plan=plan,
            scenario=scenario,
            description="x",
            unit="month",
            amount_cents=amount * 100,
            quantity=Decimal(1),
            duration=Decimal(rng.randint(3, 18)),
            funder=rng.choice(["wmo", "participatiewet"]),
        )
    if rng.random() < 0.4:
        PlanShare.objects.create(municipality=w.municipality, plan=plan, funder="wmo", basis_points=6000)
        PlanShare.objects.create(municipality=w.municipality, plan=plan, funder="participatiewet", basis_points=4000)
    return plan


def base_world(rng):
    w = bare_world()
    w.fund = Fund.objects.create(municipality=w.municipality, team=w.team, year=TODAY.year, name="Budget")
    for _ in range(30):
        case = make_case(
            w,
            opened=TODAY - datetime.timedelta(days=rng.randint(10, 500)),
            days=rng.choice([None, 3, 15, 40]),
            expert=rng.random() < 0.4,
            client=rng.random() < 0.5,
            blockers=rng.sample(BLOCKERS, rng.randint(0, 2)),
            orgs=rng.randint(1, 3),
            scores=[(d, rng.randint(1, 3), rng.randint(1, 5)) for d in rng.sample(DOMAINS, rng.randint(0, 3))],
            status=rng.choice([Case.Status.OPEN, Case.Status.CLOSED]),
        )
        if rng.random() < 0.4:
            add_plan(w, case, rng, w.fund, approved=rng.random() < 0.7)
    return w


def random_change(w, rng) -> str:
    """One change of the kinds a team makes every day; returns its name (for the failure message)."""
    cases = list(Case.objects.filter(municipality=w.municipality).order_by("pk"))
    case = rng.choice(cases) if cases else None
    kind = rng.choice(
        [
            "new_case",
            "close",
            "platform",
            "breakthrough",
            "approve",
            "payment",
            "measurement",
            "score",
            "funder",
            "realised",
            "delete",
            "blocker",
            "participant",
            "reopen_month",
        ]
    )
    if kind == "new_case" or case is None:
        make_case(
            w,
            opened=TODAY - datetime.timedelta(days=rng.randint(0, 90)),
            days=rng.choice([None, 5, 30]),
            client=rng.random() < 0.5,
            scores=[("housing", 2, rng.randint(1, 5))],
        )
        return "new_case"
    if kind == "close":
        Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)  # a queryset update: no signals
    elif kind == "platform":
        Platform.objects.create(
            municipality=w.municipality,
            case=case,
            convened_by=w.lead,
            first_problem="x",
            convened_on=TODAY - datetime.timedelta(days=rng.randint(0, 60)),
            experience_expert_present=rng.random() < 0.5,
        )
    elif kind == "breakthrough":
        platform = Platform.objects.filter(case=case).order_by("convened_on", "id").first()
        if platform:
            platform.breakthrough_on = platform.convened_on + datetime.timedelta(days=rng.randint(1, 50))
            platform.solution_kind = rng.choice(["housing", "care", "bridging"])
            platform.save()
    elif kind == "approve":
        plan = Plan.objects.filter(case=case).exclude(status=Plan.Status.APPROVED).first()
        if plan is None:
            add_plan(w, case, rng, w.fund)
        else:
            Plan.objects.filter(pk=plan.pk).update(
                status=Plan.Status.APPROVED, approved_by=w.approver, approved_at=timezone.now()
            )
    elif kind == "payment":
        plan = add_plan(w, case, rng, w.fund)
        LedgerEntry.objects.create(
            municipality=w.municipality,
            fund=w.fund,
            kind=EntryKind.PAYMENT,
            amount_cents=rng.randint(1, 400) * 100,
            plan=plan,
        )
    elif kind == "realised":
        plan = Plan.objects.filter(case=case, status=Plan.Status.APPROVED).first()
        if plan:
            RealisedCost.objects.create(
                municipality=w.municipality,
                plan=plan,
                funder="wmo",
                recorded_by=w.pro,
                up_to=TODAY,
                amount_cents=rng.randint(0, 3000) * 100,
            )
    elif kind == "measurement":
        OutcomeMeasurement.objects.create(
            municipality=w.municipality,
            case=case,
            recorded_by=w.pro,
            participation_step=rng.randint(1, 6),
            client_satisfaction=rng.choice([None, 4, 8]),
            measured_on=TODAY - datetime.timedelta(days=rng.randint(0, 30)),
        )
    elif kind == "score":
        DomainScore.objects.bulk_create(
            [
                DomainScore(  # bulk_create: no signals either
                    municipality=w.municipality,
                    case=case,
                    domain=rng.choice(DOMAINS),
                    score=rng.randint(1, 5),
                    scored_on=TODAY - datetime.timedelta(days=rng.randint(0, 30)),
                    scored_by=w.lead,
                )
            ]
        )
    elif kind == "funder":
        try:
            with transaction.atomic():
                CaseFunder.objects.create(
                    municipality=w.municipality, case=case, funder=rng.choice(["wmo", "jeugdwet", "participatiewet"])
                )
        except IntegrityError:
            pass
    elif kind == "blocker":
        evaluation = PlatformEvaluation.objects.filter(platform__case=case).first()
        if evaluation:
            try:
                with transaction.atomic():
                    PlatformBlocker.objects.create(
                        municipality=w.municipality, evaluation=evaluation, code=rng.choice(BLOCKERS)
                    )
            except IntegrityError:
                pass
    elif kind == "participant":
        platform = Platform.objects.filter(case=case).first()
        if platform:
            PlatformParticipant.objects.create(
                municipality=w.municipality,
                platform=platform,
                organisation=OrganisationFactory(municipality=w.municipality),
            )
    elif kind == "reopen_month":  # the opening date corrected: the case moves to another month
        Case.objects.filter(pk=case.pk).update(opened_at=case.opened_at - datetime.timedelta(days=45))
    elif kind == "delete":
        try:
            with transaction.atomic():
                case.delete()
        except (ProtectedError, IntegrityError, Exception):  # payments are append-only: such a case stays
            fresh = make_case(w, days=5)
            facts.refresh_facts(w.municipality)
            fresh.delete()
    return kind


def assert_incremental_equals_full(municipality, note=""):
    count = facts.refresh_facts(municipality)
    assert FactRefresh.objects.filter(municipality=municipality).first().kind == FactRefresh.Kind.INCREMENTAL
    assert not FactChange.objects.filter(municipality_id=municipality.pk).exists()
    incremental = snapshot(municipality)
    assert facts.refresh_facts(municipality, full=True) == count
    full = snapshot(municipality)
    for part in full:
        assert incremental[part] == full[part], f"{part} differs after {note}"
    assert count == Case.objects.filter(municipality=municipality).count()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_after_random_changes_the_incremental_refresh_equals_a_full_rebuild(seed):
    rng = random.Random(seed)
    w = base_world(rng)
    facts.refresh_facts(w.municipality)
    assert FactRefresh.objects.filter(municipality=w.municipality).first().kind == FactRefresh.Kind.FULL
    for round_ in range(4):
        done = [random_change(w, rng) for _ in range(rng.randint(1, 8))]
        assert_incremental_equals_full(w.municipality, f"round {round_}: {done}")


def test_days_passing_moves_platforms_into_the_judged_figures_as_a_full_rebuild_would(monkeypatch):
    """A platform convened 20 days ago is not judged yet; two days later it is, without any change to its case."""
    w = bare_world()
    for days_ago in (19, 20, 21, 22, 60):
        make_case(w, opened=TODAY - datetime.timedelta(days=days_ago + 2), days=None, client=True)
    facts.refresh_facts(w.municipality)
    before = sum(r.n for r in Rollup.objects.filter(municipality=w.municipality, kind=Rollup.Kind.DAYS))
    later = TODAY + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    facts.refresh_facts(w.municipality)
    after = sum(r.n for r in Rollup.objects.filter(municipality=w.municipality, kind=Rollup.Kind.DAYS))
    assert after == before + 2
    incremental = snapshot(w.municipality)
    facts.refresh_facts(w.municipality, full=True)
    assert snapshot(w.municipality)["rollups"] == incremental["rollups"]


def test_only_the_changed_cases_are_rebuilt():
    w = bare_world()
    cases = [make_case(w, days=5) for _ in range(6)]
    facts.refresh_facts(w.municipality)
    untouched = dict(CaseFact.objects.filter(municipality=w.municipality).values_list("pseudonym", "id"))
    Case.objects.filter(pk=cases[0].pk).update(status=Case.Status.OPEN)
    facts.refresh_facts(w.municipality)
    latest = FactRefresh.objects.filter(municipality=w.municipality).first()
    assert (latest.kind, latest.changed, latest.cases) == (FactRefresh.Kind.INCREMENTAL, 1, 6)
    now = dict(CaseFact.objects.filter(municipality=w.municipality).values_list("pseudonym", "id"))
    changed = {key for key in now if now[key] != untouched[key]}
    assert changed == {facts.case_pseudonym(cases[0].pk)}
    assert CaseFact.objects.get(pseudonym=facts.case_pseudonym(cases[0].pk)).status == Case.Status.OPEN


def test_every_write_path_lands_in_the_change_log():
    """Triggers, not signals: bulk_create, queryset.update() and delete are seen as well as save()."""
    w = bare_world()
    case = make_case(w, days=5)
    facts.refresh_facts(w.municipality)
    assert not FactChange.objects.exists()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.OPEN)
    DomainScore.objects.bulk_create(
        [DomainScore(municipality=w.municipality, case=case, domain="housing", score=3, scored_by=w.lead)]
    )
    PlatformParticipant.objects.filter(platform__case=case).delete()
    rows = list(FactChange.objects.values_list("municipality_id", "case_id"))
    assert len(rows) == 3 and set(rows) == {(w.municipality.pk, case.pk)}


def test_a_deleted_case_leaves_the_facts_and_the_figures():
    w = bare_world()
    keep, gone = make_case(w, days=5), make_case(w, days=5, blockers=["no_places"])
    facts.refresh_facts(w.municipality)
    gone_key = facts.case_pseudonym(gone.pk)
    gone.delete()
    assert facts.refresh_facts(w.municipality) == 1
    assert not CaseFact.objects.filter(pseudonym=gone_key).exists()
    assert CaseFact.objects.filter(pseudonym=facts.case_pseudonym(keep.pk)).exists()
    assert not Rollup.objects.filter(municipality=w.municipality, kind=Rollup.Kind.MASK).exists()


def test_a_full_rebuild_when_asked_when_there_is_no_earlier_run_or_the_schema_changed(monkeypatch):
    w = bare_world()
    make_case(w, days=5)
    facts.refresh_facts(w.municipality)

    def kinds():
        rows = FactRefresh.objects.filter(municipality=w.municipality).order_by("finished_at", "id")
        return list(rows.values_list("kind", flat=True))

    assert kinds() == ["full"]
    facts.refresh_facts(w.municipality)
    call_command("refresh_learning_facts", "--gemeente", w.municipality.code, "--full")
    monkeypatch.setattr(facts, "FACTS_SCHEMA", facts.FACTS_SCHEMA + 1)
    facts.refresh_facts(w.municipality)
    facts.refresh_facts(w.municipality)
    assert kinds() == ["full", "incremental", "full", "full", "incremental"]


def test_the_nightly_task_and_the_button_refresh_incrementally(client):
    w = bare_world()
    make_case(w, days=5)
    facts.refresh_facts(w.municipality)
    make_case(w, days=5)
    tasks.request_refresh(w.policy)
    assert run_pending_tasks() == 1
    latest = FactRefresh.objects.filter(municipality=w.municipality).first()
    assert (latest.kind, latest.changed, latest.cases) == (FactRefresh.Kind.INCREMENTAL, 1, 2)
    assert CaseFact.objects.filter(municipality=w.municipality).count() == 2


def test_after_a_bulk_import_bigger_than_the_facts_the_refresh_is_a_full_one(monkeypatch):
    w = bare_world()
    make_case(w, days=5)
    facts.refresh_facts(w.municipality)
    monkeypatch.setattr(facts, "BULK_CHANGES", 3)
    for _ in range(2):
        make_case(w, days=5)  # a case with a platform and a participant: several log rows each
    assert facts.refresh_facts(w.municipality) == 3
    latest = FactRefresh.objects.filter(municipality=w.municipality).first()
    assert latest.kind == FactRefresh.Kind.FULL
    assert not FactChange.objects.exists()


def test_a_change_logged_while_the_refresh_runs_stays_for_the_next_run(monkeypatch):
    w = bare_world()
    first, second = make_case(w, days=5), make_case(w, days=5)
    facts.refresh_facts(w.municipality)
    Case.objects.filter(pk=first.pk).update(status=Case.Status.OPEN)
    real_build_rows = facts.build_rows

    def build_rows_while_a_colleague_saves(*args, **kwargs):
        Case.objects.filter(pk=second.pk).update(status=Case.Status.OPEN)  # logged after the run read the log
        return real_build_rows(*args, **kwargs)

    monkeypatch.setattr(facts, "build_rows", build_rows_while_a_colleague_saves)
    facts.refresh_facts(w.municipality)
    assert list(FactChange.objects.values_list("case_id", flat=True).distinct()) == [second.pk]
    monkeypatch.setattr(facts, "build_rows", real_build_rows)
    facts.refresh_facts(w.municipality)
    assert set(CaseFact.objects.values_list("status", flat=True)) == {Case.Status.OPEN}
