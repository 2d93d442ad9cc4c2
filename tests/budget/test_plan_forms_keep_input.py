"""Issue 12, bad input on the plan page's own forms (reclaim, repayment, write-off, return, co-funding agreement):
after an error the plan page comes back (400) with the Dutch message at the form and what was typed still in it;
nothing is booked. The separate form pages (payment, loan, shares, cost line) keep their input too."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from doorbraak.budget import services
from doorbraak.budget.models import LedgerEntry, Loan, Plan, Reclaim

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def approved(world):
    world.fund(1_000_000)
    plan = world.train_pass_plan()
    services.approve_plan(world.approver, plan)
    return plan


def _value(html, name):
    """The value attribute of the input named `name` on the page (the first one)."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


@pytest.mark.parametrize(
    "amount, message",
    [("-5", "niet negatief"), ("tien", "Vul een bedrag in euro"), ("1000000000000", "onwaarschijnlijk hoog")],
)
def test_reclaim_form_keeps_typed_values_after_a_form_error(world, login, approved, amount, message):
    client = login(world.lead)
    data = {"token": "r1", "funder": "bijzondere_bijstand", "purpose": "Bijzondere bijstand woninginrichting"}
    response = client.post(reverse("plan:reclaim_add", args=[approved.case_id]), {**data, "amount": amount})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert _value(html, "amount") == amount
    assert _value(html, "purpose") == "Bijzondere bijstand woninginrichting"
    assert re.search(r'<option value="bijzondere_bijstand"[^>]*selected', html)
    assert not Reclaim.objects.exists()


def test_reclaim_form_keeps_typed_values_after_a_service_refusal(world, login):
    world.fund()
    plan = world.train_pass_plan()
    Plan.objects.filter(pk=plan.pk).update(  # approved without a commitment: the service refuses
        status=Plan.Status.APPROVED, approved_at=timezone.now(), approved_by=world.approver
    )
    client = login(world.lead)
    data = {"token": "r2", "funder": "zvw", "purpose": "Zvw-zorg vooruitbetaald", "amount": "250,00"}
    response = client.post(reverse("plan:reclaim_add", args=[plan.case_id]), data)
    html = response.content.decode()
    assert response.status_code == 400 and "geen budget vastgelegd" in html
    assert _value(html, "amount") == "250,00" and _value(html, "purpose") == "Zvw-zorg vooruitbetaald"


def test_repayment_and_write_off_keep_typed_values_on_the_loan_they_belong_to(world, login, approved):
    loan = services.grant_loan(
        world.lead,
        approved,
        60_000,
        condition="Rijbewijs halen",
        deadline=TODAY + datetime.timedelta(days=90),
        instalment_cents=10_000,
        terms=6,
        first_due=TODAY + datetime.timedelta(days=30),
    ).loan
    services.loan_outcome(world.lead, loan, "met")
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.status != Loan.Status.OUTSTANDING
    client = login(world.lead)
    repay_url = reverse("plan:loan_repay", args=[approved.case_id, loan.pk])
    response = client.post(repay_url, {"token": "a1", "amount": "-3"})
    html = response.content.decode()
    assert response.status_code == 400 and _value(html, "amount") == "-3"
    assert not LedgerEntry.objects.filter(kind="loan_repayment").exists()
    response = client.post(reverse("plan:loan_write_off", args=[approved.case_id, loan.pk]), {"reason": ""})
    assert response.status_code == 400 and "Geef een reden om af te schrijven." in response.content.decode()
    assert Loan.objects.get(pk=loan.pk).status != Loan.Status.WRITE_OFF_REQUESTED


def test_return_form_keeps_the_reason_after_an_error(world, login):
    world.fund(1_000_000)
    plan = world.train_pass_plan()
    client = login(world.professional)  # the submitter may not return their own plan: four eyes
    response = client.post(reverse("plan:return", args=[plan.case_id]), {"reason": "Te duur " * 50})
    assert response.status_code in (400, 403, 404)
    client = login(world.approver)
    response = client.post(reverse("plan:return", args=[plan.case_id]), {"reason": ""})
    assert response.status_code == 400 and "Geef een reden waarom het plan terug gaat." in response.content.decode()
    long_reason = "x" * 301
    response = client.post(reverse("plan:return", args=[plan.case_id]), {"reason": long_reason})
    assert response.status_code == 400 and long_reason in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.SUBMITTED
