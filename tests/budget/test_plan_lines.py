"""Cost lines (issue 12, point 1): the rhythm and months in the form, "Bereken" before saving, editing, deleting
with confirmation, the plan history, and bad input that keeps what was typed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from doorbraak.budget import services
from doorbraak.budget.models import PlanEvent, PlanLine
from doorbraak.core.errors import RuleError

WEEKLY = {
    "scenario": "custom",
    "description": "Begeleiding thuis",
    "unit": "hour",
    "amount": "55,80",
    "quantity": "4",
    "rhythm": "week",
    "start_month": "1",
    "end_month": "24",
    "funder": "wmo",
}


@pytest.fixture
def plan(world):
    plan = world.train_pass_plan(submit=False)
    services.update_plan(world.professional, plan, horizon_years=2)
    return plan


def test_bereken_shows_cost_per_month_and_year_without_saving(world, login, plan):
    client = login(world.professional)
    before = PlanLine.objects.count()
    response = client.post(reverse("plan:line_add", args=[plan.case_id]), {**WEEKLY, "bereken": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="line-preview"' in html
    assert "€ 967,20 per maand en € 11.606,40 per jaar, van maand 1 tot en met maand 24" in html
    assert "in totaal € 23.212,80" in html and "Nog niet opgeslagen" in html
    assert PlanLine.objects.count() == before
    assert 'value="Begeleiding thuis"' in html  # what was typed stays


def test_save_edit_and_history(world, login, plan):
    client = login(world.professional)
    response = client.post(reverse("plan:line_add", args=[plan.case_id]), WEEKLY)
    assert response.status_code == 302
    line = PlanLine.objects.get(plan=plan, description="Begeleiding thuis")
    assert (line.rhythm, line.start_month, line.end_month, line.quantity) == ("week", 0, 23, Decimal(4))
    html = client.get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    assert "maand 1 t/m 24" in html and "€ 967,20" in html and "€ 23.212,80" in html
    page = client.get(reverse("plan:line_change", args=[plan.case_id, line.pk])).content.decode()
    assert 'value="55,80"' in page and 'value="24"' in page
    response = client.post(reverse("plan:line_change", args=[plan.case_id, line.pk]), {**WEEKLY, "quantity": "2"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.quantity == Decimal(2)
    kinds = list(PlanEvent.objects.filter(plan=plan).values_list("kind", "summary"))
    assert any(k == "line_changed" and "was Begeleiding thuis: € 55,80 × 4 per week" in s for k, s in kinds)


def test_delete_asks_for_confirmation_first(world, login, plan):
    client = login(world.professional)
    line = plan.lines.get(description="NS-jaarabonnement")
    url = reverse("plan:line_remove", args=[plan.case_id, line.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Weet u zeker dat u “NS-jaarabonnement”" in page.content.decode()
    assert PlanLine.objects.filter(pk=line.pk).exists()
    client.post(url)
    assert not PlanLine.objects.filter(pk=line.pk).exists()
    assert PlanEvent.objects.filter(plan=plan, kind="line_removed", summary__contains="NS-jaarabonnement").exists()


def test_an_approver_gets_no_delete_confirmation(world, login, plan):
    line = plan.lines.first()
    response = login(world.approver).get(reverse("plan:line_remove", args=[plan.case_id, line.pk]))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("amount", "-5", None),
        ("amount", "999999999999", None),
        ("amount", "veel", None),
        ("quantity", "abc", "Vul een aantal in"),
        ("quantity", "-1", None),
        ("end_month", "0", None),
        ("start_month", "abc", "Vul een maand in"),
    ],
)
def test_bad_input_gets_a_dutch_message_and_keeps_what_was_typed(world, login, plan, field, value, message):
    client = login(world.professional)
    response = client.post(reverse("plan:line_add", args=[plan.case_id]), {**WEEKLY, field: value})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Begeleiding thuis"' in html
    if message:
        assert message in html


def test_end_before_start_is_refused_in_form_and_service(world, login, plan):
    client = login(world.professional)
    response = client.post(
        reverse("plan:line_add", args=[plan.case_id]), {**WEEKLY, "start_month": "6", "end_month": "3"}
    )
    assert response.status_code == 400 and "De laatste maand ligt vóór de eerste maand." in response.content.decode()
    with pytest.raises(RuleError) as err:
        services.add_line(
            world.professional,
            plan,
            scenario="custom",
            description="x",
            unit="hour",
            amount_cents=100,
            quantity=Decimal(1),
            funder="wmo",
            rhythm="week",
            start_month=5,
            end_month=2,
        )
    assert err.value.field == "end_month"


def test_end_beyond_the_horizon_and_an_absurd_total_are_refused(world, plan):
    base = dict(scenario="custom", description="x", unit="hour", quantity=Decimal(1), funder="wmo", rhythm="week")
    with pytest.raises(RuleError) as err:
        services.add_line(world.professional, plan, amount_cents=100, start_month=0, end_month=24, **base)
    assert "uiterlijk maand 24" in err.value.message
    with pytest.raises(RuleError) as err:
        services.add_line(
            world.professional,
            plan,
            amount_cents=99_000_000_00,
            start_month=0,
            end_month=23,
            **{**base, "quantity": Decimal(9000)},
        )
    assert "onwaarschijnlijk" in err.value.message
