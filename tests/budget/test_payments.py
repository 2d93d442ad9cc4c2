"""Issue 12 point 7: a payment names its payee (IBAN checked by schwifty) and happens once."""

import pytest
from django.urls import reverse

from doorbraak.budget import services
from doorbraak.budget.models import LedgerEntry, PaymentOrder
from doorbraak.core.errors import RuleError

pytestmark = pytest.mark.django_db
IBAN = "NL91ABNA0417164300"


@pytest.fixture
def approved(world):
    world.fund(1_000_000)
    plan = world.train_pass_plan()
    services.approve_plan(world.approver, plan)
    return plan


def test_wrong_check_digit_is_refused_in_dutch(world, approved):
    with pytest.raises(RuleError, match="IBAN klopt niet") as caught:
        services.pay(world.lead, approved, 10_000, payee_name="NS", iban="NL92ABNA0417164300")
    assert caught.value.field == "iban"
    assert not LedgerEntry.objects.filter(kind="payment").exists()


def test_same_payee_and_amount_within_a_day_needs_an_explicit_yes(world, approved):
    services.pay(world.lead, approved, 10_000, payee_name="NS Reizigers", iban="nl91 abna 0417 1643 00")
    with pytest.raises(services.DuplicatePayment, match="al € 100,00 aan NS Reizigers betaald") as caught:
        services.pay(world.lead, approved, 10_000, payee_name="NS Reizigers", iban=IBAN)
    assert caught.value.field == "pay_again"
    services.pay(world.lead, approved, 10_000, payee_name="NS Reizigers", iban=IBAN, pay_again=True)
    services.pay(world.lead, approved, 12_000, payee_name="NS Reizigers", iban=IBAN)  # another amount: no question
    assert list(PaymentOrder.objects.values_list("amount_cents", flat=True)) == [10_000, 10_000, 12_000]
    assert PaymentOrder.objects.first().iban == IBAN


def test_payment_form_keeps_what_was_typed_and_shows_the_first_payment(world, approved, login):
    client = login(world.lead)
    url = reverse("plan:pay", args=[approved.case_id])
    bad = {"token": "t1", "amount": "100,00", "description": "NS", "payee_name": "NS", "iban": "NL92 ABNA 0417 1643 00"}
    response = client.post(url, bad)
    html = response.content.decode()
    assert response.status_code == 400 and "IBAN klopt niet" in html and "NL92 ABNA 0417 1643 00" in html
    for amount in ("-5", "1000000000000", "tien"):
        response = client.post(url, {**bad, "amount": amount, "iban": IBAN})
        assert response.status_code == 400 and f'value="{amount}"' in response.content.decode()
    good = {**bad, "iban": IBAN}
    assert client.post(url, good).status_code == 302
    again = client.post(url, {**good, "token": "t2"})
    assert again.status_code == 400 and "Ja, nogmaals betalen" in again.content.decode()
    assert "al € 100,00 aan NS betaald" in again.content.decode()
    assert client.post(url, {**good, "token": "t2", "pay_again": "on"}).status_code == 302
    assert client.post(url, {**good, "token": "t2", "pay_again": "on"}).status_code == 302  # Back + resend: replay
    assert PaymentOrder.objects.count() == 2
