"""Issue 17: the administrator's screen for API clients in /beheer/: create (the secret shown once), rotate, revoke;
own municipality only; every step in the access log."""

import pytest
from django.urls import reverse

from doorbraak.api.models import ApiClient, ApiToken, secret_hash
from doorbraak.api.services import create_client
from doorbraak.core.models import AccessEvent, Role
from tests.api.conftest import Api
from tests.cases.factories import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _add(client, w, **extra):
    data = {
        "name": "Zaaksysteem Noord",
        "client_id": "zaaksysteem-noord",
        "municipality": w.municipality.pk,
        "scope_list": ["casussen.lezen", "leren.lezen"],
        "acting_users": [w.pro.pk],
        **extra,
    }
    return client.post(reverse("admin:api_apiclient_add"), data)


def test_an_administrator_creates_a_client_and_sees_the_secret_once(client, w):
    login(client, w.admin)
    page = client.get(reverse("admin:api_apiclient_add"))
    assert page.status_code == 200
    assert w.stranger.username not in page.content.decode()  # only users of the own municipality are offered
    response = _add(client, w)
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    row = ApiClient.objects.get(client_id="zaaksysteem-noord")
    assert "Dit geheim ziet u maar één keer" in html and "no-store" in response["Cache-Control"]
    secret = html.split('id="client-secret">')[1].split("<")[0]
    assert row.secret_hash == secret_hash(secret) and secret not in row.secret_hash
    assert (row.municipality, row.scope_set, list(row.acting_users.all())) == (
        w.municipality,
        {"casussen.lezen", "leren.lezen"},
        [w.pro],
    )
    assert secret not in client.get(reverse("admin:api_apiclient_change", args=[row.pk])).content.decode()
    assert AccessEvent.objects.filter(event="admin.apiclient.create", actor_id=w.admin.pk).exists()
    Api(row, secret, w.pro).token()  # the shown secret works


def test_bad_input_is_a_dutch_error_and_what_was_typed_is_kept(client, w):
    login(client, w.admin)
    response = _add(client, w, client_id="Met Spaties!", scope_list=[])
    html = response.content.decode()
    assert response.status_code == 200 and "kleine letters" in html and "Dit veld is verplicht" in html
    assert 'value="Zaaksysteem Noord"' in html
    assert not ApiClient.objects.filter(name="Zaaksysteem Noord").exists()


def test_rotate_voids_the_old_secret_and_tokens_and_revoke_stops_the_client(client, w):
    login(client, w.admin)
    api = Api(*create_client(w.municipality, name="Oud", scopes=["casussen.lezen"], acting_users=[w.pro]), w.pro)
    api.token()
    url = reverse("admin:api_apiclient_change", args=[api.row.pk])
    response = client.post(url, {"_rotate": "1"})
    secret = response.content.decode().split('id="client-secret">')[1].split("<")[0]
    assert secret != api.secret and not ApiToken.objects.filter(client=api.row).exists()
    assert (
        Api(api.row, api.secret)
        .http.post(
            "/api/v1/oauth/token",
            {"grant_type": "client_credentials", "client_id": api.row.client_id, "client_secret": api.secret},
        )
        .status_code
        == 401
    )
    fresh = Api(api.row, secret, w.pro)
    assert fresh.get("/api/v1/casussen").status_code == 200
    assert client.post(url, {"_revoke": "1"}).status_code == 302
    assert "ingetrokken" in client.get(url).content.decode()  # shown read-only
    api.row.refresh_from_db()
    assert not api.row.is_active
    assert fresh.get("/api/v1/casussen").status_code == 401  # its token stopped at once
    for event in ("admin.apiclient.secret_rotated", "admin.apiclient.revoked"):
        assert AccessEvent.objects.filter(event=event, actor_id=w.admin.pk, object_id=str(api.row.pk)).exists()


def test_only_administrators_of_the_own_municipality(client, w):
    row, _secret = create_client(w.municipality, name="Hier", scopes=["casussen.lezen"], acting_users=[])
    other_admin = UserFactory(municipality=w.stranger.municipality, role=Role.ADMIN, is_staff=True)
    login(client, other_admin)
    assert client.get(reverse("admin:api_apiclient_change", args=[row.pk])).status_code == 404
    assert client.post(reverse("admin:api_apiclient_change", args=[row.pk]), {"_revoke": "1"}).status_code == 404
    assert "Hier" not in client.get(reverse("admin:api_apiclient_changelist")).content.decode()
    row.refresh_from_db()
    assert row.is_active
    assert AccessEvent.objects.filter(event="admin.apiclient.read", outcome="denied", reason="tenancy").exists()
    login(client, w.lead)  # not an administrator
    assert client.get(reverse("admin:api_apiclient_changelist")).status_code in (302, 403)
