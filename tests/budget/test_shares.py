"""Shares (issue 12, point 3): typed as percentages or amounts, adding up, what the hand budget pays, the household's
own contribution, co-funding agreements."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from doorbraak.budget import services
from doorbraak.budget.models import PlanEvent, PlanShare
from doorbraak.core.errors import RuleError


@pytest.fixture
def plan(world):
    return world.train_pass_plan(submit=False)  # custom: NS pass EUR 3.000 (Wmo)


def _add(world, plan, funder, amount, description="Regel"):
    services.add_line(
        world.professional,
        plan,
        scenario="custom",
        description=description,
        unit="each",
        amount_cents=amount,
        quantity=Decimal(1),
        rhythm="once",
        funder=funder,
    )


def test_the_fund_pays_only_the_municipal_part_of_the_lines(world, plan):
    _add(world, plan, "zvw", 6_305_000, "Behandeling (Zvw)")
    _add(world, plan, "household", 40_000, "Brandstof, eigen kosten")
    split = services.plan_funding(plan)
    assert split.parts == {"wmo": 300_000, "zvw": 6_305_000, "household": 40_000}
    assert (split.from_fund, split.external, split.own) == (300_000, 6_305_000, 40_000)
    assert services.amount_from_fund_cents(plan) == 300_000
    services.submit_plan(world.professional, plan)
    plan.refresh_from_db()
    assert plan.requested_cents == 300_000


def test_percentages_typed_split_by_largest_remainder(world, plan):
    services.set_shares(
        world.professional,
        plan,
        mode="percent",
        values={"wmo": Decimal("33.33"), "zvw": Decimal("33.33"), "justice": Decimal("33.34")},
    )
    split = services.plan_funding(plan)
    assert split.parts == {"wmo": 99_990, "zvw": 99_990, "justice": 100_020}
    assert sum(split.parts.values()) == 300_000 and split.balanced
    assert split.from_fund == 99_990  # only Wmo: Zvw and justice pay their own part
    assert PlanEvent.objects.filter(plan=plan, kind="cofunding").exists()


def test_percentages_that_do_not_add_up_are_refused_with_the_sum(world, plan):
    with pytest.raises(RuleError) as err:
        services.set_shares(world.professional, plan, mode="percent", values={"wmo": Decimal(60), "zvw": Decimal(30)})
    assert "90" in err.value.message and "100%" in err.value.message
    assert not PlanShare.objects.filter(plan=plan).exists()
    with pytest.raises(RuleError):
        services.set_shares(world.professional, plan, mode="percent", values={"wmo": Decimal("100.001")})


def test_amounts_must_add_up_to_the_plan_and_stop_adding_up_when_lines_change(world, plan):
    with pytest.raises(RuleError) as err:
        services.set_shares(world.professional, plan, mode="amount", values={"wmo": 100_000, "zvw": 100_000})
    assert "€ 2.000,00" in err.value.message and "€ 3.000,00" in err.value.message
    services.set_shares(world.professional, plan, mode="amount", values={"wmo": 200_000, "zvw": 100_000})
    assert services.amount_from_fund_cents(plan) == 200_000
    _add(world, plan, "wmo", 10_000)
    assert not services.plan_funding(plan).balanced
    with pytest.raises(RuleError) as err:
        services.submit_plan(world.professional, plan)
    assert "telt niet op" in err.value.message


def test_prefinancing_only_for_external_funders_never_the_own_contribution(world, plan):
    with pytest.raises(RuleError) as err:
        services.set_shares(
            world.professional,
            plan,
            mode="percent",
            values={"wmo": Decimal(80), "household": Decimal(20)},
            prefinanced={"household"},
        )
    assert "eigen bijdrage nooit" in err.value.message
    services.set_shares(
        world.professional,
        plan,
        mode="percent",
        values={"wmo": Decimal(50), "zvw": Decimal(30), "household": Decimal(20)},
        prefinanced={"zvw"},
    )
    split = services.plan_funding(plan)
    assert split.prefinanced == {"zvw": 90_000}
    assert split.from_fund == 150_000 + 90_000 and split.own == 60_000


def test_typed_shares_via_the_form_keep_what_was_typed_on_error(world, login, plan):
    client = login(world.professional)
    url = reverse("plan:shares", args=[plan.case_id])
    page = client.get(url).content.decode()
    assert "Het maatwerkplan kost € 3.000,00" in page
    response = client.post(url, {"mode": "percent", "share_wmo": "60", "share_justice": "30"})
    html = response.content.decode()
    assert response.status_code == 400 and "samen moeten ze precies 100% zijn" in html and 'value="30"' in html
    response = client.post(url, {"mode": "percent", "share_wmo": "abc"})
    assert response.status_code == 400 and "Vul een percentage in" in response.content.decode()
    response = client.post(url, {"mode": "percent", "share_wmo": "60", "share_justice": "40"})
    assert response.status_code == 302
    html = client.get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    table = html[html.index('id="split-table"') :]
    assert "60%" in table and "€ 1.800,00" in table and "€ 1.200,00" in table
    assert "Uit het handgeldbudget van het team: € 1.800,00" in html


def test_agreement_moves_proposed_agreed_received_with_date_and_reference(world, plan):
    services.set_shares(world.professional, plan, mode="percent", values={"wmo": Decimal(60), "justice": Decimal(40)})
    share = plan.shares.get(funder="justice")
    today = datetime.date.today()
    with pytest.raises(RuleError) as err:
        services.record_agreement(world.professional, plan, share.pk, status="agreed", on=today, reference="")
    assert err.value.field == "reference"
    services.record_agreement(world.professional, plan, share.pk, status="agreed", on=today, reference="OM-2026-17")
    with pytest.raises(RuleError):  # twice the same step: refused, nothing changes
        services.record_agreement(world.professional, plan, share.pk, status="agreed", on=today, reference="X")
    services.record_agreement(world.professional, plan, share.pk, status="received", on=today)
    share.refresh_from_db()
    assert (share.agreement, share.document_reference, share.agreement_date) == ("received", "OM-2026-17", today)
    with pytest.raises(RuleError):
        services.record_agreement(
            world.professional, plan, plan.shares.get(funder="wmo").pk, status="agreed", on=today, reference="x"
        )
    # A later change of the split keeps the agreement of a funder that stays in it
    services.set_shares(world.professional, plan, mode="percent", values={"wmo": Decimal(50), "justice": Decimal(50)})
    assert plan.shares.get(funder="justice").agreement == "received"


def test_a_refused_agreement_stops_counting_in_the_split(world, plan):
    services.set_shares(world.professional, plan, mode="percent", values={"wmo": Decimal(60), "justice": Decimal(40)})
    share = plan.shares.get(funder="justice")
    services.record_agreement(world.professional, plan, share.pk, status="refused", on=datetime.date.today())
    split = services.plan_funding(plan)
    assert not split.balanced  # 60% left: the split must be typed again before submission
