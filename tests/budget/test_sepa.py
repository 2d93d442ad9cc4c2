"""Issue 12 point 7: the SEPA pain.001 file, valid against its XSD, each payment exported exactly once."""

import os

import pytest
import xmlschema
from django.urls import reverse

from doorbraak.budget import services
from doorbraak.budget.models import Fund, PaymentOrder, SepaExport
from doorbraak.core.errors import RuleError

pytestmark = pytest.mark.django_db
XSD = os.path.join(os.path.dirname(__import__("sepaxml").__file__), "schemas", "pain.001.001.03.xsd")


def _paid(world):
    world.fund(1_000_000)
    plan = world.train_pass_plan()
    services.approve_plan(world.approver, plan)
    services.pay(world.lead, plan, 12_345, description="NS-jaarabonnement", payee_name="NS", iban="NL91ABNA0417164300")
    services.pay(world.lead, plan, 5_000, description="Fiets", payee_name="Fietsenmaker", iban="DE89370400440532013000")
    return plan, Fund.objects.get(team=world.team)


def test_export_is_valid_pain001_and_each_payment_goes_once(world):
    plan, fund = _paid(world)
    with pytest.raises(RuleError, match="IBAN van de gemeente"):
        services.export_sepa(world.approver, fund)
    fund = services.set_fund_iban(world.approver, fund, "NL20 INGB 0001 2345 67")
    export = services.export_sepa(world.approver, fund)
    xmlschema.XMLSchema(XSD).validate(export.xml)
    assert export.count == 2 and export.total_cents == 17_345
    assert '<InstdAmt Ccy="EUR">123.45</InstdAmt>' in export.xml and "DE89370400440532013000" in export.xml
    assert set(PaymentOrder.objects.values_list("export_id", flat=True)) == {export.pk}
    assert services.export_sepa(world.approver, fund) is None  # nothing new: no second file
    services.pay(world.lead, plan, 1_000, payee_name="NS", iban="NL91ABNA0417164300")
    second = services.export_sepa(world.approver, fund)
    assert second.count == 1 and SepaExport.objects.count() == 2


def test_download_through_the_fund_page(world, login):
    _plan, fund = _paid(world)
    client = login(world.approver)
    client.post(reverse("budget:fund_iban", args=[fund.pk]), {"iban": "NL20INGB0001234567"})
    client.post(reverse("budget:sepa_export", args=[fund.pk]))
    export = SepaExport.objects.get()
    page = client.get(reverse("budget:fund_detail", args=[fund.pk])).content.decode()
    assert reverse("budget:sepa_download", args=[fund.pk, export.pk]) in page
    response = client.get(reverse("budget:sepa_download", args=[fund.pk, export.pk]))
    assert response["Content-Type"].startswith("application/xml")
    xmlschema.XMLSchema(XSD).validate(response.content.decode())
    assert login(world.lead).get(reverse("budget:sepa_download", args=[fund.pk, export.pk])).status_code == 404
