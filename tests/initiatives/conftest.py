import pytest
from django.core import signing

from doorbraak.initiatives.protection import CHALLENGE_SALT


def solve(html: str) -> tuple[str, str]:
    """Read the hidden challenge token from a rendered form and return (token, answer)."""
    import re

    token = re.search(r'name="challenge" value="([^"]+)"', html).group(1)
    data = signing.loads(token, salt=CHALLENGE_SALT)
    return token, str(data["a"] + data["b"])


@pytest.fixture
def solver():
    return solve


def login_verified(client, user):
    """Log the test client in with a session that passed the second factor."""
    from django.conf import settings

    from tests.helpers.browser import session_cookie_for

    client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie_for(user)["value"]
    return client
