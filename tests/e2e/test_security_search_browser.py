"""Issue 10: a lead searches the case list for a client by name in a real browser. The name is posted, held in the
session and never appears in the address bar, in any request URL or redirect, or in any link on the result pages
(pagination included). The responses are not stored (no-store). axe on the result page."""

import pytest

from doorbraak.cases.models import Person
from tests.cases.factories import CaseFactory, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Verhoef"


def test_case_search_by_name_keeps_the_name_out_of_every_url(page, login_as, axe):
    w = World()
    for i in range(27):
        case = CaseFactory(municipality=w.municipality, team=w.team, title=f"Woonvraag {i}")
        Person.objects.filter(household=case.household).update(last_name=NAME)
    urls, locations, caching = [], [], []
    page.on("request", lambda request: urls.append(request.url))

    def on_response(response):
        locations.append(response.headers.get("location", ""))
        if "/casussen/" in response.url:
            caching.append(response.headers.get("cache-control", ""))

    page.on("response", on_response)
    login_as(w.lead)
    page.goto("/casussen/")
    page.get_by_role("heading", name="Casussen", exact=True).wait_for()
    page.get_by_label("Zoeken", exact=True).fill(NAME)
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.get_by_role("heading", name="27 casussen").wait_for()
    assert page.get_by_label("Zoeken", exact=True).input_value() == NAME  # the form still shows the search

    def assert_no_name_in_urls():
        assert NAME not in page.url
        hrefs = page.eval_on_selector_all(
            "a[href], form[action], link[href]",
            "els => els.map(e => e.getAttribute('href') || e.getAttribute('action'))",
        )
        assert hrefs and not [h for h in hrefs if NAME.lower() in h.lower()]

    assert_no_name_in_urls()
    axe(page)
    page.get_by_role("link", name="Volgende pagina").click()
    page.get_by_text("Pagina 2 van 2").wait_for()
    assert page.locator("tbody tr").count() == 2  # still the 27 found, not all 28 cases
    assert_no_name_in_urls()
    assert not [u for u in urls if NAME.lower() in u.lower()]
    assert not [loc for loc in locations if NAME.lower() in loc.lower()]
    assert caching and all("no-store" in c for c in caching)
