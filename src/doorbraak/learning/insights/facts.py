"""Builds the analytics facts of a municipality (the only write path into CaseFact, CaseFunderFact and
CaseDomainFact).

The rebuild reads the case files in primary-key ranges (a handful of grouped queries per range, never one per
case), derives one narrow row per case, per case x funder and per case x domain, and replaces the
municipality's facts in one transaction. Rows carry a keyed pseudonym (HMAC of the case id with
PSEUDONYM_KEY), never the case id: whoever reads the facts cannot walk back to a case without the key.

Definitions (also in the open-data dictionary, learning/report.py):
- platform facts come from the case's first casusplatform (earliest convening); client/expert present when
  present at any of its platforms; organisations = distinct organisations at its platforms;
- domains = life domains whose first ZRM score was 1 or 2 (problem domains at the start);
- zrm_change = mean over domains scored at least twice of (latest - first score);
- participation_change = latest - first participation-ladder step (two or more measurements);
- spend = payments from the flexible budget for the case's approved plan, split over funders by the agreed
  co-funding shares, else in proportion to the custom plan's cost per funder;
- projected return per funder = cost of the regular offer - cost of the custom plan over the whole horizon;
  realised return to date = the regular offer's projected cost up to the month of the latest realised-cost
  record - the realised cost (per funder).
"""

from __future__ import annotations

import datetime
import secrets
import time
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from doorbraak.budget import calculations as calc
from doorbraak.budget.models import EntryKind, LedgerEntry, Plan, PlanLine, PlanShare, RealisedCost, Scenario
from doorbraak.cases.models import Case, CaseFunder, DomainScore, LifeDomain, OutcomeMeasurement
from doorbraak.core.choices import Funder
from doorbraak.core.models import Municipality
from doorbraak.core.pseudonyms import pseudonym
from doorbraak.platforms.models import BlockerTag, Platform, PlatformBlocker, PlatformEvaluation, PlatformParticipant

from ..models import BudgetBand, CaseDomainFact, CaseFact, CaseFunderFact, FactChange, FactRefresh, RecordKey, Rollup
from . import protected, protection

BLOCKER_BITS = {code: 1 << i for i, code in enumerate(BlockerTag.values)}
FUNDER_BITS = {code: 1 << i for i, code in enumerate(Funder.values)}
DOMAIN_BITS = {code: 1 << i for i, code in enumerate(LifeDomain.values)}
BREAKTHROUGH_DAYS = 21


def case_pseudonym(case_id: int) -> str:
    return pseudonym("case", case_id)


def month_start(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def budget_band(spend_cents: int) -> int:
    if spend_cents <= 0:
        return BudgetBand.NONE
    if spend_cents < 5_000_00:
        return BudgetBand.SMALL
    if spend_cents < 25_000_00:
        return BudgetBand.MEDIUM
    return BudgetBand.LARGE


def split_spend(total: int, shares: dict[str, Decimal], custom_per_funder: dict[str, int]) -> dict[str, int]:
    if total <= 0:
        return {}
    if not shares:
        positive = {f: v for f, v in custom_per_funder.items() if v > 0}
        grand = sum(positive.values())
        if not grand:
            return {Funder.OTHER.value: total}
        shares = {f: Decimal(v) / Decimal(grand) for f, v in positive.items()}
    return {f: v for f, v in calc.split_amount(total, shares).items() if v}


class Selection:
    """The cases a build reads: an id range (the full rebuild walks the cases in ranges) or a list of ids (the
    incremental refresh); called with a lookup path to the case id, it gives the filter keywords."""

    def __init__(self, lo: int | None = None, hi: int | None = None, ids: list[int] | None = None):
        self.lo, self.hi, self.ids = lo, hi, ids

    def __call__(self, path: str) -> dict:
        if self.ids is not None:
            return {f"{path}__in": self.ids}
        return {f"{path}__gte": self.lo, f"{path}__lte": self.hi}


def _platform_facts(sel: Selection, municipality_id: int) -> dict[int, dict]:
    out: dict[int, dict] = {}
    rows = (
        Platform.objects.filter(municipality_id=municipality_id, **sel("case_id"))
        .order_by("case_id", "convened_on", "id")
        .values_list(
            "id",
            "case_id",
            "convened_on",
            "breakthrough_on",
            "client_present",
            "experience_expert_present",
            "solution_kind",
        )
    )
    platform_case = {}
    for pid, case_id, convened, broke, client, expert, kind in rows:
        platform_case[pid] = case_id
        fact = out.get(case_id)
        if fact is None:
            out[case_id] = {
                "convened_on": convened,
                "breakthrough_on": broke,
                "client": client,
                "expert": expert,
                "solution_kind": kind or "",
                "orgs": set(),
                "blockers": 0,
                "eval_client": None,
            }
        else:
            fact["client"] |= client
            fact["expert"] |= expert
    if not platform_case:
        return out
    for pid, org_id in PlatformParticipant.objects.filter(
        municipality_id=municipality_id, organisation__isnull=False, **sel("platform__case_id")
    ).values_list("platform_id", "organisation_id"):  # a relative without an organisation is no organisation
        out[platform_case[pid]]["orgs"].add(org_id)
    for pid, code in PlatformBlocker.objects.filter(
        municipality_id=municipality_id, **sel("evaluation__platform__case_id")
    ).values_list("evaluation__platform_id", "code"):
        out[platform_case[pid]]["blockers"] |= BLOCKER_BITS.get(code, 0)
    for pid, satisfaction in (
        PlatformEvaluation.objects.filter(municipality_id=municipality_id, **sel("platform__case_id"))
        .order_by("evaluated_on", "id")
        .values_list("platform_id", "client_satisfaction")
    ):
        out[platform_case[pid]]["eval_client"] = satisfaction
    return out


def _score_facts(sel: Selection, municipality_id: int) -> dict[int, dict[str, tuple[int, int, int]]]:
    """case -> domain -> (first score, latest score, number of scores)."""
    out: dict[int, dict[str, list]] = defaultdict(dict)
    for case_id, domain, score in (
        DomainScore.objects.filter(municipality_id=municipality_id, **sel("case_id"))
        .order_by("case_id", "domain", "scored_on", "id")
        .values_list("case_id", "domain", "score")
    ):
        entry = out[case_id].get(domain)
        if entry is None:
            out[case_id][domain] = [score, score, 1]
        else:
            entry[1] = score
            entry[2] += 1
    return out


def _measurement_facts(sel: Selection, municipality_id: int) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for case_id, step, client in (
        OutcomeMeasurement.objects.filter(municipality_id=municipality_id, **sel("case_id"))
        .order_by("case_id", "measured_on", "id")
        .values_list("case_id", "participation_step", "client_satisfaction")
    ):
        fact = out.get(case_id)
        if fact is None:
            out[case_id] = {"first": step, "last": step, "n": 1, "client": client}
        else:
            fact["last"] = step
            fact["n"] += 1
            if client is not None:
                fact["client"] = client
    return out


def _plan_facts(sel: Selection, municipality_id: int) -> dict[int, dict]:
    """case -> {"spend": cents, "per_funder": {funder: {spend, projected, to_date, realised}}}."""
    plans = {
        pid: (case_id, horizon, approved_at)
        for pid, case_id, horizon, approved_at in (
            Plan.objects.filter(
                municipality_id=municipality_id, status=Plan.Status.APPROVED, **sel("case_id")
            ).values_list("id", "case_id", "horizon_years", "approved_at")
        )
    }
    if not plans:
        return {}
    lines: dict[int, dict[str, list[calc.Line]]] = defaultdict(lambda: defaultdict(list))
    for pid, scenario, unit, amount, quantity, duration, start, funder, rhythm, end in PlanLine.objects.filter(
        municipality_id=municipality_id,
        **sel("plan__case_id"),
        plan__status=Plan.Status.APPROVED,
        scenario__in=[Scenario.CUSTOM, Scenario.REGULAR],
    ).values_list(
        "plan_id",
        "scenario",
        "unit",
        "amount_cents",
        "quantity",
        "duration",
        "start_month",
        "funder",
        "rhythm",
        "end_month",
    ):
        lines[pid][scenario].append(
            calc.Line(
                unit=unit,
                amount_cents=amount,
                quantity=quantity,
                duration=duration,
                funder=funder,
                start_month=start,
                rhythm=rhythm,  # issue 12: the plan's own cost schedule
                end_month=end,
            )
        )
    paid = dict(
        LedgerEntry.objects.filter(municipality_id=municipality_id, kind=EntryKind.PAYMENT, **sel("plan__case_id"))
        .values("plan_id")
        .annotate(total=Sum("amount_cents"))
        .values_list("plan_id", "total")
    )
    shares: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for pid, funder, bp in PlanShare.objects.filter(
        municipality_id=municipality_id, **sel("plan__case_id")
    ).values_list("plan_id", "funder", "basis_points"):
        shares[pid][funder] = Decimal(bp) / Decimal(10000)
    realised: dict[int, dict[str, tuple]] = defaultdict(dict)
    for pid, funder, amount, up_to in (
        RealisedCost.objects.filter(municipality_id=municipality_id, **sel("plan__case_id"))
        .order_by("plan_id", "funder", "up_to", "id")
        .values_list("plan_id", "funder", "amount_cents", "up_to")
    ):
        realised[pid][funder] = (amount, up_to)  # ordered: the latest record wins
    out = {}
    for pid, (case_id, horizon, approved_at) in plans.items():
        custom_lines = lines[pid][Scenario.CUSTOM]
        regular_lines = lines[pid][Scenario.REGULAR]
        custom = calc.scenario(custom_lines, horizon)
        regular = calc.scenario(regular_lines, horizon)
        per_funder: dict[str, dict] = defaultdict(
            lambda: {"spend": 0, "projected": 0, "to_date": None, "realised": None}
        )
        for funder, value in calc.avoided(custom, regular).items():
            per_funder[funder]["projected"] = value
        spend = paid.get(pid, 0) or 0
        for funder, value in split_spend(spend, shares.get(pid, {}), custom.per_funder_total).items():
            per_funder[funder]["spend"] = value
        start = month_start(approved_at) if approved_at else None
        for funder, (amount, up_to) in realised.get(pid, {}).items():
            months = calc.months_between(start, up_to) if start else 0
            regular_to_date = calc.cost_to_month(regular_lines, horizon, months).get(funder, 0)
            custom_to_date = calc.cost_to_month(custom_lines, horizon, months).get(funder, 0)
            per_funder[funder]["to_date"] = regular_to_date - custom_to_date
            per_funder[funder]["realised"] = regular_to_date - amount
        out[case_id] = {"spend": spend, "per_funder": per_funder}
    return out


def build_rows(
    municipality_id: int, lo: int | None, hi: int | None, cases: list[tuple], *, ids: list[int] | None = None
) -> tuple[list, list, list]:
    """Fact rows (dicts of field values) of the cases with ids in [lo, hi] (or in `ids`); `cases` is
    [(id, opened_at, status, team id, household area)] (CASE_COLUMNS)."""
    sel = Selection(lo, hi, ids)
    platforms = _platform_facts(sel, municipality_id)
    scores = _score_facts(sel, municipality_id)
    measurements = _measurement_facts(sel, municipality_id)
    plans = _plan_facts(sel, municipality_id)
    funders: dict[int, int] = defaultdict(int)
    for case_id, funder in CaseFunder.objects.filter(municipality_id=municipality_id, **sel("case_id")).values_list(
        "case_id", "funder"
    ):
        funders[case_id] |= FUNDER_BITS.get(funder, 0)
    now = timezone.now()
    case_rows, funder_rows, domain_rows = [], [], []
    record_keys = record_keys_for(municipality_id, [case_pseudonym(row[0]) for row in cases])
    for case_id, opened_at, status, team_id, area in cases:
        key = case_pseudonym(case_id)
        opened = month_start(opened_at)
        p = platforms.get(case_id)
        days = None
        if p and p["breakthrough_on"]:
            days = (p["breakthrough_on"] - p["convened_on"]).days
        domain_scores = scores.get(case_id, {})
        changes = [last - first for first, last, n in domain_scores.values() if n >= 2]
        m = measurements.get(case_id)
        plan = plans.get(case_id)
        spend = plan["spend"] if plan else 0
        client_satisfaction = (m or {}).get("client") or (p or {}).get("eval_client")
        case_rows.append(
            dict(
                municipality_id=municipality_id,
                pseudonym=key,
                opened_month=opened,
                status=status,
                convened_on=p["convened_on"] if p else None,
                breakthrough_month=month_start(p["breakthrough_on"]) if p and p["breakthrough_on"] else None,
                days_to_breakthrough=days,
                client_present=bool(p and p["client"]),
                expert_present=bool(p and p["expert"]),
                organisations=min(len(p["orgs"]), 32767) if p else 0,
                domains=sum(1 for first, _last, _n in domain_scores.values() if first <= 2),
                solution_kind=p["solution_kind"] if p else "",
                budget_band=budget_band(spend),
                spend_cents=spend,
                blockers=p["blockers"] if p else 0,
                funders=funders.get(case_id, 0),
                zrm_change=(sum(changes) / len(changes)) if changes else None,
                participation_change=(m["last"] - m["first"]) if m and m["n"] >= 2 else None,
                client_satisfaction=client_satisfaction,
                refreshed_at=now,
                record_key=record_keys[key],
                team_id=team_id,
                area=(area or "").strip()[:120],
                problem_domains=sum(
                    DOMAIN_BITS.get(d, 0) for d, (first, _l, _n) in domain_scores.items() if first <= 2
                ),
            )
        )
        for domain, (first, last, n) in domain_scores.items():
            if n < 2:
                continue
            domain_rows.append(
                dict(
                    municipality_id=municipality_id,
                    pseudonym=key,
                    opened_month=opened,
                    domain=domain,
                    first_score=first,
                    last_score=last,
                )
            )
        if plan:
            for funder, v in plan["per_funder"].items():
                if not (v["spend"] or v["projected"] or v["realised"] is not None):
                    continue
                funder_rows.append(
                    dict(
                        municipality_id=municipality_id,
                        pseudonym=key,
                        opened_month=opened,
                        funder=funder,
                        spend_cents=v["spend"],
                        projected_return_cents=v["projected"],
                        projected_to_date_cents=v["to_date"],
                        realised_return_cents=v["realised"],
                    )
                )
    return case_rows, funder_rows, domain_rows


def record_keys_for(municipality_id: int, pseudonyms: list[str]) -> dict[str, int]:
    """pseudonym -> permanent record key; a case seen for the first time gets a random one (learning.RecordKey),
    which no later refresh changes."""
    keys: dict[str, int] = {}
    for i in range(0, len(pseudonyms), CHANGE_CHUNK):
        keys.update(
            RecordKey.objects.filter(pseudonym__in=pseudonyms[i : i + CHANGE_CHUNK]).values_list("pseudonym", "key")
        )
    new = [
        RecordKey(municipality_id=municipality_id, pseudonym=p, key=secrets.randbelow(protection.KEY_RANGE))
        for p in dict.fromkeys(pseudonyms)
        if p not in keys
    ]
    RecordKey.objects.bulk_create(new, batch_size=2000)
    keys.update((r.pseudonym, r.key) for r in new)
    return keys


CASE_COLUMNS = ("pk", "opened_at", "status", "team_id", "household__area")


def insert_rows(model, rows: list[dict]) -> None:
    """Insert plain rows (field name -> value). PostgreSQL: COPY, several times faster than bulk_create at a
    million rows (BENCHMARKS.md); other databases: bulk_create."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
        return
    fields = [model._meta.get_field(name) for name in rows[0]]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    names = list(rows[0])
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row([row[name] for name in names])


FACTS_SCHEMA = 2  # raise when the facts or rollups change meaning: the next refresh is then a full rebuild
BULK_CHANGES = 100_000  # change log rows above which (and above the number of cases) a full rebuild is cheaper
CHANGE_CHUNK = 2000  # cases per incremental step (ids in one IN list: well below SQLite's variable limit)


def refresh_facts(municipality, *, batch: int = 5000, full: bool | None = None) -> int:
    """Bring the facts of one municipality up to date; returns the number of cases in the facts.

    Incremental by default: only the cases in the change log (FactChange, written by triggers) get their facts
    rebuilt, and the month rollups are corrected by the difference. A full rebuild when asked (`full=True`,
    `refresh_learning_facts --full`, for repair), when there is no earlier run to build on, or when that run
    had another FACTS_SCHEMA. Both in one transaction: readers see the old facts until the new ones are
    complete; both leave exactly what a full rebuild leaves (tests/learning/test_incremental_refresh.py)."""
    municipality_id = getattr(municipality, "pk", municipality)
    with scopes_disabled(), transaction.atomic():
        _lock(municipality_id)
        last = FactRefresh.objects.filter(municipality_id=municipality_id).order_by("-finished_at", "-id").first()
        if full is None:
            full = (
                last is None
                or last.schema != FACTS_SCHEMA
                or last.as_of is None
                or last.kind not in (FactRefresh.Kind.FULL, FactRefresh.Kind.INCREMENTAL)
            )
        if not full:  # after a bulk import (more log rows than cases, at least BULK_CHANGES): rebuild everything
            limit = max(last.cases, BULK_CHANGES)
            full = FactChange.objects.filter(municipality_id=municipality_id)[: limit + 1].count() > limit
        if full:
            return _full_refresh(municipality_id, batch)
        return _incremental_refresh(municipality_id, last, batch)


def _lock(municipality_id: int) -> None:
    """One refresh of a municipality at a time (the task and the command may overlap): lock its row."""
    if connection.vendor == "postgresql":
        list(Municipality.objects.select_for_update().filter(pk=municipality_id).values_list("pk"))


def _pending_changes(municipality_id: int) -> tuple[list[int], list[int]]:
    """(change log ids, distinct case ids) committed so far. The run deletes exactly these ids at the end, so a
    change committed while it runs stays in the log for the next run."""
    ids, cases = [], set()
    for pk, case_id in FactChange.objects.filter(municipality_id=municipality_id).values_list("id", "case_id"):
        ids.append(pk)
        cases.add(case_id)
    return ids, sorted(cases)


def _consume_changes(ids: list[int]) -> None:
    for i in range(0, len(ids), CHANGE_CHUNK):
        FactChange.objects.filter(id__in=ids[i : i + CHANGE_CHUNK]).delete()


def _full_refresh(municipality_id: int, batch: int) -> int:
    started = time.perf_counter()
    today = timezone.localdate()
    # Not the ids themselves (after a bulk import the log can hold millions): everything up to the newest
    # committed entry. A change committed during the run by a transaction that started before it may be dropped
    # with the rest; the full rebuild is for repair, and the next full one would pick it up.
    newest = (
        FactChange.objects.filter(municipality_id=municipality_id).order_by("-id").values_list("id", flat=True).first()
    )
    total = 0
    for model in (CaseFact, CaseFunderFact, CaseDomainFact, Rollup):
        model.objects.filter(municipality_id=municipality_id).delete()
    last = 0
    while True:
        cases = list(
            Case.objects.filter(municipality_id=municipality_id, pk__gt=last)
            .order_by("pk")
            .values_list(*CASE_COLUMNS)[:batch]
        )
        if not cases:
            break
        lo, hi = cases[0][0], cases[-1][0]
        case_rows, funder_rows, domain_rows = build_rows(municipality_id, lo, hi, cases)
        insert_rows(CaseFact, case_rows)
        insert_rows(CaseFunderFact, funder_rows)
        insert_rows(CaseDomainFact, domain_rows)
        total += len(cases)
        last = hi
    build_rollups(municipality_id, today=today)
    protected.build_cells(municipality_id, today=today)
    layer = protected.layer_signature(municipality_id)
    if newest is not None:
        FactChange.objects.filter(municipality_id=municipality_id, id__lte=newest).delete()
    FactRefresh.objects.create(
        municipality_id=municipality_id,
        cases=total,
        changed=total,
        as_of=today,
        kind=FactRefresh.Kind.FULL,
        schema=FACTS_SCHEMA,
        layer=layer,
        seconds=round(time.perf_counter() - started, 3),
    )
    return total


CASE_FACT_FIELDS = (
    "pseudonym",
    "opened_month",
    "status",
    "convened_on",
    "breakthrough_month",
    "days_to_breakthrough",
    "client_present",
    "expert_present",
    "organisations",
    "domains",
    "solution_kind",
    "budget_band",
    "spend_cents",
    "blockers",
    "zrm_change",
)
DOMAIN_FACT_FIELDS = ("pseudonym", "opened_month", "domain", "first_score", "last_score")
FUNDER_FACT_FIELDS = (
    "pseudonym",
    "opened_month",
    "funder",
    "spend_cents",
    "projected_return_cents",
    "projected_to_date_cents",
    "realised_return_cents",
)


def _incremental_refresh(municipality_id: int, last: FactRefresh, batch: int) -> int:
    started = time.perf_counter()
    today = timezone.localdate()
    old_cut = last.as_of - datetime.timedelta(days=BREAKTHROUGH_DAYS)
    new_cut = today - datetime.timedelta(days=BREAKTHROUGH_DAYS)
    change_ids, case_ids = _pending_changes(municipality_id)
    delta = Delta()
    # The protected layer is corrected cell by cell when it was built with what it would be built with now (its
    # schema, the themes' blocker codes); otherwise it is rebuilt whole at the end.
    layer = protected.layer_signature(municipality_id)
    cells = protected.LayerChange(municipality_id) if last.layer == layer else None
    total = last.cases
    touched: set[str] = set()
    step = min(batch, CHANGE_CHUNK)
    for i in range(0, len(case_ids), step):
        chunk = case_ids[i : i + step]
        keys = {case_pseudonym(pk): pk for pk in chunk}
        touched.update(keys)
        mine = {"municipality_id": municipality_id, "pseudonym__in": list(keys)}
        # Take out what the old facts of these cases added to the rollups (judged against the old day) ...
        old_facts = list(CaseFact.objects.filter(**mine).values(*CASE_FACT_FIELDS))
        delta.add(
            old_facts,
            CaseDomainFact.objects.filter(**mine).values(*DOMAIN_FACT_FIELDS),
            CaseFunderFact.objects.filter(**mine).values(*FUNDER_FACT_FIELDS),
            cut=old_cut,
            sign=-1,
        )
        if cells is not None:
            cells.take_out(list(keys), old_cut)
        for model in (CaseFact, CaseFunderFact, CaseDomainFact):
            model.objects.filter(**mine).delete()
        # ... and put in the new facts (a deleted case has none), judged against today.
        cases = list(
            Case.objects.filter(municipality_id=municipality_id, pk__in=chunk).order_by("pk").values_list(*CASE_COLUMNS)
        )
        case_rows, funder_rows, domain_rows = build_rows(municipality_id, None, None, cases, ids=chunk)
        insert_rows(CaseFact, case_rows)
        insert_rows(CaseFunderFact, funder_rows)
        insert_rows(CaseDomainFact, domain_rows)
        delta.add(case_rows, domain_rows, funder_rows, cut=new_cut, sign=1)
        if cells is not None:
            cells.put_in(list(keys), new_cut)
        total += len(case_rows) - len(old_facts)
    # Unchanged cases whose platform's three weeks ended between the two runs now count as judged (or no longer,
    # if the clock went back): only their "days" and "pattern" contributions move.
    if old_cut != new_cut:
        window = CaseFact.objects.filter(
            municipality_id=municipality_id,
            convened_on__gt=min(old_cut, new_cut),
            convened_on__lte=max(old_cut, new_cut),
        ).values(*CASE_FACT_FIELDS)
        moved = [fact for fact in window if fact["pseudonym"] not in touched]
        delta.add(moved, (), (), cut=old_cut, sign=-1)
        delta.add(moved, (), (), cut=new_cut, sign=1)
        if cells is not None:
            names = [fact["pseudonym"] for fact in moved]
            for i in range(0, len(names), CHANGE_CHUNK):
                cells.move(names[i : i + CHANGE_CHUNK], old_cut, new_cut)
    delta.apply(municipality_id)
    try:
        if cells is None:
            protected.build_cells(municipality_id, today=today)
        else:
            cells.apply()
    except protected.OutOfStep:
        protected.build_cells(municipality_id, today=today)
    _consume_changes(change_ids)
    FactRefresh.objects.create(
        municipality_id=municipality_id,
        cases=total,
        changed=len(case_ids),
        as_of=today,
        kind=FactRefresh.Kind.INCREMENTAL,
        schema=FACTS_SCHEMA,
        layer=layer,
        seconds=round(time.perf_counter() - started, 3),
    )
    return total


class Delta:
    """What a set of facts adds to the month rollups, per (month, kind, key): [n, c1..c5, f1, f2]. Mirrors
    build_rollups row for row; apply() adds it to the stored rollups and drops rows that reach n = 0."""

    def __init__(self):
        self.values: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0.0, 0.0])

    def _add(self, month, kind, key, sign, *values):
        acc = self.values[(month, str(kind), key)]
        for i, value in enumerate(values):
            acc[i] += sign * value

    def add(self, facts, domain_facts, funder_facts, *, cut: datetime.date, sign: int) -> None:
        for f in facts:
            month = f["opened_month"]
            broke = f["breakthrough_month"] is not None
            spend = f["spend_cents"] or 0
            self._add(
                month,
                Rollup.Kind.OPENED,
                "",
                sign,
                1,
                int(f["convened_on"] is not None),
                int(f["status"] == "closed"),
                int(spend > 0),
                spend,
                int(broke),
            )
            if broke:
                self._add(f["breakthrough_month"], Rollup.Kind.BROKE, "", sign, 1)
            if f["blockers"] > 0:
                self._add(month, Rollup.Kind.MASK, str(f["blockers"]), sign, 1)
            if f["convened_on"] is None or f["convened_on"] > cut:
                continue
            days = f["days_to_breakthrough"]
            self._add(month, Rollup.Kind.DAYS, "" if days is None else str(days), sign, 1)
            zrm = f["zrm_change"]
            key = pattern_key(
                f["client_present"],
                f["expert_present"],
                f["organisations"],
                f["domains"],
                f["solution_kind"],
                f["budget_band"],
            )
            self._add(
                month,
                Rollup.Kind.PATTERN,
                key,
                sign,
                1,
                int(days is not None and days <= BREAKTHROUGH_DAYS),
                int(zrm is not None),
                0,
                0,
                0,
                float(zrm or 0),
                float(zrm or 0) ** 2,
            )
        for d in domain_facts:
            change = d["last_score"] - d["first_score"]
            self._add(
                d["opened_month"],
                Rollup.Kind.DOMAIN,
                d["domain"],
                sign,
                1,
                int(change > 0),
                0,
                0,
                0,
                0,
                float(change),
                float(change * change),
            )
        for r in funder_facts:
            realised = r["realised_return_cents"]
            self._add(
                r["opened_month"],
                Rollup.Kind.FUNDER,
                r["funder"],
                sign,
                1,
                r["spend_cents"] or 0,
                r["projected_return_cents"] or 0,
                int(realised is not None),
                r["projected_to_date_cents"] or 0,
                realised or 0,
            )

    def apply(self, municipality_id: int) -> None:
        changed = {k: v for k, v in self.values.items() if any(v)}
        if not changed:
            return
        months = sorted({month for month, _kind, _key in changed})
        existing = {}
        for i in range(0, len(months), CHANGE_CHUNK):
            for row in Rollup.objects.filter(municipality_id=municipality_id, month__in=months[i : i + CHANGE_CHUNK]):
                existing[(row.month, row.kind, row.key)] = row
        names = ("n", "c1", "c2", "c3", "c4", "c5", "f1", "f2")
        drop, create = [], []
        for (month, kind, key), values in changed.items():
            row = existing.get((month, kind, key))
            if row is None:
                row = Rollup(municipality_id=municipality_id, month=month, kind=kind, key=key)
            else:
                drop.append(row.pk)
                row = Rollup(
                    municipality_id=municipality_id,
                    month=month,
                    kind=kind,
                    key=key,
                    **{name: getattr(existing[(month, kind, key)], name) for name in names},
                )
            for name, value in zip(names, values, strict=True):
                setattr(row, name, getattr(row, name) + value)
            if row.n > 0:
                create.append(row)
        for i in range(0, len(drop), CHANGE_CHUNK):
            Rollup.objects.filter(pk__in=drop[i : i + CHANGE_CHUNK]).delete()
        Rollup.objects.bulk_create(create, batch_size=2000)


def org_band(n: int) -> str:
    return "1-2" if n <= 2 else ("3-4" if n <= 4 else "5+")


def domain_band(n: int) -> str:
    return "0-1" if n <= 1 else ("2-3" if n <= 3 else "4+")


def pattern_key(client: bool, expert: bool, organisations: int, domains: int, solution_kind: str, band: int) -> str:
    return "|".join(
        [
            str(int(bool(client))),
            str(int(bool(expert))),
            org_band(organisations),
            domain_band(domains),
            solution_kind or "",
            str(band),
        ]
    )


def build_rollups(municipality_id: int, *, today: datetime.date | None = None) -> int:
    """Month-level aggregates of the municipality's facts (see Rollup); a few grouped queries. Platforms are
    judged ("three weeks over") against `today` (default: the local date)."""
    today = today or timezone.localdate()
    facts = CaseFact.objects.filter(municipality_id=municipality_id)
    rows: list[Rollup] = []

    def add(month, kind, key="", **values):
        rows.append(Rollup(municipality_id=municipality_id, month=month, kind=kind, key=key, **values))

    for r in (
        facts.values("opened_month")
        .annotate(
            n=Count("id"),
            platforms=Count("id", filter=Q(convened_on__isnull=False)),
            closed=Count("id", filter=Q(status="closed")),
            budget=Count("id", filter=Q(spend_cents__gt=0)),
            spend=Sum("spend_cents"),
            broke=Count("id", filter=Q(breakthrough_month__isnull=False)),
        )
        .order_by()
    ):
        add(
            r["opened_month"],
            Rollup.Kind.OPENED,
            n=r["n"],
            c1=r["platforms"],
            c2=r["closed"],
            c3=r["budget"],
            c4=r["spend"] or 0,
            c5=r["broke"],
        )
    for r in (
        facts.filter(breakthrough_month__isnull=False).values("breakthrough_month").annotate(n=Count("id")).order_by()
    ):
        add(r["breakthrough_month"], Rollup.Kind.BROKE, n=r["n"])
    # Time to breakthrough and patterns only count platforms whose three weeks are over: a platform convened
    # last week cannot have broken through "within three weeks" yet, and counting it as "not yet" would make
    # anything that goes with recent cases (a plan not yet approved, say) look like a factor.
    judged = facts.filter(
        convened_on__isnull=False, convened_on__lte=today - datetime.timedelta(days=BREAKTHROUGH_DAYS)
    )
    for r in judged.values("opened_month", "days_to_breakthrough").annotate(n=Count("id")).order_by():
        days = r["days_to_breakthrough"]
        add(r["opened_month"], Rollup.Kind.DAYS, "" if days is None else str(days), n=r["n"])
    for r in facts.filter(blockers__gt=0).values("opened_month", "blockers").annotate(n=Count("id")).order_by():
        add(r["opened_month"], Rollup.Kind.MASK, str(r["blockers"]), n=r["n"])
    change = F("last_score") - F("first_score")
    for r in (
        CaseDomainFact.objects.filter(municipality_id=municipality_id)
        .values("opened_month", "domain")
        .annotate(
            n=Count("id"),
            improved=Count("id", filter=Q(last_score__gt=F("first_score"))),
            s=Sum(change),
            ss=Sum(change * change),
        )
        .order_by()
    ):
        add(
            r["opened_month"],
            Rollup.Kind.DOMAIN,
            r["domain"],
            n=r["n"],
            c1=r["improved"],
            f1=float(r["s"] or 0),
            f2=float(r["ss"] or 0),
        )
    for r in (
        CaseFunderFact.objects.filter(municipality_id=municipality_id)
        .values("opened_month", "funder")
        .annotate(
            n=Count("id"),
            spend=Sum("spend_cents"),
            projected=Sum("projected_return_cents"),
            realised_n=Count("realised_return_cents"),
            to_date=Sum("projected_to_date_cents"),
            realised=Sum("realised_return_cents"),
        )
        .order_by()
    ):
        add(
            r["opened_month"],
            Rollup.Kind.FUNDER,
            r["funder"],
            n=r["n"],
            c1=r["spend"] or 0,
            c2=r["projected"] or 0,
            c3=r["realised_n"],
            c4=r["to_date"] or 0,
            c5=r["realised"] or 0,
        )
    patterns: dict[tuple, list] = {}
    for r in (
        judged.values(
            "opened_month",
            "client_present",
            "expert_present",
            "organisations",
            "domains",
            "solution_kind",
            "budget_band",
        )
        .annotate(
            n=Count("id"),
            within=Count("id", filter=Q(days_to_breakthrough__lte=BREAKTHROUGH_DAYS)),
            zrm_n=Count("zrm_change"),
            zrm_sum=Sum("zrm_change"),
            zrm_sq=Sum(F("zrm_change") * F("zrm_change")),
        )
        .order_by()
    ):
        key = (
            r["opened_month"],
            pattern_key(
                r["client_present"],
                r["expert_present"],
                r["organisations"],
                r["domains"],
                r["solution_kind"],
                r["budget_band"],
            ),
        )
        acc = patterns.setdefault(key, [0, 0, 0, 0.0, 0.0])
        for i, value in enumerate((r["n"], r["within"], r["zrm_n"], float(r["zrm_sum"] or 0), float(r["zrm_sq"] or 0))):
            acc[i] += value
    for (month, key), (n, within, zrm_n, zrm_sum, zrm_sq) in patterns.items():
        add(month, Rollup.Kind.PATTERN, key, n=n, c1=within, c2=zrm_n, f1=zrm_sum, f2=zrm_sq)
    Rollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
