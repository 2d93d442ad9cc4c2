"""The plan page with 200 cost lines (issue 12, BENCHMARKS.md): exactly the same number of queries as with 4 lines,
and the time it takes (printed; run with -s to see it). The counts are exact: the plan's lines and shares are read
once (prefetched), its case is not read again, realised costs and mandate levels once each."""

import time
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doorbraak.budget.models import PlanLine

RHYTHMS = ["once", "week", "month", "year", "day"]


def _fill(plan, n):
    PlanLine.objects.bulk_create(
        [
            PlanLine(
                municipality_id=plan.municipality_id,
                plan=plan,
                scenario=["do_nothing", "regular", "custom"][i % 3],
                description=f"Regel {i}",
                unit="hour",
                amount_cents=1_000 + i,
                quantity=Decimal(i % 7 + 1),
                rhythm=RHYTHMS[i % 5],
                duration=Decimal(10),
                start_month=i % 24,
                end_month=(i % 24) + 6 if i % 2 else None,
                funder=["wmo", "zvw", "justice", "household"][i % 4],
            )
            for i in range(n)
        ]
    )


def _open(client, plan):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(reverse("plan:detail", args=[plan.case_id]))
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return len(queries), elapsed


def test_plan_page_query_count_does_not_grow_with_its_lines(world, login):
    from doorbraak.budget import services

    small = world.train_pass_plan(submit=False)
    services.update_plan(world.professional, small, horizon_years=3)
    big = world.train_pass_plan(case=world.case("Tweede casus"), submit=False)
    services.update_plan(world.professional, big, horizon_years=3)
    _fill(big, 196)  # + the 4 lines of the train pass = 200
    assert big.lines.count() == 200
    client = login(world.professional)
    _open(client, small)  # warm up (templates, the catalogue, sessions)
    small_queries, _ = _open(client, small)
    big_queries, elapsed = _open(client, big)
    print(f"\nplan page: 4 lines {small_queries} queries; 200 lines {big_queries} queries, {elapsed * 1000:.0f} ms")
    assert big_queries == small_queries == DRAFT_QUERIES


# The professional's draft: session, user, OTP device, case, plan + lines + shares, the access log (municipality,
# savepoint, head, insert, head update, release), funder settings, the money reads, events, funding and documents
# (no session save: an active session is saved at most once a minute, core.services_auth.touch_session).
DRAFT_QUERIES = 25
# The lead on an approved plan adds the realised costs and the mandate reads (holder, level, rule, levels).
APPROVED_QUERIES = 29


def test_approved_plan_page_for_the_lead_has_the_same_exact_count_with_200_lines(world, login):
    from doorbraak.budget import services

    world.fund(50_000_000)
    small = world.train_pass_plan()
    services.approve_plan(world.approver, small)
    big = world.train_pass_plan(case=world.case("Tweede casus"))
    services.approve_plan(world.approver, big)
    _fill(big, 196)
    client = login(world.lead)
    _open(client, small)
    small_queries, _ = _open(client, small)
    big_queries, elapsed = _open(client, big)
    print(f"\napproved plan page: 4 lines {small_queries} queries; 200 lines {big_queries}, {elapsed * 1000:.0f} ms")
    assert big_queries == small_queries == APPROVED_QUERIES
