"""Issue 14, part 5 (regional topology): the optional read replica for the learning pages' facts and rollups."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import transaction
from django.test import RequestFactory, override_settings

from doorbraak.core.db_router import LearningReplicaRouter, ReplicaReadsMiddleware
from doorbraak.learning.models import CaseFact, FactRefresh, Rollup, Story
from tests.ops.conftest import ROOT

WITH_REPLICA = {**settings.DATABASES, "replica": settings.DATABASES["default"]}


def _route_during(method: str, model) -> str:
    seen = {}

    def view(request):
        seen["db"] = LearningReplicaRouter().db_for_read(model)

    ReplicaReadsMiddleware(view)(getattr(RequestFactory(), method.lower())("/leren/"))
    return seen["db"]


def test_off_by_default():
    assert "replica" not in settings.DATABASES
    assert settings.DATABASE_ROUTERS == []
    assert "doorbraak.core.db_router.ReplicaReadsMiddleware" not in settings.MIDDLEWARE


def test_the_variable_switches_it_on():
    env = {
        **os.environ,
        "DOORBRAAK_ENV": "test",
        "DATABASE_REPLICA_URL": "postgres://doorbraak_app@replica.example:5432/doorbraak",
    }
    code = (
        "import json, django; from django.conf import settings; django.setup(); print(json.dumps({"
        "'host': settings.DATABASES['replica']['HOST'], 'routers': settings.DATABASE_ROUTERS, "
        "'last': settings.MIDDLEWARE[-1]}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "PYTHONPATH": "src", "DJANGO_SETTINGS_MODULE": "doorbraak.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {
        "host": "replica.example",
        "routers": ["doorbraak.core.db_router.LearningReplicaRouter"],
        "last": "doorbraak.core.db_router.ReplicaReadsMiddleware",
    }


@override_settings(DATABASES=WITH_REPLICA)
@pytest.mark.parametrize("model", [CaseFact, Rollup])
def test_learning_page_reads_of_facts_and_rollups_go_to_the_replica(model):
    assert _route_during("GET", model) == "replica"
    assert _route_during("HEAD", model) == "replica"


@override_settings(DATABASES=WITH_REPLICA)
def test_everything_else_stays_on_the_primary():
    router = LearningReplicaRouter()
    assert _route_during("POST", CaseFact) == "default"  # a form post reads what it may just have written
    assert _route_during("GET", Story) == "default"  # stories, themes, proposals: read-your-writes
    assert _route_during("GET", FactRefresh) == "default"  # the refresh's progress must be current
    assert router.db_for_read(CaseFact) == "default"  # outside a web request: the refresh, workers
    assert router.db_for_write(CaseFact) == "default"
    assert router.allow_migrate("replica", "learning") is False


@pytest.mark.django_db
@override_settings(DATABASES=WITH_REPLICA)
def test_reads_inside_a_transaction_stay_on_the_primary():
    seen = {}

    def view(request):
        with transaction.atomic():
            seen["db"] = LearningReplicaRouter().db_for_read(CaseFact)

    ReplicaReadsMiddleware(view)(RequestFactory().get("/leren/"))
    assert seen["db"] == "default"
