"""Issue 17, API 1.1: PATCH of a case (the fields a case worker may change, closing by the team's lead, every field
error at once, 409 for what the case's state refuses) and the `leerinzichten` resource (scope leren.lezen: only
the protected cells, the same values as the dashboard)."""

import datetime

import pytest

from doorbraak.api.services import create_client
from doorbraak.cases.models import Case, FollowUpMoment
from doorbraak.core.models import AccessEvent
from doorbraak.learning.insights import analytics, facts, protected
from tests.api.conftest import Api
from tests.learning.test_dashboard import make_case

pytestmark = pytest.mark.django_db


def _url(case):
    return f"/api/v1/casussen/{case.pk}"


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_a_case_worker_changes_the_title_and_question_through_the_service(w):
    response = w.api.patch(_url(w.case), {"titel": "Een nieuwe titel", "hulpvraag": "Wij willen weer rust."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["titel"], body["hulpvraag"], body["status"]) == ("Een nieuwe titel", "Wij willen weer rust.", "open")
    w.case.refresh_from_db()
    assert (w.case.title, w.case.question) == ("Een nieuwe titel", "Wij willen weer rust.")
    entry = w.case.timeline.filter(kind="case.updated").get()
    assert entry.actor == w.pro and entry.summary == "Casusgegevens gewijzigd: titel, hulpvraag"
    event = AccessEvent.objects.filter(event="case.read").latest("id")
    assert event.on_behalf_of == f"api:{w.api.row.client_id}" and event.actor_id == w.pro.pk
    # Plain JSON is accepted too; the same values again change nothing (no second timeline entry).
    again = w.api.patch(_url(w.case), {"titel": "Een nieuwe titel"}, content_type="application/json")
    assert again.status_code == 200 and w.case.timeline.filter(kind="case.updated").count() == 1


def test_invalid_input_lists_every_field_error_at_once_and_changes_nothing(w):
    title = w.case.title
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    body = _problem(
        w.api.patch(
            _url(w.case),
            {"titel": "", "hulpvraag": "x" * 4001, "vastgelopenSinds": future, "status": "open", "teamId": 5},
        ),
        400,
    )
    names = sorted(p["name"] for p in body["invalidParams"])
    assert names == ["hulpvraag", "status", "titel", "vastgelopenSinds"]
    assert all(p["reason"] for p in body["invalidParams"])
    w.case.refresh_from_db()
    assert w.case.title == title and not w.case.timeline.filter(kind="case.updated").exists()
    assert "minstens één veld" in _problem(w.api.patch(_url(w.case), {}), 400)["invalidParams"][0]["reason"]


def test_closing_is_the_leads_and_a_closed_case_is_a_409(w):
    _problem(w.api.patch(_url(w.case), {"status": "closed"}), 403)  # the professional may not close
    w.case.refresh_from_db()
    assert w.case.status == Case.Status.OPEN
    response = w.api.patch(_url(w.case), {"status": "closed"}, user=w.lead)
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert w.case.timeline.filter(kind="case.closed").exists()
    assert "afgesloten" in _problem(w.api.patch(_url(w.case), {"status": "closed"}, user=w.lead), 409)["detail"].lower()
    assert "afgesloten" in _problem(w.api.patch(_url(w.case), {"titel": "Later"}, user=w.lead), 409)["detail"]


def test_a_close_with_open_items_is_a_409_and_nothing_changes(w):
    FollowUpMoment.objects.create(municipality=w.municipality, case=w.case, due_on=datetime.date.today())
    body = _problem(w.api.patch(_url(w.case), {"titel": "Afgerond", "status": "closed"}, user=w.lead), 409)
    assert "open" in body["detail"]
    w.case.refresh_from_db()
    assert w.case.status == Case.Status.OPEN and w.case.title != "Afgerond"  # all or nothing


def test_patch_needs_the_write_scope_and_need_to_know(w):
    row, secret = create_client(w.municipality, name="Lezer", scopes=["casussen.lezen"], acting_users=[w.pro])
    _problem(Api(row, secret, w.pro).patch(_url(w.case), {"titel": "Nee"}), 403)
    _problem(w.api.patch(_url(w.case), {"titel": "Nee"}, user=w.uninvolved), 404)
    w.case.refresh_from_db()
    assert w.case.title != "Nee"


# --- leerinzichten -----------------------------------------------------------------------------------------------


@pytest.fixture
def learning(w):
    w.case.delete()
    for _ in range(14):
        make_case(w, days=5, blockers=["no_places"])
    facts.refresh_facts(w.municipality)
    return w


def test_the_learning_cells_are_the_dashboards_protected_values(learning):
    w = learning
    period = analytics.default_period(datetime.date.today() - datetime.timedelta(days=40))
    response = w.api.get(f"/api/v1/leerinzichten?periode={period.code}", user=w.policy)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["gemeente"], body["periode"], body["uitsplitsing"]) == (w.municipality.code, period.code, "")
    cells = {c["maat"]: c for c in body["cellen"]}
    dashboard = analytics.dashboard_for(w.policy, period)
    assert cells["cases"]["aantal"] == dashboard["summary"]["cases"] >= 10
    assert cells["platforms"]["aantal"] == dashboard["summary"]["platforms"]
    stored = protected.read(w.municipality, period.grid)
    assert {m: c["aantal"] if c["aantal"] is not None else "<10" for m, c in cells.items()} == {
        m: cell.shown for m, cell in stored.items()
    }  # every cell is a protected one, nothing else
    # A breakdown the dashboard offers gives the dashboard's value for it too.
    team = w.api.get(f"/api/v1/leerinzichten?periode={period.code}&uitsplitsing=team:{w.team.pk}", user=w.lead)
    by_team = analytics.dashboard_for(w.lead, period, protected.Breakdown("team", str(w.team.pk)))
    assert {c["maat"]: c["aantal"] for c in team.json()["cellen"]}["cases"] == by_team["summary"]["cases"]
    assert AccessEvent.objects.filter(event="api.learning.read", on_behalf_of__startswith="api:").exists()


def test_small_cells_are_only_below_the_threshold(learning):
    w = learning
    body = w.api.get("/api/v1/leerinzichten?periode=" + analytics.default_period().code, user=w.policy).json()
    for cell in body["cellen"]:
        assert (cell["aantal"] is None) == cell["onderDrempel"]
        assert cell["aantal"] is None or cell["aantal"] == 0 or cell["aantal"] >= 10


def test_learning_needs_the_scope_and_a_learning_reader(learning):
    w = learning
    row, secret = create_client(w.municipality, name="Zaken", scopes=["casussen.lezen"], acting_users=[w.policy])
    _problem(Api(row, secret, w.policy).get("/api/v1/leerinzichten"), 403)  # the client lacks leren.lezen
    _problem(w.api.get("/api/v1/leerinzichten", user=w.pro), 404)  # a professional reads no learning figures
    body = _problem(w.api.get("/api/v1/leerinzichten?periode=2026-13&uitsplitsing=team:0", user=w.policy), 400)
    assert sorted(p["name"] for p in body["invalidParams"]) == ["periode", "uitsplitsing"]
    _problem(w.api.get("/api/v1/leerinzichten?periode=alles", user=w.policy), 400)  # all time is not offered here
