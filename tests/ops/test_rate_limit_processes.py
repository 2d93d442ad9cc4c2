"""Issue 14, part 4: the public rate limit (5 per address per 10 minutes) holds across web processes.

Two real gunicorn instances (two workers each, four processes in all, like the issue's measurement of 16 of
24 accepted) on 127.0.0.1 share one cache. The visitor's submissions alternate between the two servers.
"""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request

from doorbraak.initiatives.protection import RATE_LIMIT
from tests.initiatives.conftest import solve

ATTEMPTS = 24


class Visitor:
    """One browser-like client per server (its own cookies: CSRF token), same address 127.0.0.1."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def submit(self, n: int) -> int:
        with self.opener.open(self.base_url + "/initiatieven/aanmelden/", timeout=15) as page:
            html = page.read().decode()
        token, answer = solve(html)
        csrf = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "name": f"Buurtkamer {n}",
                "place": "Zwolle",
                "link": "https://www.buurtkamer.example",
                "description": "Bewoners helpen elkaar met papieren.",
                "submitter_name": "Anna",
                "submitter_email": "anna@example.org",
                "challenge": token,
                "challenge_answer": answer,
                "website": "",
            }
        ).encode()
        try:
            with self.opener.open(self.base_url + "/initiatieven/aanmelden/", data=data, timeout=15) as r:
                return r.status
        except urllib.error.HTTPError as exc:
            return exc.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _accepted_over_two_servers(gunicorn_server, **env) -> tuple[int, list[int]]:
    servers = [Visitor(gunicorn_server(**env)), Visitor(gunicorn_server(**env))]
    statuses = [servers[n % 2].submit(n) for n in range(ATTEMPTS)]
    assert set(statuses) <= {302, 429}, statuses
    return statuses.count(302), statuses


def test_limit_holds_over_two_gunicorn_servers_sharing_redis(gunicorn_server, redis_url):
    accepted, statuses = _accepted_over_two_servers(gunicorn_server, REDIS_URL=redis_url)
    assert accepted == RATE_LIMIT, statuses
    assert statuses[:RATE_LIMIT] == [302] * RATE_LIMIT  # the first five went through, on both servers
    import redis

    assert redis.Redis.from_url(redis_url).keys("doorbraak:*initiatives:rate:submission:127.0.0.1")  # in Redis


def test_limit_holds_over_two_servers_with_the_embedded_file_cache(gunicorn_server, tmp_path):
    """Without Redis (one machine, `make run`), the file cache is shared by the processes too."""
    accepted, statuses = _accepted_over_two_servers(
        gunicorn_server, DOORBRAAK_ENV="development", CACHE_DIR=tmp_path / "cache"
    )
    assert accepted == RATE_LIMIT, statuses


def test_a_per_process_cache_lets_more_through(gunicorn_server):
    """The old situation (memory cache per process): the limit is per worker, so more than five get in.
    This shows what the two tests above guard against."""
    accepted, _ = _accepted_over_two_servers(gunicorn_server)  # DOORBRAAK_ENV=test: LocMem
    assert accepted > RATE_LIMIT


def test_a_simultaneous_burst_over_both_servers_gets_five_through_with_redis(gunicorn_server, redis_url):
    """24 posts at the same moment from one address, spread over two servers (2 workers x 4 threads each).
    Checking "below the limit?" and counting afterwards let 13-17 of them in (measured); taking the slot with
    Redis's atomic INCR first lets exactly five in."""
    from concurrent.futures import ThreadPoolExecutor

    urls = [gunicorn_server(REDIS_URL=redis_url, GUNICORN_THREADS=4) for _ in range(2)]
    visitors = [Visitor(urls[n % 2]) for n in range(ATTEMPTS)]
    with ThreadPoolExecutor(ATTEMPTS) as pool:
        statuses = list(pool.map(lambda pair: pair[1].submit(pair[0]), enumerate(visitors)))
    assert statuses.count(302) == RATE_LIMIT, statuses
    assert statuses.count(429) == ATTEMPTS - RATE_LIMIT
