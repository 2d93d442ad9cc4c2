"""The periodic jobs as tasks: submitter-data purge, form-token purge, CPI check, access-log checkpoint; and
their management commands (run now, or --enqueue for a worker)."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from doorbraak.budget import tasks as budget_tasks
from doorbraak.core import form_tokens
from doorbraak.core import tasks as core_tasks
from doorbraak.core.audit import checkpoint_path
from doorbraak.core.models import FormToken, Role
from doorbraak.core.tasks import run_pending_tasks
from doorbraak.initiatives import services as initiative_services
from doorbraak.initiatives import tasks as initiative_tasks
from doorbraak.initiatives.models import Moderation
from tests.factories import UserFactory
from tests.initiatives.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_submitter_purge_runs_as_a_task_and_a_second_run_changes_nothing():
    comment = CommentFactory(submitter_name="Anna", submitter_email="anna@example.org")
    initiative_services.decide_comment(UserFactory(role=Role.MODERATOR), comment.pk, Moderation.APPROVED)
    type(comment).objects.filter(pk=comment.pk).update(decided_at=timezone.now() - datetime.timedelta(days=91))
    result = initiative_tasks.purge_submitter_data.enqueue()
    run_pending_tasks()
    assert DBTaskResult.objects.get(id=result.id).return_value == 1
    comment.refresh_from_db()
    assert (comment.submitter_name, comment.submitter_email) == ("", "")
    initiative_tasks.purge_submitter_data.enqueue()
    run_pending_tasks()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").order_by("-finished_at").first().return_value == 0


def test_purge_submitter_data_command_can_enqueue():
    call_command("purge_submitter_data", "--enqueue")
    assert DBTaskResult.objects.filter(task_path="doorbraak.initiatives.tasks.purge_submitter_data").exists()


def test_expired_form_tokens_are_purged_and_fresh_ones_kept():
    user = UserFactory()
    old, fresh = uuid.uuid4(), uuid.uuid4()
    FormToken.objects.create(token=old, user=user, used_at=timezone.now() - datetime.timedelta(days=3))
    FormToken.objects.create(token=fresh, user=user, used_at=timezone.now() - datetime.timedelta(hours=11))
    form_tokens.purge_form_tokens.enqueue()
    run_pending_tasks()
    assert list(FormToken.objects.values_list("token", flat=True)) == [fresh]
    call_command("purge_form_tokens")  # idempotent
    assert FormToken.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("purge_form_tokens", "--days", "0")
    call_command("purge_form_tokens", "--enqueue")
    assert DBTaskResult.objects.filter(
        task_path="doorbraak.core.form_tokens.purge_form_tokens", status="READY"
    ).exists()


def test_cpi_check_passes_for_a_covered_year_and_fails_visibly_for_a_missing_one():
    budget_tasks.cpi_indexation.enqueue(2026)
    budget_tasks.cpi_indexation.enqueue(2099)
    run_pending_tasks()
    ok = DBTaskResult.objects.get(status="SUCCESSFUL")
    assert ok.return_value == {"year": 2026, "index": 137.87}
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path.endswith("CpiSeriesOutdated") and "2099" in failed.traceback
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no retry: retrying cannot help


def test_checkpoint_task_appends_a_signed_checkpoint(settings, tmp_path):
    settings.ACCESS_LOG_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    path = checkpoint_path()
    before = 0
    core_tasks.checkpoint_access_log.enqueue()
    run_pending_tasks()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert path.read_text().count("\n") == before + 1
    call_command("verify_access_log")


def test_enqueue_job_lists_and_enqueues_by_name(capsys):
    call_command("enqueue_job")
    assert "refresh_learning_facts" in capsys.readouterr().out
    call_command("enqueue_job", "purge_form_tokens")
    assert DBTaskResult.objects.filter(task_path="doorbraak.core.form_tokens.purge_form_tokens").count() == 1
    with pytest.raises(CommandError):
        call_command("enqueue_job", "unknown")


def test_refresh_command_can_enqueue_once_per_municipality(capsys):
    from tests.learning.test_dashboard import bare_world

    w = bare_world()
    call_command("refresh_learning_facts", "--gemeente", w.municipality.code, "--enqueue")
    call_command("refresh_learning_facts", "--gemeente", w.municipality.code, "--enqueue")
    assert "stond al in de wachtrij" in capsys.readouterr().out
    assert DBTaskResult.objects.filter(task_path="doorbraak.learning.tasks.refresh_learning_facts").count() == 1
