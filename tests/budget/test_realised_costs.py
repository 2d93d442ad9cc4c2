"""Realised costs against the plan's projection (nazorg): the arithmetic per funder, who may record, bad input,
the table on the plan page, and the demo row."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from doorbraak.budget import selectors, services
from doorbraak.budget.models import Plan, PlanEvent, RealisedCost
from doorbraak.cases.models import TimelineEntry
from doorbraak.core.access import Refusal
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def approved(world, plan=None):
    world.fund()
    plan = plan or world.train_pass_plan()
    return services.approve_plan(world.lead, plan)


def simple_plan(world, approved_on):
    """Custom: € 100 a month for a year (Wmo). Regular: € 300 a month (Wmo) and € 1.200 once (Zvw)."""
    case = world.case("Begeleiding in de buurt")
    plan = services.start_plan(world.professional, case)
    for scenario, unit, amount, duration, funder in (
        ("custom", "month", 100_00, 12, "wmo"),
        ("regular", "month", 300_00, 12, "wmo"),
        ("regular", "each", 1_200_00, 1, "zvw"),
    ):
        services.add_line(
            world.professional,
            plan,
            scenario=scenario,
            description="regel",
            unit=unit,
            amount_cents=amount,
            quantity=Decimal(1),
            duration=Decimal(duration),
            funder=funder,
        )
    Plan.objects.filter(pk=plan.pk).update(
        status=Plan.Status.APPROVED,
        submitted_by=world.professional,
        approved_by=world.lead,
        approved_at=timezone.make_aware(datetime.datetime.combine(approved_on, datetime.time(12, 0))),
    )
    return Plan.objects.get(pk=plan.pk)


def realised(plan, funder, amount, up_to, by):
    return RealisedCost.objects.create(
        municipality=plan.municipality, plan=plan, funder=funder, amount_cents=amount, up_to=up_to, recorded_by=by
    )


def test_realised_vs_projected_per_funder_to_the_cent(world):
    plan = simple_plan(world, datetime.date(2025, 1, 20))
    realised(plan, "wmo", 200_00, datetime.date(2025, 2, 28), world.professional)
    realised(plan, "wmo", 350_00, datetime.date(2025, 3, 31), world.professional)  # the latest counts
    rows = {r["funder"]: r for r in selectors.realised_vs_projected(plan, today=datetime.date(2025, 6, 15))}
    wmo = rows["wmo"]
    assert (wmo["months"], wmo["up_to"], wmo["recorded"]) == (3, datetime.date(2025, 3, 31), True)
    assert (wmo["custom"], wmo["regular"], wmo["realised"]) == (300_00, 900_00, 350_00)
    assert wmo["difference"] == 50_00  # € 50 more than planned
    assert (wmo["projected_return"], wmo["realised_return"]) == (600_00, 550_00)
    zvw = rows["zvw"]  # nothing recorded yet: the projection up to today, no realised figures
    assert (zvw["months"], zvw["recorded"], zvw["realised"], zvw["difference"]) == (6, False, None, None)
    assert (zvw["custom"], zvw["regular"], zvw["projected_return"], zvw["realised_return"]) == (
        0,
        1_200_00,
        1_200_00,
        None,
    )


def test_projection_stops_at_the_horizon_and_same_day_records_take_the_last_one(world):
    plan = simple_plan(world, datetime.date(2024, 1, 5))
    realised(plan, "wmo", 1_000_00, datetime.date(2025, 12, 31), world.professional)
    realised(plan, "wmo", 1_100_00, datetime.date(2025, 12, 31), world.professional)
    wmo = next(r for r in selectors.realised_vs_projected(plan) if r["funder"] == "wmo")
    assert wmo["months"] == 24 and wmo["custom"] == 1_200_00 and wmo["regular"] == 3_600_00  # one-year plan
    assert wmo["realised"] == 1_100_00 and wmo["difference"] == -100_00


def test_no_comparison_before_approval(world):
    plan = world.train_pass_plan()
    assert selectors.realised_vs_projected(plan) == []


def test_involved_professional_records_realised_cost_with_history(world):
    plan = approved(world)
    row = services.record_realised_cost(
        world.professional, plan, funder="wmo", amount_cents=4_650_00, up_to=TODAY, note="Abonnement en begeleiding"
    )
    assert row.recorded_by == world.professional
    assert PlanEvent.objects.filter(plan=plan, kind="realised_cost").exists()
    assert TimelineEntry.objects.filter(case=plan.case, kind="plan.realised_cost").exists()
    zero = services.record_realised_cost(world.approver, plan, funder="zvw", amount_cents=0, up_to=TODAY)
    assert zero.amount_cents == 0  # "nothing spent yet" is a real figure


@pytest.mark.parametrize("who", ["outsider", "policy", "other_municipality"])
def test_only_involved_professionals_and_approvers_may_record(world, who):
    plan = approved(world)
    user = {
        "outsider": world.outsider,
        "policy": UserFactory(municipality=world.municipality, role=Role.POLICY),
        "other_municipality": UserFactory(role=Role.APPROVER),
    }[who]
    with pytest.raises(Refusal):  # the plan gate: they cannot see the plan, so it is a logged 404
        services.record_realised_cost(user, plan, funder="wmo", amount_cents=100, up_to=TODAY)
    assert not RealisedCost.objects.exists()


def test_service_refuses_unapproved_plan_future_date_and_date_before_start(world):
    draft = world.train_pass_plan(submit=False)
    with pytest.raises(RuleError, match="goedgekeurd"):
        services.record_realised_cost(world.professional, draft, funder="wmo", amount_cents=100, up_to=TODAY)
    plan = approved(world, world.train_pass_plan(world.case("Tweede casus")))
    with pytest.raises(RuleError, match="toekomst"):
        services.record_realised_cost(
            world.professional, plan, funder="wmo", amount_cents=100, up_to=TODAY + datetime.timedelta(days=1)
        )
    with pytest.raises(RuleError, match="vanaf de start van het plan"):
        services.record_realised_cost(
            world.professional,
            plan,
            funder="wmo",
            amount_cents=100,
            up_to=TODAY.replace(day=1) - datetime.timedelta(days=1),
        )
    with pytest.raises(RuleError, match="negatief"):
        services.record_realised_cost(world.professional, plan, funder="wmo", amount_cents=-1, up_to=TODAY)
    assert not RealisedCost.objects.exists()


def test_plan_page_form_records_costs_and_shows_realised_vs_projected(world, login):
    plan = approved(world)
    client = login(world.professional)
    html = client.get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    assert "Werkelijke kosten tegenover het plan" in html and "nog niet vastgelegd" in html
    url = reverse("plan:realised", args=[plan.case_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "funder": "wmo",
            "amount": "4.650,00",
            "up_to": TODAY.isoformat(),
            "note": "Abonnement",
            "form_token": "8c6b0c5e-6a1c-4b9a-8d0e-1f2a3b4c5d6e",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#werkelijk")
    again = client.post(
        url,
        {
            "funder": "wmo",
            "amount": "4.650,00",
            "up_to": TODAY.isoformat(),
            "form_token": "8c6b0c5e-6a1c-4b9a-8d0e-1f2a3b4c5d6e",
        },
        follow=True,
    )
    assert "Dit formulier was al verstuurd" in again.content.decode()
    assert RealisedCost.objects.filter(plan=plan).count() == 1
    html = client.get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    table = html.split('id="realised-table"')[1].split("</table>")[0]
    wmo = table.split("Wmo 2015 (gemeente)")[1].split("</tr>")[0]
    row = next(r for r in selectors.realised_vs_projected(plan) if r["funder"] == "wmo")
    assert "€ 4.650,00" in wmo
    difference = row["difference"]
    word = "duurder" if difference > 0 else "goedkoper"
    assert word in wmo
    assert "Abonnement" in html.split('id="realised-history"')[1]


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("amount", "-10", "Een bedrag kan niet negatief zijn."),
        ("amount", "veel", "Vul een bedrag in euro"),
        ("up_to", (TODAY + datetime.timedelta(days=3)).isoformat(), "Deze datum ligt in de toekomst."),
        ("funder", "", "Kies een financier."),
    ],
)
def test_bad_realised_cost_input_gets_dutch_message_and_keeps_input(world, login, field, value, message):
    plan = approved(world)
    client = login(world.professional)
    data = {"funder": "wmo", "amount": "1.250,00", "up_to": TODAY.isoformat(), "note": "Mijn toelichting"}
    data[field] = value
    response = client.post(reverse("plan:realised", args=[plan.case_id]), data)
    body = response.content.decode()
    assert response.status_code == 400 and message in body and "Mijn toelichting" in body
    assert not RealisedCost.objects.exists()


def test_realised_cost_page_refuses_draft_plan_in_dutch(world, login):
    plan = world.train_pass_plan(submit=False)
    client = login(world.professional)
    response = client.post(
        reverse("plan:realised", args=[plan.case_id]), {"funder": "wmo", "amount": "10,00", "up_to": TODAY.isoformat()}
    )
    assert (
        response.status_code == 400 and "pas worden vastgelegd als het plan is goedgekeurd" in response.content.decode()
    )


def test_realised_cost_page_is_404_for_someone_not_involved(world, login):
    plan = approved(world)
    client = login(world.outsider)
    url = reverse("plan:realised", args=[plan.case_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"funder": "wmo", "amount": "10,00", "up_to": TODAY.isoformat()}).status_code == 404
    assert not RealisedCost.objects.exists()


def test_approver_records_and_sees_the_button(world, login):
    plan = approved(world)
    client = login(world.approver)
    assert "Werkelijke kosten vastleggen" in client.get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    client.post(
        reverse("plan:realised", args=[plan.case_id]), {"funder": "justice", "amount": "0", "up_to": TODAY.isoformat()}
    )
    assert RealisedCost.objects.get().recorded_by == world.approver


def test_demo_records_one_realised_cost_row_once(settings):
    from doorbraak.demo import budget as demo
    from doorbraak.demo import cases as cases_demo
    from doorbraak.demo import core as core_demo

    for _ in range(2):
        core_demo.load()
        cases_demo.load()
        demo.load()
    row = RealisedCost.objects.get()
    assert row.plan.case.title == "Jaarabonnement trein in plaats van boetes" and row.amount_cents == 4_650_00
    assert any(r["recorded"] for r in selectors.realised_vs_projected(row.plan))
