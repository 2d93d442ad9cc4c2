"""The API test matrix (issue 17 point 5): every operation x every role (acting user of the municipality's
client), a client of another municipality, and no token -> the expected status. 404, never 403, for what the
acting user may not know exists; 403 for a write the user may see but not do."""

import datetime

import pytest
from django.test import Client

from doorbraak.budget import services as budget_services
from tests.api.test_openapi import OPERATIONS
from tests.cases.factories import PersonFactory
from tests.initiatives.factories import InitiativeFactory

ROLES = ["professional", "lead", "approver", "policy", "moderator", "admin"]
COLUMNS = [*ROLES, "foreign", "anonymous"]
BSN = "111222333"


def _all(status, anonymous=401):
    return {**dict.fromkeys(ROLES, status), "foreign": status, "anonymous": anonymous}


def _need_to_know(seen=200, foreign=404):
    """The professional is involved in the case, the lead leads its team; nobody else may know it exists."""
    return {**dict.fromkeys(ROLES, 404), "professional": seen, "lead": seen, "foreign": foreign, "anonymous": 401}


MATRIX = {
    "GET /casussen": _all(200),
    "POST /casussen": {
        **dict.fromkeys(ROLES, 403),
        "professional": 201,
        "lead": 201,
        "foreign": 400,  # the team is not of the foreign client's municipality
        "anonymous": 401,
    },
    "GET /casussen/{casusId}": _need_to_know(),
    "PATCH /casussen/{casusId}": _need_to_know(),  # a title: whoever works on the case
    "POST /casussen/_zoek": _all(200),
    "GET /casussen/{casusId}/casusplatforms": _need_to_know(),
    "POST /casussen/{casusId}/casusplatforms": {**_need_to_know(), "professional": 403, "lead": 201},
    "GET /casussen/{casusId}/casusplatforms/{platformId}": _need_to_know(),
    "GET /maatwerkplannen": _all(200),
    "GET /maatwerkplannen/{planId}": _need_to_know(),  # a draft plan: not the approver's
    "GET /fondsen": {
        **dict.fromkeys(ROLES, 404),
        "lead": 200,
        "approver": 200,
        "admin": 200,
        "foreign": 200,
        "anonymous": 401,
    },
    "GET /leerinzichten": {  # learning readers (policy officer, lead) of the client's own municipality
        **dict.fromkeys(ROLES, 404),
        "lead": 200,
        "policy": 200,
        "foreign": 200,
        "anonymous": 401,
    },
    "GET /initiatieven": _all(200, anonymous=200),
    "GET /initiatieven/{slug}": _all(200, anonymous=200),
    "GET /open-data/{gemeentecode}/datasets": _all(200, anonymous=200),
    "GET /open-data/{gemeentecode}/datasets/{dataset}": _all(200, anonymous=200),
    "POST /oauth/token": _all(200, anonymous=400),  # anonymous: no credentials in the body
}


def test_the_matrix_covers_every_operation_of_the_contract():
    assert sorted(MATRIX) == sorted(f"{m.upper()} {p}" for p, m, _op in OPERATIONS)


@pytest.fixture
def world(w):
    PersonFactory(household=w.case.household, municipality=w.municipality, relation="child", bsn=BSN)
    w.platform = __import__("doorbraak.platforms.models", fromlist=["Platform"]).Platform.objects.create(
        municipality=w.municipality,
        case=w.case,
        convened_on=datetime.date.today(),
        convened_by=w.lead,
        first_problem="x",
    )
    w.plan = budget_services.start_plan(w.pro, w.case)
    budget_services.create_fund(
        w.approver, team=w.team, year=datetime.date.today().year, name="Handgeld", amount_cents=10_000_00
    )
    w.initiative = InitiativeFactory()
    return w


def _request(w, operation, column):
    method, template = operation.split(" ", 1)
    path = "/api/v1" + template.format(
        casusId=w.case.pk,
        platformId=w.platform.pk,
        planId=w.plan.pk,
        slug=w.initiative.slug,
        gemeentecode=w.municipality.code,
        dataset="maanden",
    )
    bodies = {
        "POST /casussen": {
            "titel": "Via de API",
            "teamId": w.team.pk,
            "hulpvraag": "Een eigen plek.",
            "hoofdpersoon": {"voornaam": "Sam", "achternaam": "Jansen", "geboortedatum": "1990-01-02"},
        },
        "POST /casussen/_zoek": {"bsn": BSN},
        "PATCH /casussen/{casusId}": {"titel": "Gewijzigd via de API"},
        "POST /casussen/{casusId}/casusplatforms": {
            "datum": datetime.date.today().isoformat(),
            "eersteProbleem": "Schulden",
        },
    }
    if operation == "POST /oauth/token":
        api = w.foreign if column == "foreign" else w.api
        data = (
            {}
            if column == "anonymous"
            else {"grant_type": "client_credentials", "client_id": api.row.client_id, "client_secret": api.secret}
        )
        return Client().post(path, data)
    if column == "anonymous":
        http, headers = Client(), {}
    else:
        api = w.foreign if column == "foreign" else w.api
        http, headers = api.http, api.headers(w.stranger if column == "foreign" else w.roles[column])
    if method == "GET":
        return http.get(path, headers=headers)
    if method == "PATCH":
        return http.patch(path, bodies[operation], content_type="application/merge-patch+json", headers=headers)
    return http.post(path, bodies.get(operation, {}), content_type="application/json", headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_operation_by_role(world, operation):
    got = {column: _request(world, operation, column).status_code for column in COLUMNS}
    assert got == MATRIX[operation]


@pytest.mark.django_db
def test_search_finds_only_what_the_acting_user_may_see(world):
    found = {
        role: [
            c["id"]
            for c in world.api.post("/api/v1/casussen/_zoek", {"bsn": BSN}, user=world.roles[role]).json()["resultaten"]
        ]
        for role in ROLES
    }
    assert found["professional"] == found["lead"] == [world.case.pk]
    assert all(found[r] == [] for r in ("approver", "policy", "moderator", "admin"))
    assert world.foreign.post("/api/v1/casussen/_zoek", {"bsn": BSN}).json()["resultaten"] == []
