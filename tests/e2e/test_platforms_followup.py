"""Follow-up in a real browser: overdue actions flagged, escalation after three weeks, re-scoring and adding
people to the case; an uninvolved professional gets the 404 page. axe on every page and error state."""

import datetime

import pytest

from doorbraak.platforms.models import Escalation, PlatformAction
from tests.cases.factories import World
from tests.platforms.factories import make_platform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_overdue_action_and_stepwise_escalation(page, login_as, axe):
    w = World()
    today = datetime.date.today()
    platform = make_platform(w.case, w.lead, convened_on=today - datetime.timedelta(days=25), participants=[w.pro])
    PlatformAction.objects.create(
        municipality=w.municipality,
        platform=platform,
        what="Schuldhulp aanvragen",
        owner=platform.participants.get(user=w.pro),
        due_on=today - datetime.timedelta(days=3),
        created_by=w.lead,
    )
    login_as(w.lead)
    page.goto(f"/casussen/{w.case.pk}/platform/{platform.pk}/")
    page.get_by_text("te laat").wait_for()
    assert "De drie weken zijn voorbij." in page.content()
    axe(page)
    page.get_by_role("link", name="Opschalen").click()
    page.get_by_label("Naar").select_option("national")
    page.get_by_label("Waarom").fill("Geen enkele financier wil de kosten dragen.")
    page.get_by_role("button", name="Opslaan").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "stap voor stap" in alert.inner_text()
    assert page.get_by_label("Waarom").input_value() == "Geen enkele financier wil de kosten dragen."
    axe(page)
    page.get_by_label("Naar").select_option("local")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De opschaling is vastgelegd.").wait_for()
    assert Escalation.objects.get(platform=platform).level == "local"
    page.get_by_role("link", name="Uitkomst vastleggen").click()
    page.get_by_label("Uitkomst (verplicht)", exact=True).fill("De wethouder legt het voor aan de regio.")
    page.get_by_label("Datum uitkomst").fill(today.isoformat())
    axe(page)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De uitkomst is vastgelegd.").wait_for()
    page.get_by_role("button", name="Markeer als gedaan: Schuldhulp aanvragen").click()
    page.get_by_text("De actie staat op gedaan.").wait_for()
    assert "te laat" not in page.content()


def test_rescore_add_member_and_professional(page, login_as, axe):
    w = World()
    login_as(w.pro)
    page.goto(f"/casussen/{w.case.pk}/")
    page.get_by_role("link", name="Opnieuw scoren").click()
    axe(page)
    page.get_by_label("Huisvesting").select_option("3")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("3 – Beperkt zelfredzaam").wait_for()
    page.get_by_role("link", name="Gezinslid toevoegen").click()
    page.get_by_label("Voornaam").fill("Mila")
    page.get_by_label("Achternaam").fill("Smits")
    page.get_by_label("Geboortedatum").fill("2999-01-01")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("alert").wait_for()
    assert "De geboortedatum ligt in de toekomst" in page.get_by_role("alert").inner_text()
    axe(page)
    page.get_by_label("Geboortedatum").fill("2019-06-01")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Mila Smits (Kind)").wait_for()
    page.get_by_role("link", name="Professional toevoegen").click()
    page.get_by_label("Professional (verplicht)", exact=True).select_option(
        label=f"{w.uninvolved.get_full_name()} ({w.uninvolved.organisation.name})"
    )
    page.get_by_label("Rol in de casus").fill("woonconsulent")
    axe(page)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text(f"{w.uninvolved.get_full_name()} – {w.uninvolved.organisation.name} – woonconsulent").wait_for()
    assert f"{w.stranger.get_full_name()}" not in page.content()


def test_uninvolved_professional_gets_not_found(page, login_as, axe):
    w = World()
    login_as(w.stranger)
    response = page.goto(f"/casussen/{w.case.pk}/")
    assert response.status == 404
    assert w.case.title not in page.content()
    axe(page)
