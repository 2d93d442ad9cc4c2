"""Fixtures of the API tests: a world with every role, API clients and a caller that gets a token."""

import pytest
from django.test import Client

from doorbraak.api.models import SCOPES
from doorbraak.api.services import create_client
from doorbraak.core.models import Role
from tests.cases.factories import World
from tests.factories import UserFactory

ALL_SCOPES = sorted(SCOPES)


class Api:
    """An external system: client credentials → token → calls as one acting user."""

    def __init__(self, client_row, secret, user=None):
        self.row, self.secret, self.user = client_row, secret, user
        self.http = Client(raise_request_exception=False)
        self._token = None

    def token(self):
        if self._token is None:
            response = self.http.post(
                "/api/v1/oauth/token",
                {"grant_type": "client_credentials", "client_id": self.row.client_id, "client_secret": self.secret},
            )
            assert response.status_code == 200, response.content
            self._token = response.json()["access_token"]
        return self._token

    def headers(self, user=None):
        user = user or self.user
        h = {"Authorization": f"Bearer {self.token()}"}
        if user is not None:
            h["Acting-User"] = user.username
        return h

    def get(self, path, user=None, **extra):
        return self.http.get(path, headers={**self.headers(user), **extra.pop("headers", {})}, **extra)

    def post(self, path, data, user=None, **extra):
        return self.http.post(
            path, data, content_type="application/json", headers={**self.headers(user), **extra.pop("headers", {})}
        )

    def patch(self, path, data, user=None, content_type="application/merge-patch+json"):
        return self.http.patch(path, data, content_type=content_type, headers=self.headers(user))


class ApiWorld(World):
    def __init__(self):
        super().__init__()
        self.moderator = UserFactory(municipality=self.municipality, role=Role.MODERATOR)
        self.admin = UserFactory(municipality=self.municipality, role=Role.ADMIN, is_staff=True)
        self.roles = {
            "professional": self.pro,
            "lead": self.lead,
            "approver": self.approver,
            "policy": self.policy,
            "moderator": self.moderator,
            "admin": self.admin,
        }
        row, secret = create_client(
            self.municipality,
            name="Zaaksysteem",
            scopes=ALL_SCOPES,
            acting_users=[*self.roles.values(), self.uninvolved],
        )
        self.api = Api(row, secret, self.pro)
        other, other_secret = create_client(
            self.stranger.municipality, name="Elders", scopes=ALL_SCOPES, acting_users=[self.stranger]
        )
        self.foreign = Api(other, other_secret, self.stranger)


@pytest.fixture
def w(db):
    return ApiWorld()
