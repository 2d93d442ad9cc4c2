"""Issue 12 point 4: funds that cannot be over-committed, the plan's fund, release on closing, the fund page."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from doorbraak.budget import selectors, selectors_funds, services
from doorbraak.budget.models import EntryKind, Fund, LedgerEntry, Plan, PlanFunding
from doorbraak.core.errors import RuleError

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


def _second_fund(world, amount=500_000):
    return services.create_fund(world.approver, team=world.team, year=YEAR, name="Zorgbudget", amount_cents=amount)


def test_available_nets_out_the_commitment_and_the_overview_shows_it(world):
    fund = world.fund(1_000_000)
    plan = world.train_pass_plan()
    services.approve_plan(world.approver, plan)
    fund.refresh_from_db()
    assert (fund.allocated_cents, fund.committed_cents, fund.available_cents) == (1_000_000, 300_000, 700_000)
    row = selectors.fund_overview(world.approver)[0]
    assert row["committed"] == 300_000 and row["available"] == 700_000


def test_the_approver_picks_the_fund_and_the_plan_shows_it(world, login):
    world.fund(100_000)  # "Handgeld": too small for EUR 3.000
    other = _second_fund(world)
    plan = world.train_pass_plan()
    client = login(world.approver)
    html = client.get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    assert "Goedkeuren ten laste van dit budget" in html and "Zorgbudget" in html
    client.post(reverse("plan:approve", args=[plan.case_id]), {"fund": other.pk})
    funding = PlanFunding.objects.get(plan=plan)
    assert funding.fund == other and funding.committed_cents == 300_000
    html = client.get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    assert "Dit plan trekt op Zorgbudget" in html


def test_a_fund_of_another_team_cannot_be_picked(world):
    from tests.factories import TeamFactory

    world.fund()
    foreign = services.create_fund(
        world.approver, team=TeamFactory(municipality=world.municipality), year=YEAR, name="X", amount_cents=900_000
    )
    plan = world.train_pass_plan()
    with pytest.raises(RuleError, match="team van deze casus"):
        services.approve_plan(world.approver, plan, foreign)
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.SUBMITTED


def test_the_database_refuses_totals_that_do_not_add_up(world):
    fund = world.fund(100_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(committed_cents=50_000)  # available not lowered with it
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(paid_cents=1)  # paid without a commitment


def test_closing_a_partly_paid_plan_releases_the_rest_once(world):
    fund = world.fund(1_000_000)
    plan = world.train_pass_plan()
    services.approve_plan(world.approver, plan)
    services.pay(world.lead, plan, 120_000, payee_name="NS", iban="NL91ABNA0417164300")
    assert services.close_funding(world.lead, plan) == 180_000
    fund.refresh_from_db()
    assert fund.available_cents == 880_000 == selectors.recompute_balance(fund)
    assert fund.open_commitments_cents == 0
    with pytest.raises(RuleError, match="al afgesloten"):
        services.close_funding(world.lead, plan)
    with pytest.raises(RuleError, match="meer dan er voor dit plan"):
        services.pay(world.lead, plan, 1, payee_name="NS", iban="NL91ABNA0417164300")
    assert LedgerEntry.objects.filter(kind=EntryKind.RELEASE).count() == 1


def test_fund_page_pages_filters_and_exports_csv(world, login):
    fund = world.fund(10_000_000)
    for _ in range(60):
        services.allocate(world.approver, fund, 100, description="=HYPERLINK(1)")
    client = login(world.approver)
    first = client.get(reverse("budget:fund_detail", args=[fund.pk]))
    html = first.content.decode()
    assert first.status_code == 200 and html.count('<tr class="utrecht-table__row"><td') == 50
    assert "Oudere boekingen" in html
    last_id = LedgerEntry.objects.filter(fund=fund).order_by("id")[10].pk
    older = client.get(reverse("budget:fund_detail", args=[fund.pk]), {"na": last_id}).content.decode()
    assert older.count('<tr class="utrecht-table__row"><td') == 10 and "Oudere boekingen" not in older
    filtered = client.get(reverse("budget:fund_detail", args=[fund.pk]), {"kind": "payment"}).content.decode()
    assert "Geen boekingen." in filtered
    bad = client.get(reverse("budget:fund_detail", args=[fund.pk]), {"since": "2026-05-01", "until": "2026-01-01"})
    assert bad.status_code == 400 and "De einddatum ligt voor de begindatum." in bad.content.decode()
    response = client.get(reverse("budget:fund_csv", args=[fund.pk]))
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert len(lines) == 62  # header, the first allocation, 60 more
    assert "'=HYPERLINK(1)" in body and "=HYPERLINK(1);" not in body.replace("'=HYPERLINK(1)", "")


def test_fund_page_is_hidden_for_professionals_and_other_municipalities(world, login):
    from doorbraak.core.models import Role
    from tests.factories import MunicipalityFactory, UserFactory

    fund = world.fund()
    assert login(world.professional).get(reverse("budget:fund_detail", args=[fund.pk])).status_code == 404
    stranger = UserFactory(municipality=MunicipalityFactory(), role=Role.APPROVER)
    assert login(stranger).get(reverse("budget:fund_detail", args=[fund.pk])).status_code == 404


def test_fund_page_query_count_does_not_grow_with_entries(world, login, django_assert_max_num_queries):
    fund = world.fund(10_000_000)
    for _ in range(120):
        services.allocate(world.approver, fund, 100)
    client = login(world.approver)
    client.get(reverse("budget:fund_detail", args=[fund.pk]))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("budget:fund_detail", args=[fund.pk]))
    for _ in range(200):
        services.allocate(world.approver, fund, 100)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("budget:fund_detail", args=[fund.pk]))
    assert len(many) == len(few)


def test_queue_and_fund_reads_live_in_selectors_funds():
    assert selectors.fund_for is selectors_funds.fund_for and selectors.plans_awaiting is selectors_funds.plans_awaiting
