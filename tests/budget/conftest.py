import pytest

from tests.budget.factories import World
from tests.helpers.browser import session_cookie_for


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def login(client):
    def _login(user):
        client.cookies.clear()
        cookie = session_cookie_for(user)
        client.cookies[cookie["name"]] = cookie["value"]
        return client

    return _login
