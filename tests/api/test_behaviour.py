"""What every caller of /api/v1 notices (issue 17 points 1-2): problem details, headers, paging, tokens, scopes,
the acting user, need-to-know as 404, the access log with the client id, rate limits and CORS."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from doorbraak.api.models import ApiToken, secret_hash
from doorbraak.api.services import create_client
from doorbraak.core.models import AccessEvent
from tests.cases.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def _is_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def _headers_ok(response):
    assert response["API-Version"] == "1.1.0"
    for name, value in SECURITY_HEADERS.items():
        assert response[name] == value
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Strict-Transport-Security"].startswith("max-age=")


def test_a_trailing_slash_is_a_404_problem_not_a_redirect(w):
    response = w.api.get("/api/v1/casussen/")
    _is_problem(response, 404)
    _headers_ok(response)


def test_unknown_paths_and_methods_are_problems_with_the_version_header(w):
    _headers_ok(w.api.get("/api/v1/bestaat-niet"))
    _is_problem(w.api.get("/api/v1/bestaat-niet"), 404)
    response = w.api.http.delete("/api/v1/casussen", headers=w.api.headers())
    _is_problem(response, 405)
    _headers_ok(response)


def test_no_token_is_401_with_www_authenticate_and_a_bad_token_too(w):
    response = Client().get("/api/v1/casussen")
    _is_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    _headers_ok(response)
    _is_problem(Client().get("/api/v1/casussen", headers={"Authorization": "Bearer nee"}), 401)


def test_tokens_are_stored_as_hashes_and_expire(w):
    token = w.api.token()
    row = ApiToken.objects.get(client=w.api.row)
    assert row.token_hash == secret_hash(token) and token not in row.token_hash
    assert w.api.get("/api/v1/casussen").status_code == 200
    with time_machine.travel(row.expires_at + datetime.timedelta(seconds=1)):
        _is_problem(w.api.get("/api/v1/casussen"), 401)


def test_wrong_client_secret_is_refused_as_invalid_client(w):
    response = Client().post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials", "client_id": w.api.row.client_id, "client_secret": "fout"},
    )
    assert _is_problem(response, 401)["error"] == "invalid_client"
    response = Client().post("/api/v1/oauth/token", {"grant_type": "password"})
    names = {p["name"] for p in _is_problem(response, 400)["invalidParams"]}
    assert {"grant_type", "client_id", "client_secret"} <= names


def test_the_acting_user_must_be_named_allowed_and_of_the_clients_municipality(w):
    _is_problem(_no_user(w), 403)
    _is_problem(w.api.get("/api/v1/casussen", user=w.stranger), 403)  # another municipality
    w.api.row.acting_users.remove(w.pro)
    _is_problem(w.api.get("/api/v1/casussen"), 403)  # not allowed by the administrator
    w.api.row.acting_users.add(w.pro)
    w.pro.is_active = False
    w.pro.save()
    _is_problem(w.api.get("/api/v1/casussen"), 403)


def _no_user(w):
    return w.api.http.get("/api/v1/casussen", headers={"Authorization": f"Bearer {w.api.token()}"})


def test_a_client_without_the_scope_is_refused(w):
    row, secret = create_client(w.municipality, name="Alleen budget", scopes=["budget.lezen"], acting_users=[w.pro])
    from tests.api.conftest import Api

    api = Api(row, secret, w.pro)
    _is_problem(api.get("/api/v1/casussen"), 403)
    assert api.get("/api/v1/maatwerkplannen").status_code == 200


def test_need_to_know_is_a_404_and_logged_with_the_client_id(w):
    hidden = CaseFactory(municipality=w.municipality)  # nobody in w is involved, another team
    response = w.api.get(f"/api/v1/casussen/{hidden.pk}")
    _is_problem(response, 404)
    event = AccessEvent.objects.filter(outcome=AccessEvent.Outcome.DENIED).latest("id")
    assert event.reason == "need_to_know" and event.on_behalf_of == f"api:{w.api.row.client_id}"
    assert event.actor_id == w.pro.pk
    foreign = CaseFactory(municipality=w.stranger.municipality)
    _is_problem(w.api.get(f"/api/v1/casussen/{foreign.pk}"), 404)
    assert AccessEvent.objects.filter(outcome=AccessEvent.Outcome.DENIED).latest("id").reason == "tenancy"


def test_reading_a_case_is_in_the_access_log_with_the_client_id(w):
    response = w.api.get(f"/api/v1/casussen/{w.case.pk}")
    assert response.status_code == 200
    event = AccessEvent.objects.filter(event="case.read").latest("id")
    assert event.on_behalf_of == f"api:{w.api.row.client_id}" and event.actor_id == w.pro.pk
    assert event.outcome == AccessEvent.Outcome.SUCCESS
    w.api.get("/api/v1/casussen")
    assert AccessEvent.objects.filter(event="api.case.list", on_behalf_of__startswith="api:").exists()


def test_times_are_utc_and_dates_are_dates(w):
    body = w.api.get(f"/api/v1/casussen/{w.case.pk}").json()
    assert body["geopendOp"].endswith("Z")
    assert datetime.datetime.fromisoformat(body["geopendOp"]) == w.case.opened_at
    assert datetime.date.fromisoformat(body["leden"][0]["geboortedatum"])


def test_a_bsn_is_shown_only_by_its_last_three_digits(w):
    PersonFactory(household=w.case.household, municipality=w.municipality, relation="child", bsn="111222333")
    members = w.api.get(f"/api/v1/casussen/{w.case.pk}").json()["leden"]
    assert "111222333" not in str(members) and "333" in {m["bsnLaatsteCijfers"] for m in members}


def test_invalid_input_lists_every_field_error_at_once(w):
    response = w.api.post(
        "/api/v1/casussen",
        {
            "titel": "",
            "teamId": "x",
            "hulpvraag": "a" * 5000,
            "hoofdpersoon": {"voornaam": "A\u202eB", "geboortedatum": "2999-01-01", "bsn": "123456789"},
            "financiers": ["geen"],
            "scores": {"finances": 9},
        },
    )
    names = {p["name"] for p in _is_problem(response, 400)["invalidParams"]}
    assert {
        "titel",
        "teamId",
        "hulpvraag",
        "hoofdpersoon.voornaam",
        "hoofdpersoon.achternaam",
        "hoofdpersoon.geboortedatum",
        "hoofdpersoon.bsn",
        "financiers.0",
        "scores.finances",
    } <= names


def test_malformed_json_is_a_400_problem(w):
    response = w.api.http.post("/api/v1/casussen", "{nee", content_type="application/json", headers=w.api.headers())
    _is_problem(response, 400)
    response = w.api.http.post("/api/v1/casussen", "a=b", content_type="text/plain", headers=w.api.headers())
    _is_problem(response, 415)


def test_a_closed_case_refuses_a_platform_with_409(w):
    w.case.status = "closed"
    w.case.save()
    response = w.api.post(
        f"/api/v1/casussen/{w.case.pk}/casusplatforms",
        {"datum": timezone.localdate().isoformat(), "eersteProbleem": "Schulden"},
        user=w.lead,
    )
    _is_problem(response, 409)


def test_paging_has_link_headers_and_a_deterministic_order(w):
    for _ in range(4):
        CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
    first = w.api.get("/api/v1/casussen?pageSize=2", user=w.lead)
    assert first.json()["totaal"] == 5 and len(first.json()["resultaten"]) == 2
    assert 'rel="next"' in first["Link"] and 'rel="prev"' not in first["Link"] and 'rel="last"' in first["Link"]
    second = w.api.get("/api/v1/casussen?pageSize=2&page=2", user=w.lead)
    assert 'rel="prev"' in second["Link"]
    ids = [c["id"] for c in first.json()["resultaten"] + second.json()["resultaten"]]
    assert len(set(ids)) == 4
    assert ids == [c["id"] for c in w.api.get("/api/v1/casussen?pageSize=4", user=w.lead).json()["resultaten"]]
    _is_problem(w.api.get("/api/v1/casussen?page=99", user=w.lead), 404)


def test_rate_limit_per_client_is_429_with_retry_after(w, settings):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "api_client": "3/min"}
    statuses = [w.api.get("/api/v1/casussen").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = w.api.get("/api/v1/casussen")
    _is_problem(response, 429)
    assert int(response["Retry-After"]) > 0
    assert w.foreign.get("/api/v1/casussen").status_code == 200  # another client has its own budget


def test_cors_allow_list_for_private_resources_and_star_for_public_ones(w, settings):
    settings.API_CORS_ALLOWED_ORIGINS = ["https://zaaksysteem.gemeente.example"]
    allowed = w.api.get("/api/v1/casussen", headers={"Origin": "https://zaaksysteem.gemeente.example"})
    assert allowed["Access-Control-Allow-Origin"] == "https://zaaksysteem.gemeente.example"
    other = w.api.get("/api/v1/casussen", headers={"Origin": "https://kwaadwillend.example"})
    assert "Access-Control-Allow-Origin" not in other
    public = Client().get("/api/v1/initiatieven", headers={"Origin": "https://kwaadwillend.example"})
    assert public.status_code == 200 and public["Access-Control-Allow-Origin"] == "*"
    preflight = Client().options(
        "/api/v1/casussen",
        headers={"Origin": "https://zaaksysteem.gemeente.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204 and "Acting-User" in preflight["Access-Control-Allow-Headers"]
    refused = Client().options(
        "/api/v1/casussen", headers={"Origin": "https://kwaadwillend.example", "Access-Control-Request-Method": "GET"}
    )
    assert "Access-Control-Allow-Origin" not in refused


def test_private_responses_are_never_cached(w):
    assert "no-store" in w.api.get("/api/v1/casussen")["Cache-Control"]
    assert "no-store" in Client().get("/api/v1/casussen")["Cache-Control"]


def test_no_browsable_api_or_format_override(w):
    response = w.api.get("/api/v1/casussen?format=api", headers={"Accept": "text/html"})
    assert response.status_code in (200, 406)
    assert not response["Content-Type"].startswith("text/html")


def test_a_server_error_is_a_problem_with_the_version_header(w, monkeypatch):
    from doorbraak.api import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.case_selectors, "case_list", boom)
    response = w.api.get("/api/v1/casussen")
    _is_problem(response, 500)
    _headers_ok(response)
    assert "boom" not in response.content.decode()


def test_messages_are_dutch(w):
    assert "toegangstoken" in Client().get("/api/v1/casussen").json()["detail"]
    response = w.api.post("/api/v1/casussen", {"teamId": "1", "titel": 5})
    reasons = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert reasons["hulpvraag"] == "Dit veld is verplicht."
    assert reasons["teamId"] == "Geef een geheel getal." and reasons["titel"] == "Geef tekst (een JSON-string)."
    assert (
        "JSON"
        in w.api.http.post("/api/v1/casussen", "{", content_type="application/json", headers=w.api.headers()).json()[
            "detail"
        ]
    )
