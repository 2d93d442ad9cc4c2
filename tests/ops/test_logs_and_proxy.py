"""Issue 14, part 5: one structured log line per request with the request id; the client address behind a
trusted proxy only."""

import json
import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from doorbraak.core.logs import JsonFormatter, RequestIdFilter
from doorbraak.core.proxy import client_from_forwarded
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _json_lines(caplog) -> list[dict]:
    formatter, id_filter = JsonFormatter(), RequestIdFilter()
    lines = []
    for record in caplog.records:
        if record.name == "doorbraak.request":
            id_filter.filter(record)
            lines.append(json.loads(formatter.format(record)))
    return lines


def test_one_json_line_per_request_without_query_string(client, caplog):
    caplog.set_level(logging.INFO, logger="doorbraak.request")
    response = client.get("/initiatieven/?q=Jansen+schulden")
    [line] = _json_lines(caplog)
    assert line["method"] == "GET"
    assert line["path"] == "/initiatieven/"
    assert line["status"] == response.status_code == 200
    assert line["request_id"] == response["X-Request-ID"] and len(line["request_id"]) == 32
    assert line["user_id"] is None
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO" and line["logger"] == "doorbraak.request" and line["time"]
    assert "Jansen" not in json.dumps(line) and "schulden" not in json.dumps(line)


def test_the_line_names_the_user_by_id_only(client, caplog):
    caplog.set_level(logging.INFO, logger="doorbraak.request")
    user = UserFactory(username="pietje.puk", first_name="Pietje", last_name="Puk")
    client.force_login(user)
    client.get(reverse("core:login"))
    [line] = _json_lines(caplog)
    assert line["user_id"] == user.pk
    assert "pietje" not in json.dumps(line).lower() and "Puk" not in json.dumps(line)


SEEN: dict = {}


def probe_middleware(get_response):
    """Placed after every other middleware: records what the view would see."""
    from doorbraak.core import logs

    def middleware(request):
        SEEN.update(trace_id=request.trace_id, var=logs.request_id_var.get())
        return get_response(request)

    return middleware


def test_the_request_id_is_the_trace_id_of_the_access_log(client, settings):
    """The id in the log line is request.trace_id, which the access log stores, and is set for every record
    logged during the request."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.ops.test_logs_and_proxy.probe_middleware"]
    SEEN.clear()
    response = client.get("/initiatieven/")
    assert SEEN["trace_id"] == SEEN["var"] == response["X-Request-ID"]


def test_text_format_when_asked():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["formatter"] == settings.LOG_FORMAT
    assert {"json", "text"} <= settings.LOGGING["formatters"].keys()


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.7", "10.0.0.1", "203.0.113.7"),  # not from our proxy: the header is ignored
        ("127.0.0.1", "198.51.100.4", "198.51.100.4"),  # from our proxy: the client it saw
        ("127.0.0.1", "6.6.6.6, 198.51.100.4", "198.51.100.4"),  # a forged first hop does not count
        ("127.0.0.1", "198.51.100.4, 127.0.0.1", "198.51.100.4"),  # proxies in the chain are skipped
        ("127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_client_address_from_trusted_proxies_only(remote, forwarded, expected):
    assert client_from_forwarded(remote, forwarded, ["127.0.0.1", "::1"]) == expected


@override_settings(FORWARDED_ALLOW_IPS=["10.1.1.1"])
def test_a_visitor_cannot_dodge_the_rate_limit_with_a_forged_header(client):
    """Forged X-Forwarded-For from a direct visitor is ignored: the posts still count for its own address."""
    from django.test import RequestFactory

    from doorbraak.core.proxy import ForwardedForMiddleware
    from doorbraak.initiatives.protection import RATE_LIMIT, count_post, rate_limited

    seen = []
    middleware = ForwardedForMiddleware(lambda request: seen.append(request) or None)
    for n in range(RATE_LIMIT):
        middleware(RequestFactory().post("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}"))
        count_post(seen[-1], "submission")
    middleware(RequestFactory().post("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.99"))
    assert seen[-1].META["REMOTE_ADDR"] == "203.0.113.7"
    assert rate_limited(seen[-1], "submission")
    # Behind the trusted proxy, two real visitors are two addresses.
    middleware(RequestFactory().post("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="198.51.100.4"))
    assert seen[-1].META["REMOTE_ADDR"] == "198.51.100.4"
    assert not rate_limited(seen[-1], "submission")


def test_django_request_warnings_carry_the_id_but_not_the_query(client, caplog):
    """Django logs "Not Found: /path" with the request object, whose repr holds the query string."""
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client.get("/bestaat-niet/?naam=Jansen")
    assert response.status_code == 404
    [record] = [r for r in caplog.records if r.name == "django.request"]
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response["X-Request-ID"]
    assert "Jansen" not in json.dumps(line) and "request" not in line
