"""Self-hosted protection of the public forms: signed arithmetic challenge and a rate limit per address.

No third-party service: the challenge is a question like "Hoeveel is 3 plus 4?" whose numbers travel
signed (django.core.signing) and time-limited in a hidden field, together with a one-time nonce that
also serves as the form token against double submits. The rate limit counts posts per client address
in Django's cache: Redis in production, shared by every web process (issue 14). A post takes its slot with
one atomic increment BEFORE it is handled, so a burst of simultaneous posts over many processes cannot all
pass a "below the limit?" check at once; a form that is sent back for a typo gives its slot back.
"""

import secrets

from django.core import signing
from django.core.cache import cache

CHALLENGE_SALT = "doorbraak.initiatives.challenge"
CHALLENGE_MAX_AGE = 2 * 60 * 60  # seconds a form may stay open
RATE_LIMIT = 5  # posts that are accepted ...
RATE_WINDOW = 10 * 60  # ... per this many seconds, per client address


def new_challenge() -> tuple[str, int, int]:
    a = secrets.randbelow(9) + 1
    b = secrets.randbelow(9) + 1
    token = signing.dumps({"a": a, "b": b, "n": secrets.token_hex(16)}, salt=CHALLENGE_SALT, compress=True)
    return token, a, b


class ChallengeError(Exception):
    def __init__(self, expired: bool):
        self.expired = expired


def read_challenge(token: str) -> dict:
    try:
        data = signing.loads(token, salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ChallengeError(expired=True) from exc
    except signing.BadSignature as exc:
        raise ChallengeError(expired=False) from exc
    if not isinstance(data, dict) or not {"a", "b", "n"} <= data.keys():
        raise ChallengeError(expired=False)
    return data


def client_address(request) -> str:
    # Behind a reverse proxy, that proxy must set REMOTE_ADDR (e.g. uwsgi/gunicorn with a trusted header).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate_key(request, scope: str) -> str:
    return f"initiatives:rate:{scope}:{client_address(request)}"


def rate_limited(request, scope: str) -> bool:
    """True when this address already sent RATE_LIMIT messages of this kind within the window."""
    return (cache.get(_rate_key(request, scope)) or 0) >= RATE_LIMIT


def count_post(request, scope: str) -> None:
    """Count one accepted (or honeypot-caught) message; forms with typos do not count."""
    key = _rate_key(request, scope)
    if cache.add(key, 1, RATE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, RATE_WINDOW)


def take_slot(request, scope: str) -> bool:
    """Count this post now; False (a refusal, nothing counted) when the address already used its RATE_LIMIT.

    The increment is atomic in Redis (INCR) and in the memory cache; the file cache of a single machine without
    Redis does a read and a write, so a burst there may let one or two extra through."""
    key = _rate_key(request, scope)
    if cache.add(key, 1, RATE_WINDOW):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, RATE_WINDOW)
        return True
    if count > RATE_LIMIT:
        _decrement(key)  # keep the counter at the limit, so the window's count stays meaningful
        return False
    return True


def release_slot(request, scope: str) -> None:
    """Give back the slot of a post that was not accepted (a form with a typo)."""
    _decrement(_rate_key(request, scope))


def _decrement(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:  # expired meanwhile: nothing to give back
        pass
