"""The case list's "drie weken voorbij" marker, days at the table and the filter (issue 16, point 2): through the
one gate, page-first, and the list's query count unchanged by platforms."""

import datetime

import pytest

from tests.cases.factories import CaseFactory, World, involve, login
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _world():
    w = World()
    overdue = make_platform(w.case, w.lead, convened_on=TODAY - 30 * DAY)
    recent_case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead, title="Recent aan tafel")
    involve(recent_case, w.pro)
    make_platform(recent_case, w.lead, convened_on=TODAY - 5 * DAY)
    done_case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead, title="Doorgebroken")
    involve(done_case, w.pro)
    done = make_platform(done_case, w.lead, convened_on=TODAY - 40 * DAY)
    done.breakthrough_on = TODAY - 10 * DAY
    done.breakthrough = "Kamer"
    done.save()
    return w, overdue


def _rows(html):
    return html.split("<tbody>")[1].split("</tbody>")[0].split("<tr")


def test_marker_and_days_at_the_table_in_the_list(client):
    w, _overdue = _world()
    login(client, w.lead)
    html = client.get("/casussen/").content.decode()
    rows = {
        title: r
        for r in _rows(html)[1:]
        for title in (w.case.title, "Recent aan tafel", "Doorgebroken")
        if f">{title}</a>" in r
    }
    assert "30 dagen aan tafel" in rows[w.case.title] and "drie weken voorbij" in rows[w.case.title]
    assert "5 dagen aan tafel" in rows["Recent aan tafel"] and "drie weken voorbij" not in rows["Recent aan tafel"]
    assert "aan tafel" not in rows["Doorgebroken"]  # a breakthrough: no longer at the table


def test_filter_shows_only_platforms_past_three_weeks(client):
    w, _overdue = _world()
    login(client, w.pro)
    html = client.get("/casussen/?platform=voorbij").content.decode()
    assert w.case.title in html and "Recent aan tafel" not in html and "Doorgebroken" not in html
    assert "1 casus" in html
    # the filter survives the search form's POST as a URL parameter
    response = client.post("/casussen/", {"platform": "voorbij", "status": ""})
    assert response.status_code == 302 and response["Location"] == "/casussen/?platform=voorbij"
    # a bad value is a form error, never a 500
    assert client.get("/casussen/?platform=%3Cx%3E").status_code == 200


def test_other_municipality_sees_no_marker_of_ours(client):
    w, _overdue = _world()
    login(client, w.stranger)
    html = client.get("/casussen/?platform=voorbij").content.decode()
    assert w.case.title not in html and "0 casussen" in html


def test_list_query_count_does_not_grow_with_platforms(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w, _overdue = _world()
    login(client, w.lead)
    client.get("/casussen/?platform=voorbij")
    with CaptureQueriesContext(connection) as before:
        client.get("/casussen/?platform=voorbij")
    for i in range(8):
        case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead, title=f"Extra {i}")
        make_platform(case, w.lead, convened_on=TODAY - (25 + i) * DAY)
    with CaptureQueriesContext(connection) as after:
        html = client.get("/casussen/?platform=voorbij").content.decode()
    assert len(before.captured_queries) == len(after.captured_queries)
    assert html.count("drie weken voorbij</strong>") == 9
