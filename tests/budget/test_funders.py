"""Funders as data (issue 12, point 2): the national set per municipality, municipal / external / own, names, and
the catalogue's suggestion that the user's choice overrides."""

from decimal import Decimal

from django.urls import reverse

from doorbraak.budget import selectors, services
from doorbraak.budget.models import CatalogueItem, FunderSetting
from doorbraak.core.choices import Funder


def test_national_set_is_seeded_once_with_kinds(world):
    services.ensure_funders(world.municipality)
    services.ensure_funders(world.municipality)
    rows = {f.code: f for f in FunderSetting.objects.filter(municipality=world.municipality)}
    assert rows["bijzondere_bijstand"].paid_from_municipal_budget
    assert rows["zorgkantoor"].kind == "external" and rows["school"].kind == "external"
    assert rows["household"].kind == "own" and rows["own_network"].kind == "own"
    assert "other" not in rows  # "Anders" only with a name
    assert len(rows) == len(Funder.values) - 1


def test_a_municipality_that_is_the_centre_municipality_pays_opvang_itself(world):
    plan = world.train_pass_plan(submit=False)
    services.add_line(
        world.professional,
        plan,
        scenario="custom",
        description="Opvang",
        unit="night",
        amount_cents=10_000,
        quantity=Decimal(1),
        rhythm="day",
        duration=Decimal(10),
        funder="opvang",
    )
    assert services.amount_from_fund_cents(plan) == 300_000  # external by default
    FunderSetting.objects.create(municipality=world.municipality, code="opvang", kind="municipal", name="Opvang Noord")
    assert services.amount_from_fund_cents(plan) == 400_000
    assert selectors.funder_labels(world.municipality.pk)["opvang"] == "Opvang Noord"


def test_other_is_offered_only_with_a_name_and_a_switched_off_funder_disappears(world):
    codes = [c for c, _ in selectors.funder_choices(world.municipality.pk)]
    assert "other" not in codes and "uwv" in codes
    FunderSetting.objects.create(municipality=world.municipality, code="other", name="Stichting Leergeld")
    FunderSetting.objects.create(municipality=world.municipality, code="uwv", active=False)
    choices = dict(selectors.funder_choices(world.municipality.pk))
    assert choices["other"] == "Stichting Leergeld" and "uwv" not in choices
    assert "uwv" in dict(selectors.funder_choices(world.municipality.pk, keep="uwv"))


def test_catalogue_suggests_jeugdwet_for_youth_ggz_and_the_users_choice_wins(world, login):
    services.ensure_default_catalogue(world.municipality)
    item = CatalogueItem.objects.get(municipality=world.municipality, code="youth_specialised_ggz_contact")
    assert item.funder == "jeugdwet"
    plan = world.train_pass_plan(submit=False)
    client = login(world.professional)
    url = reverse("plan:line_add", args=[plan.case_id])
    form = client.get(url).content.decode()
    assert "Kiest u hieronder zelf wie betaalt, dan geldt uw keuze." in form
    data = {"scenario": "custom", "catalogue_item": item.pk, "quantity": "10", "rhythm": "once", "start_month": "1"}
    assert client.post(url, data).status_code == 302
    assert plan.lines.get(catalogue_item=item, quantity=10).funder == "jeugdwet"
    assert client.post(url, {**data, "quantity": "5", "funder": "zvw"}).status_code == 302
    assert plan.lines.get(catalogue_item=item, quantity=5).funder == "zvw"
