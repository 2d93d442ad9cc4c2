"""The two stories of issue 3 in a real browser (Dutch UI, keyboardless clicks, axe on every page):
the rent guarantee and the breakthrough table of 's-Hertogenbosch, from opening the case to the evaluation."""

import datetime

import pytest

from doorbraak.cases.models import Case
from doorbraak.core.models import Organisation, Role
from doorbraak.platforms.models import PlatformEvaluation
from tests.factories import MunicipalityFactory, OrganisationFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def setup_world():
    gm = MunicipalityFactory(name="'s-Hertogenbosch", code="GM0796")
    team = TeamFactory(municipality=gm, name="Sociaal team Noord")
    social = OrganisationFactory(municipality=gm, name="Sociaal Wijkteam Noord", kind=Organisation.Kind.MUNICIPALITY)
    corp = OrganisationFactory(municipality=gm, name="Woningcorporatie Thuisbasis", kind=Organisation.Kind.HOUSING)
    expert = OrganisationFactory(municipality=gm, name="Stichting Ervaringskracht", kind=Organisation.Kind.EXPERIENCE)
    lead = UserFactory(
        municipality=gm, team=team, organisation=social, role=Role.LEAD, first_name="Karim", last_name="El Amrani"
    )
    pro = UserFactory(municipality=gm, team=team, organisation=social, first_name="Sanne", last_name="de Vries")
    corporation = UserFactory(municipality=gm, team=None, organisation=corp, first_name="Linda", last_name="Visser")
    experience = UserFactory(municipality=gm, team=None, organisation=expert, first_name="Rob", last_name="Hendriks")
    return {"lead": lead, "pro": pro, "corporation": corporation, "experience": experience}


def open_case(page, axe, *, title, first, last, dob, question, tried, funders, scores):
    page.goto("/casussen/")
    page.get_by_role("heading", name="Casussen", exact=True).wait_for()
    axe(page)
    page.get_by_role("link", name="Nieuwe casus").click()
    page.get_by_role("heading", name="Nieuwe casus openen").wait_for()
    axe(page)
    page.get_by_label("Korte titel van de casus").fill(title)
    page.get_by_label("Voornaam hoofdpersoon").fill(first)
    page.get_by_label("Achternaam hoofdpersoon").fill(last)
    page.get_by_label("Geboortedatum hoofdpersoon").fill(dob)
    page.get_by_label("BSN (niet verplicht)").fill("123456789")  # fails the eleven-test
    page.get_by_label("De hulpvraag in de woorden van het huishouden").fill(question)
    page.get_by_label("Wat is al geprobeerd?").fill(tried)
    for funder in funders:
        page.get_by_label(funder).check()
    for domain, value in scores.items():
        page.get_by_label(f"Zelfredzaamheid: {domain}").select_option(value)
    page.get_by_role("button", name="Casus openen").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Dit is geen geldig BSN" in alert.inner_text()
    assert page.get_by_label("De hulpvraag in de woorden van het huishouden").input_value() == question
    axe(page)  # the form-with-errors state
    page.get_by_label("BSN (niet verplicht)").fill("")
    page.get_by_role("button", name="Casus openen").click()
    page.get_by_role("heading", name=title).wait_for()
    assert "De casus is geopend." in page.content()
    axe(page)
    return Case.objects.get(title=title)


def convene(page, axe, *, first_problem, invite_labels, expert=False):
    page.get_by_role("link", name="Casusplatform", exact=True).click()
    page.get_by_role("heading", name="Casusplatform", exact=True).wait_for()
    axe(page)
    page.get_by_role("link", name="Casusplatform bijeenroepen").click()
    page.get_by_label("Het eerste probleem, zoals de cliënt het noemt").fill(first_problem)
    page.get_by_label("De cliënt is erbij").check()
    if expert:
        page.get_by_label("Er is een ervaringsdeskundige bij").check()
    for label in invite_labels:
        page.get_by_label(label).check()
    axe(page)
    page.get_by_role("button", name="Opslaan").click()


def record_meeting(
    page, axe, *, action, owner, decision, by_lead, breakthrough, helped, blocked, tags, client_score, pro_score
):
    page.get_by_role("link", name="Actie toevoegen").click()
    page.get_by_label("Wat moet er gebeuren?").fill(action)
    page.get_by_label("Uiterlijk op").fill((datetime.date.today() - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Opslaan").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Kies wie deze actie uitvoert." in alert.inner_text()
    assert "De deadline ligt vóór de datum van het casusplatform" in alert.inner_text()
    assert page.get_by_label("Wat moet er gebeuren?").input_value() == action
    axe(page)
    page.get_by_label("Wie doet het?").select_option(label=owner)
    page.get_by_label("Uiterlijk op").fill((datetime.date.today() + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De actie is toegevoegd.").wait_for()
    axe(page)

    page.get_by_role("link", name="Besluit vastleggen").click()
    page.get_by_label("Wat is besloten?").fill(decision)
    if by_lead:
        page.get_by_label("De tafel werd het niet eens: de doorbraakregisseur besluit binnen het mandaat").check()
    axe(page)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het besluit is vastgelegd.").wait_for()
    if by_lead:
        assert "besluit van de doorbraakregisseur" in page.content()

    page.get_by_role("link", name="Doorbraak vastleggen").click()
    page.get_by_label("Wat is de doorbraak?").fill(breakthrough)
    page.get_by_label("Soort maatwerkoplossing").select_option("housing")
    axe(page)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De doorbraak is vastgelegd.").wait_for()
    assert "binnen drie weken" in page.content()

    page.get_by_role("link", name="Evalueren").click()
    page.get_by_label("Wat hielp?").fill(helped)
    page.get_by_label("Wat blokkeerde?").fill(blocked)
    for tag in tags:
        page.get_by_label(tag).check()
    page.get_by_label("Tevredenheid van de cliënt (1–10)").select_option(client_score)
    page.get_by_label("Tevredenheid van de professionals (1–10)").select_option(pro_score)
    axe(page)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De evaluatie is opgeslagen.").wait_for()
    axe(page)

    page.get_by_role("link", name="Samenvatting om te printen").click()
    page.get_by_role("heading", name="Samenvatting casusplatform", exact=False).wait_for()
    assert breakthrough in page.content()
    axe(page)


def test_rent_guarantee_story(page, login_as, axe):
    people = setup_world()
    login_as(people["lead"])
    case = open_case(
        page,
        axe,
        title="Huurgarantie voor een kamer",
        first="Daan",
        last="Smits",
        dob="2005-03-09",
        question="Ik heb een kamer gevonden, maar ik moet de eerste maand huur vooruit betalen en dat kan ik niet.",
        tried="Het noodfonds weigerde: een kamer is geen zelfstandige woonruimte.",
        funders=["Participatiewet (gemeente)"],
        scores={"Huisvesting": "1", "Financiën": "2"},
    )
    convene(
        page,
        axe,
        first_problem="Ik kan de eerste maand huur niet betalen.",
        invite_labels=["Sanne de Vries (Sociaal Wijkteam Noord)"],
    )
    page.get_by_role("heading", name="Casusplatform van").wait_for()
    axe(page)
    record_meeting(
        page,
        axe,
        action="Huurcontract ondertekenen met de verhuurder",
        owner="Sanne de Vries (Sociaal Wijkteam Noord)",
        decision="De gemeente staat garant voor één maand huur.",
        by_lead=True,
        breakthrough="De gemeente staat garant voor de eerste maand huur; Daan tekent het huurcontract.",
        helped="De regisseur kon zelf beslissen.",
        blocked="Het noodfonds telt een kamer niet als woning.",
        tags=["Knellende regels"],
        client_score="9",
        pro_score="8",
    )
    evaluation = PlatformEvaluation.objects.get(platform__case=case)
    assert evaluation.blocker_codes == ["pinching_rules"]
    case.refresh_from_db()
    assert case.status == Case.Status.BREAKTHROUGH


def test_breakthrough_table_story(page, login_as, axe):
    people = setup_world()
    login_as(people["lead"])
    open_case(
        page,
        axe,
        title="Doorbraaktafel: uitkering en woning",
        first="Marco",
        last="Jansen",
        dob="1979-11-02",
        question="Ik slaap bij vrienden en heb geen inkomen. Ik wil een eigen huis en een uitkering.",
        tried="Aanvragen liepen vast omdat een adres ontbrak; zonder adres geen uitkering, zonder inkomen geen huis.",
        funders=["Participatiewet (gemeente)", "Woningcorporatie", "Wmo 2015 (gemeente)"],
        scores={"Huisvesting": "1", "Financiën": "1", "Sociaal netwerk": "2"},
    )
    corporation = "Linda Visser (Woningcorporatie Thuisbasis)"
    convene(
        page,
        axe,
        first_problem="Zonder adres krijg ik geen uitkering.",
        invite_labels=[
            corporation,
            "Rob Hendriks (Stichting Ervaringskracht)",
            "Sanne de Vries (Sociaal Wijkteam Noord)",
        ],
        expert=True,
    )
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Stichting Ervaringskracht en Woningcorporatie Thuisbasis zijn nog niet betrokken" in alert.inner_text()
    assert "toestemming" in alert.inner_text()
    axe(page)
    # Record the client's consent for both organisations, then convene.
    page.get_by_role("link", name="Terug naar casus").click()
    for org in ("Woningcorporatie Thuisbasis", "Stichting Ervaringskracht"):
        page.get_by_role("link", name="Toestemming vastleggen").click()
        page.get_by_label("Organisatie").select_option(label=org)
        page.get_by_label("Wat mag gedeeld worden").fill("Hulpvraag, woonsituatie en inkomen")
        axe(page)
        page.get_by_role("button", name="Opslaan").click()
        page.get_by_text(f"{org}: Hulpvraag, woonsituatie en inkomen").wait_for()
    convene(
        page,
        axe,
        first_problem="Zonder adres krijg ik geen uitkering.",
        invite_labels=[
            corporation,
            "Rob Hendriks (Stichting Ervaringskracht)",
            "Sanne de Vries (Sociaal Wijkteam Noord)",
        ],
        expert=True,
    )
    page.get_by_role("heading", name="Casusplatform van").wait_for()
    assert "Linda Visser – Woningcorporatie Thuisbasis" in page.content()
    record_meeting(
        page,
        axe,
        action="Woning toewijzen en sleutel overhandigen",
        owner=corporation,
        decision="De corporatie wijst een woning toe; de gemeente kent de uitkering toe met het nieuwe adres.",
        by_lead=False,
        breakthrough="Marco krijgt een woning van de corporatie en een uitkering.",
        helped="Corporatie, zorg, sociaal team en ervaringsdeskundige aan één tafel.",
        blocked="Regels van uitkering en woningtoewijzing wachtten op elkaar.",
        tags=["Regels die botsen"],
        client_score="8",
        pro_score="9",
    )
    # The corporation worker now sees the case; a professional of nowhere near does not.
    evaluation = PlatformEvaluation.objects.get(platform__case__title="Doorbraaktafel: uitkering en woning")
    assert evaluation.blocker_codes == ["rules_clash"]
