"""Issue 14, part 5: liveness and readiness probes."""

import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from doorbraak.core import health
from tests.factories import UserFactory
from tests.ops.conftest import free_port

pytestmark = pytest.mark.django_db

LIVEZ, READYZ = "/_healthz/livez", "/_healthz/readyz"


def test_livez_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(LIVEZ)
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_reports_each_dependency(client):
    response = client.get(READYZ)
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["tasks"]["status"] == "ok"  # the django-tasks-db queue table answers
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"


def test_readyz_fails_with_the_database_down(client):
    down = {"default": mock.Mock(cursor=mock.Mock(side_effect=OperationalError("connection refused")))}
    with mock.patch.object(health, "connections", down):
        response = client.get(READYZ)
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "down"
    assert body["checks"]["database"]["status"] == "down"
    assert body["checks"]["cache"]["status"] == "ok"
    assert "connection refused" not in response.content.decode()  # no error details to the outside


@pytest.mark.postgres_only
def test_readyz_fails_when_postgresql_does_not_answer(client, settings):
    """A real connection to a port where nothing listens (PostgreSQL down)."""
    from django.db import connections
    from django.db.utils import ConnectionHandler

    dead = dict(connections.settings["default"], HOST="127.0.0.1", PORT=str(free_port()), NAME="nothing")
    dead["OPTIONS"] = {**dead.get("OPTIONS", {}), "connect_timeout": 2}
    handler = ConnectionHandler({"default": dead})
    with mock.patch.object(health, "connections", handler):
        response = client.get(READYZ)
    handler.close_all()
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["database"]["status"] == "down"


def test_readyz_fails_with_the_cache_down(client):
    """Redis configured but not answering (a closed port)."""
    dead_redis = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    with override_settings(CACHES=dead_redis), mock.patch.object(health, "cache", _fresh_default_cache()):
        response = client.get(READYZ)
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["cache"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"


def _fresh_default_cache():
    from django.core.cache import caches

    return caches.create_connection("default")


def test_readyz_with_redis_up(client, redis_url):
    live = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}}
    with override_settings(CACHES=live), mock.patch.object(health, "cache", _fresh_default_cache()):
        response = client.get(READYZ)
    assert response.status_code == 200
    assert json.loads(response.content)["checks"]["cache"]["status"] == "ok"


@override_settings(ALLOWED_HOSTS=["doorbraak.example"], SECURE_SSL_REDIRECT=True)
def test_probes_answer_a_load_balancer_by_ip_over_plain_http(client):
    """No host check, no HTTPS redirect: the balancer probes http://10.0.0.5:8000/_healthz/readyz."""
    assert client.get(READYZ, HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get(LIVEZ, HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/inloggen/", HTTP_HOST="10.0.0.5:8000").status_code == 400  # the rest still checks


def test_probes_skip_the_second_factor_redirect(client):
    """A logged-in session that has not passed the second factor is not redirected to the code step."""
    user = UserFactory()
    client.force_login(user)
    other = client.get("/casussen/")
    assert other.status_code == 302 and other["Location"].startswith(reverse("core:otp_verify"))  # the rest
    response = client.get(READYZ)
    assert response.status_code == 200
    assert user.username not in response.content.decode()


def test_readyz_fails_when_the_task_queue_is_unreachable(client, monkeypatch):
    from django.db.utils import OperationalError
    from django_tasks_db.models import DBTaskResult

    def broken(*args, **kwargs):
        raise OperationalError("queue table unreachable")

    monkeypatch.setattr(DBTaskResult.objects, "filter", broken)
    monkeypatch.setattr(DBTaskResult.objects, "exists", broken, raising=False)
    monkeypatch.setattr(DBTaskResult.objects, "all", broken)
    response = client.get(READYZ)
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["checks"]["tasks"]["status"] != "ok" and body["checks"]["database"]["status"] == "ok"
