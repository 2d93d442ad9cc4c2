"""The whole table in a real browser (issue 16): the lead adds a participant without an account (named only with
their agreement, under the case's consent rules), gives them an action, and the printable summary shows them; a
relative without an organisation sits at the table only with the client's agreement. axe on every page and error
state."""

import datetime

import pytest

from doorbraak.platforms.models import PlatformAction
from tests.cases.factories import World, consent
from tests.factories import OrganisationFactory
from tests.platforms.factories import make_platform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_external_participant_gets_an_action_and_is_on_the_summary(page, login_as, axe):
    w = World()
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    police = OrganisationFactory(municipality=w.municipality, name="Politie Wijkteam Noord")
    login_as(w.lead)
    page.goto(f"/casussen/{w.case.pk}/platform/{platform.pk}/")
    page.get_by_role("link", name="Deelnemer zonder account toevoegen").click()
    page.get_by_role("heading", name="Deelnemer zonder account toevoegen").wait_for()
    axe(page)
    page.get_by_label("Organisatie", exact=True).select_option(label="Politie Wijkteam Noord")
    page.get_by_label("Rol aan tafel").fill("wijkagent")
    page.get_by_label("Hoe te bereiken").fill("0900 8844")
    page.get_by_label("Naam", exact=False).last.fill("Sanne Bakker")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("alert").first.wait_for()
    text = page.content()
    assert "Vul alleen een naam in als deze deelnemer ermee instemt" in text
    assert page.get_by_label("Hoe te bereiken").input_value() == "0900 8844"
    axe(page)
    page.get_by_label("De deelnemer stemt ermee in met naam te worden vastgelegd").check()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("alert").first.wait_for()
    assert "heeft (nog) geen toestemming gegeven" in page.content()  # the case's consent rule
    axe(page)
    consent(w.case, police, w.lead)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De deelnemer zonder account zit aan tafel.").wait_for()
    assert "Sanne Bakker – Politie Wijkteam Noord (wijkagent)" in page.content()
    page.get_by_role("link", name="Actie toevoegen").click()
    page.get_by_label("Wat moet er gebeuren?").fill("Huisbezoek samen met de regisseur")
    page.get_by_label("Wie doet het?").select_option(label="Sanne Bakker (Politie Wijkteam Noord)")
    page.get_by_label("Uiterlijk op").fill((datetime.date.today() + datetime.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De actie is toegevoegd.").wait_for()
    assert PlatformAction.objects.get().owner.name == "Sanne Bakker"
    page.get_by_role("link", name="Samenvatting om te printen").click()
    page.get_by_role("heading", name="Samenvatting casusplatform", exact=False).wait_for()
    summary = page.content()
    assert "Sanne Bakker – Politie Wijkteam Noord (wijkagent)" in summary
    assert "zonder account, bereikbaar via 0900 8844" in summary
    assert "Huisbezoek samen met de regisseur" in summary
    axe(page)


def test_a_relative_without_an_organisation_gets_an_action_with_the_clients_agreement(page, login_as, axe):
    w = World()
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    login_as(w.lead)
    page.goto(f"/casussen/{w.case.pk}/platform/{platform.pk}/deelnemer-zonder-account/")
    page.get_by_role("heading", name="Deelnemer zonder account toevoegen").wait_for()
    page.get_by_label("Organisatie", exact=True).select_option(
        label="Geen organisatie (bijvoorbeeld een familielid of buur)"
    )
    page.get_by_label("Rol aan tafel").fill("tante, familielid")
    page.get_by_label("Hoe te bereiken").fill("06 12 34 56 78")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("alert").first.wait_for()
    assert "zit alleen aan tafel als de cliënt daarmee instemt" in page.content()
    assert page.get_by_label("Rol aan tafel").input_value() == "tante, familielid"
    axe(page)
    page.get_by_label("De cliënt stemt ermee in dat deze persoon zonder organisatie aan tafel zit").check()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De deelnemer zonder account zit aan tafel.").wait_for()
    assert "tante, familielid – zonder organisatie, met instemming van de cliënt" in page.content()
    axe(page)
    page.get_by_role("link", name="Actie toevoegen").click()
    page.get_by_label("Wat moet er gebeuren?").fill("Meegaan naar de woningcorporatie")
    page.get_by_label("Wie doet het?").select_option(label="tante, familielid")
    page.get_by_label("Uiterlijk op").fill((datetime.date.today() + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De actie is toegevoegd.").wait_for()
    assert PlatformAction.objects.get().owner.organisation_id is None
    page.get_by_role("link", name="Samenvatting om te printen").click()
    page.get_by_role("heading", name="Samenvatting casusplatform", exact=False).wait_for()
    summary = page.content()
    assert "tante, familielid – zonder organisatie, met instemming van de cliënt" in summary
    assert "Meegaan naar de woningcorporatie" in summary
    axe(page)
