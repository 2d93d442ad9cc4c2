"""The demo API client works as docs/api.md says: the printed credentials give a token, and the demo lead's cases
come back."""

import pytest
from django.test import Client

from doorbraak.demo import api as demo_api
from doorbraak.demo import cases as demo_cases
from doorbraak.demo import core as demo_core


@pytest.mark.django_db
def test_the_documented_demo_credentials_work():
    demo_core.load()
    demo_cases.load()
    demo_api.load()
    demo_api.load()  # idempotent
    http = Client()
    token = http.post(
        "/api/v1/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": demo_api.DEMO_CLIENT_ID,
            "client_secret": demo_api.DEMO_CLIENT_SECRET,
        },
    ).json()["access_token"]
    response = http.get(
        "/api/v1/casussen?pageSize=5", headers={"Authorization": f"Bearer {token}", "Acting-User": "demo-lead"}
    )
    assert response.status_code == 200 and response.json()["totaal"] > 0
