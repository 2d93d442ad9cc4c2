"""An external system drives the API (issue 17 point 5): gets a token, opens cases for households, convenes a
platform, reads it back, pages through the list by following the Link headers, and finds a case by BSN."""

import datetime
import re

import pytest

from doorbraak.core.models import AccessEvent

BSN = "123456782"


def _next(response):
    match = re.search(r'<([^>]+)>; rel="next"', response["Link"])
    return match.group(1).replace("http://testserver", "") if match else None


@pytest.mark.django_db
def test_an_external_system_opens_a_case_convenes_a_platform_and_finds_it_again(w):
    api, lead = w.api, w.lead
    created = api.post(
        "/api/v1/casussen",
        {
            "titel": "Huurachterstand en schulden",
            "teamId": w.team.pk,
            "wijk": "Oost",
            "hulpvraag": "We willen in ons huis blijven wonen.",
            "vastgelopenSinds": "2026-06-01",
            "hoofdpersoon": {"voornaam": "Noor", "achternaam": "de Vries", "geboortedatum": "1984-03-04", "bsn": BSN},
            "financiers": ["wmo", "participatiewet"],
            "scores": {"finances": 1, "housing": 2},
        },
        user=lead,
    )
    assert created.status_code == 201, created.content
    case = created.json()
    assert created["Location"] == f"/api/v1/casussen/{case['id']}"
    assert case["wijk"] == "Oost" and sorted(case["financiers"]) == ["participatiewet", "wmo"]
    assert case["leden"][0]["bsnLaatsteCijfers"] == BSN[-3:]

    convened = api.post(
        f"/api/v1/casussen/{case['id']}/casusplatforms",
        {"datum": datetime.date.today().isoformat(), "eersteProbleem": "Beslag op het loon", "clientAanwezig": True},
        user=lead,
    )
    assert convened.status_code == 201, convened.content
    platform = api.get(convened["Location"], user=lead).json()
    assert platform["eersteProbleem"] == "Beslag op het loon" and platform["clientAanwezig"] is True
    assert api.get(f"/api/v1/casussen/{case['id']}", user=lead).json()["status"] == "platform"
    listed = api.get(f"/api/v1/casussen/{case['id']}/casusplatforms", user=lead).json()
    assert [p["id"] for p in listed["resultaten"]] == [platform["id"]]

    for n in range(4):
        assert (
            api.post(
                "/api/v1/casussen",
                {
                    "titel": f"Casus {n}",
                    "teamId": w.team.pk,
                    "hulpvraag": "Hulp.",
                    "hoofdpersoon": {"voornaam": "A", "achternaam": f"B{n}", "geboortedatum": "2000-01-01"},
                },
                user=lead,
            ).status_code
            == 201
        )
    seen, url, pages = [], "/api/v1/casussen?pageSize=2", 0
    while url:
        response = api.get(url, user=lead)
        assert response.status_code == 200
        seen += [c["id"] for c in response.json()["resultaten"]]
        url, pages = _next(response), pages + 1
    total = response.json()["totaal"]
    assert total == 6 and len(seen) == len(set(seen)) == total and pages == 3  # w.case + 5 opened here

    found = api.post("/api/v1/casussen/_zoek", {"bsn": BSN}, user=lead)
    assert [c["id"] for c in found.json()["resultaten"]] == [case["id"]]
    assert BSN not in found.request["QUERY_STRING"] and BSN not in found.request["PATH_INFO"]
    searches = AccessEvent.objects.filter(event="case.search", on_behalf_of=f"api:{api.row.client_id}")
    assert searches.exists()
