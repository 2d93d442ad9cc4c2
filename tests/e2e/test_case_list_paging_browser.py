"""Issue 15: a lead pages through the case list in a real browser with the keyset links: next, next, previous,
the same cases in the same order as the first visit, the total above the table, nothing but codes in the URL."""

import datetime

import pytest
from django.utils import timezone

from doorbraak.cases import selectors_list
from doorbraak.cases.models import Case
from tests.cases.factories import CaseFactory, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def titles(page):
    return page.locator("tbody tr td:first-child a").all_inner_texts()


def test_lead_pages_forward_and_back_through_the_case_list(page, login_as, monkeypatch):
    w = World()
    now = timezone.now()
    for i in range(11):  # with the World's own case: 12 cases, pages of 5; two share an opening time
        CaseFactory(
            municipality=w.municipality,
            team=w.team,
            title=f"Vraag {i:02d}",
            opened_at=now - datetime.timedelta(hours=i if i != 5 else 4),
        )
    expected = list(Case.objects.filter(team=w.team).order_by("-opened_at", "-id").values_list("title", flat=True))
    monkeypatch.setattr(selectors_list, "PAGE_SIZE", 5)
    login_as(w.lead)
    page.goto("/casussen/")
    page.get_by_role("heading", name="12 casussen").wait_for()
    first = titles(page)
    assert first == expected[:5]
    page.get_by_role("link", name="Volgende pagina").click()
    page.get_by_text("Pagina 2 van 3").wait_for()
    assert titles(page) == expected[5:10]
    assert "na=" in page.url and "Vraag" not in page.url
    page.get_by_role("link", name="Volgende pagina").click()
    page.get_by_text("Pagina 3 van 3").wait_for()
    assert titles(page) == expected[10:]
    assert page.get_by_role("link", name="Volgende pagina").count() == 0
    page.get_by_role("link", name="Vorige pagina").click()
    page.get_by_text("Pagina 2 van 3").wait_for()
    assert titles(page) == expected[5:10]
    page.get_by_role("link", name="Vorige pagina").click()
    page.get_by_text("Pagina 1 van 3").wait_for()
    assert titles(page) == first
    assert page.get_by_role("link", name="Vorige pagina").count() == 0
