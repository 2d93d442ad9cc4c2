"""The policy officer's "Cijfers nu bijwerken": the request only enqueues (one pending refresh per
municipality), the dashboard shows it is busy, a worker run changes the figures and the time."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from doorbraak.core.models import AccessEvent, Municipality
from doorbraak.core.tasks import run_pending_tasks
from doorbraak.learning import facts, tasks
from doorbraak.learning.models import CaseFact, FactRefresh
from tests.cases.factories import World, login
from tests.learning.test_dashboard import bare_world, make_case

pytestmark = pytest.mark.django_db

REFRESH_PATH = "doorbraak.learning.tasks.refresh_learning_facts"


def test_the_button_enqueues_and_returns_without_computing(client):
    w = bare_world()
    for _ in range(12):
        make_case(w, days=5)
    login(client, w.policy)
    response = client.post(reverse("learning:refresh"), follow=True)
    assert response.status_code == 200
    assert "staat in de wachtrij" in response.content.decode()
    assert not CaseFact.objects.filter(municipality=w.municipality).exists()  # nothing computed in the request
    (row,) = DBTaskResult.objects.filter(task_path=REFRESH_PATH)
    assert row.status == "READY" and row.args_kwargs["args"] == [w.municipality.pk]
    page = client.get(reverse("learning:home")).content.decode()
    assert "Bijwerken is bezig" in page and "De cijfers zijn nog niet berekend." in page


def test_two_clicks_make_one_task_and_the_second_says_it_is_already_queued(client):
    w = bare_world()
    login(client, w.policy)
    client.post(reverse("learning:refresh"))
    second = client.post(reverse("learning:refresh"), follow=True)
    assert "staat al in de wachtrij" in second.content.decode()
    assert DBTaskResult.objects.filter(task_path=REFRESH_PATH).count() == 1


def test_a_running_refresh_also_counts_as_pending(client):
    w = bare_world()
    login(client, w.policy)
    client.post(reverse("learning:refresh"))
    DBTaskResult.objects.filter(task_path=REFRESH_PATH).update(status="RUNNING")
    assert "Bijwerken is bezig" in client.get(reverse("learning:home")).content.decode()
    assert "staat al in de wachtrij" in client.post(reverse("learning:refresh"), follow=True).content.decode()
    assert DBTaskResult.objects.filter(task_path=REFRESH_PATH).count() == 1


def test_each_municipality_has_its_own_pending_refresh(client):
    a, b = bare_world(), bare_world()
    assert tasks.request_refresh(a.policy).created
    assert tasks.request_refresh(b.policy).created
    assert not tasks.request_refresh(a.policy).created
    assert DBTaskResult.objects.filter(task_path=REFRESH_PATH).count() == 2


def test_the_worker_computes_the_figures_and_the_page_shows_the_new_time(client):
    w = bare_world()
    for _ in range(12):
        make_case(w, days=5)
    facts.refresh_facts(w.municipality)
    first = FactRefresh.objects.filter(municipality=w.municipality).first()
    for _ in range(3):
        make_case(w, days=5)
    login(client, w.policy)
    client.post(reverse("learning:refresh"))
    assert run_pending_tasks() == 1
    row = DBTaskResult.objects.get(task_path=REFRESH_PATH)
    assert row.status == "SUCCESSFUL" and row.return_value == 15
    latest = FactRefresh.objects.filter(municipality=w.municipality).first()
    assert latest.finished_at > first.finished_at and latest.cases == 15
    page = client.get(reverse("learning:home")).content.decode()
    assert "Bijwerken is bezig" not in page and "Laatst bijgewerkt op" in page
    assert CaseFact.objects.filter(municipality=w.municipality).count() == 15
    # A new click after completion enqueues again.
    assert tasks.request_refresh(w.policy).created


def test_a_failed_refresh_is_shown_to_the_policy_officer(client, monkeypatch):
    w = bare_world()

    def broken(municipality):
        raise RuntimeError("database went away")

    monkeypatch.setattr(facts, "refresh_facts", broken)
    login(client, w.policy)
    client.post(reverse("learning:refresh"))
    run_pending_tasks()
    # The failed attempt is kept; the retry waits for its backoff (so the page says it is still busy).
    assert DBTaskResult.objects.filter(task_path=REFRESH_PATH, status="FAILED").count() == 1
    assert DBTaskResult.objects.filter(task_path=REFRESH_PATH, status="READY").count() == 1
    DBTaskResult.objects.filter(task_path=REFRESH_PATH, status="READY").delete()  # retries given up
    assert "Het laatste bijwerken is mislukt" in client.get(reverse("learning:home")).content.decode()


def test_only_the_policy_officer_may_ask_and_a_refusal_is_logged(client):
    w = World()
    login(client, w.lead)
    response = client.post(reverse("learning:refresh"))
    assert response.status_code in (403, 404)
    assert not DBTaskResult.objects.filter(task_path=REFRESH_PATH).exists()
    assert AccessEvent.objects.filter(actor_id=w.lead.pk, outcome=AccessEvent.Outcome.DENIED).exists()


def test_the_nightly_job_enqueues_one_refresh_per_municipality_once(settings):
    settings.LEARNING_FULL_REFRESH_WEEKDAY = (timezone.localdate().weekday() + 1) % 7  # not tonight
    a, b = bare_world(), bare_world()
    tasks.refresh_all_learning_facts.enqueue()
    run_pending_tasks(max_tasks=1)  # the fan-out task only
    rows = DBTaskResult.objects.filter(task_path=REFRESH_PATH)
    ids = [r.args_kwargs["args"][0] for r in rows]
    assert len(ids) == len(set(ids)) == Municipality.objects.count()
    assert {a.municipality.pk, b.municipality.pk} <= set(ids)
    count = rows.count()
    tasks.refresh_all_learning_facts.call()  # again while they wait: nothing new
    assert DBTaskResult.objects.filter(task_path=REFRESH_PATH).count() == count
    run_pending_tasks()
    assert FactRefresh.objects.filter(municipality=a.municipality).exists()
    assert FactRefresh.objects.filter(municipality=b.municipality).exists()


def test_once_a_week_the_nightly_job_rebuilds_whole_and_on_other_nights_only_the_changes(settings):
    w = bare_world()
    for _ in range(12):
        make_case(w, days=5)
    facts.refresh_facts(w.municipality)  # an earlier run to build on
    today = timezone.localdate().weekday()

    settings.LEARNING_FULL_REFRESH_WEEKDAY = (today + 1) % 7
    tasks.refresh_all_learning_facts.call()  # one refresh per municipality (the world has more than one)
    rows = DBTaskResult.objects.filter(task_path=REFRESH_PATH)
    assert [w.municipality.pk] in [r.args_kwargs["args"] for r in rows]
    run_pending_tasks()
    mine = FactRefresh.objects.filter(municipality=w.municipality).order_by("-id")
    assert mine.first().kind == FactRefresh.Kind.INCREMENTAL

    settings.LEARNING_FULL_REFRESH_WEEKDAY = today
    tasks.refresh_all_learning_facts.call()
    rows = DBTaskResult.objects.filter(task_path=REFRESH_PATH, status="READY")
    assert [w.municipality.pk, True] in [r.args_kwargs["args"] for r in rows]
    run_pending_tasks()
    assert mine.first().kind == FactRefresh.Kind.FULL

    settings.LEARNING_FULL_REFRESH_WEEKDAY = None  # never
    assert not tasks.full_refresh_today()
