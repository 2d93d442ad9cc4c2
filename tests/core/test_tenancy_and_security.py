"""Tenancy (SEC-11), security headers and CSP (SEC-09), error pages (SEC-15), deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from doorbraak.core.models import Role, Team
from tests.factories import MunicipalityFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.scoped
def test_SEC_11_unscoped_query_raises_and_scope_filters():
    a, b = MunicipalityFactory(), MunicipalityFactory()
    TeamFactory(municipality=a, name="Team A")
    TeamFactory(municipality=b, name="Team B")
    with pytest.raises(ScopeError):
        list(Team.objects.all())
    with scope(municipality=a.pk):
        assert [t.name for t in Team.objects.all()] == ["Team A"]


def admin_client(client, settings, municipality):
    settings.DEMO = True
    admin = UserFactory(municipality=municipality, role=Role.ADMIN, is_staff=True, is_superuser=False, is_demo=True)
    from django.contrib.auth.models import Permission

    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="core"))
    client.force_login(admin)
    return admin


def test_SEC_11_admin_of_a_cannot_reach_teams_or_users_of_b(client, settings):
    a, b = MunicipalityFactory(), MunicipalityFactory()
    admin_client(client, settings, a)
    own_team = TeamFactory(municipality=a)
    other_team = TeamFactory(municipality=b)
    other_user = UserFactory(municipality=b)
    assert client.get(reverse("admin:core_team_change", args=[own_team.pk])).status_code == 200
    # An object of another municipality is a plain 404 (and a denied access event, tests/security).
    for url in (
        reverse("admin:core_team_change", args=[other_team.pk]),
        reverse("admin:core_user_change", args=[other_user.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404
    listing = client.get(reverse("admin:core_team_changelist")).content.decode()
    assert own_team.name in listing and other_team.name not in listing


def test_admin_invalid_input_gets_dutch_error(client, settings):
    a = MunicipalityFactory()
    admin_client(client, settings, a)
    response = client.post(reverse("admin:core_team_add"), {"name": "", "municipality": a.pk})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()


def test_SEC_09_strict_csp_and_security_headers(client):
    response = client.get(reverse("core:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_script_or_style():
    offenders = []
    for path in (ROOT / "src").rglob("*.html"):
        text = path.read_text()
        if "<script>" in text or "<style" in text or " style=" in text or " on" + "click=" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_unknown_url_gives_dutch_404(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_csrf_failure_gives_dutch_403(settings):
    from django.test import Client

    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("core:login"), {"username": user.username, "password": "x"})
    assert response.status_code == 403
    assert "Formulier verlopen" in response.content.decode()


@pytest.mark.urls("tests.core.urls_with_error")
def test_SEC_15_server_error_page_has_no_traceback(settings):
    from django.test import Client

    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/test-fout/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Er ging iets mis" in body and "geheime details" not in body and "Traceback" not in body


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEMO", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION_ENV = {
    "DOORBRAAK_ENV": "production",
    "SECRET_KEY": "x" * 10 + "a-long-random-production-secret-key-for-the-check-0123456789",
    "PSEUDONYM_KEY": "another-long-random-key",
    "FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1jaGVjay1maWVsZC1rZXktMDAwMDA=",
    "BSN_HASH_KEY": "a-long-random-bsn-hash-key-for-the-check",
    "ALLOWED_HOSTS": "doorbraak.example.nl",
    "ACCESS_LOG_KEYS": "1:an-access-log-key-for-the-check",
    "ACCESS_LOG_CHECKPOINT_SIGNING_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
}


def test_check_deploy_is_clean_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_demo_mode():
    result = _manage("check", env_extra={**PRODUCTION_ENV, "DEMO": "1"})
    assert result.returncode != 0
    assert "Demo mode" in result.stderr


def test_english_browser_still_gets_dutch_page_and_dates(client):
    response = client.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="nl"' in body
    from django.utils import translation

    assert translation.get_language() == "nl"
