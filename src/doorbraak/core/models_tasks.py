"""Bookkeeping of background work (core.tasks, docs/tasks.md). The task results themselves live in
django-tasks-db's DBTaskResult."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class ScheduledJob(models.Model):
    """One row per job of doorbraak/schedule.py: the last schedule slot it was enqueued for. The scheduler
    moves `last_slot` forward with one conditional UPDATE, so several schedulers never enqueue a slot twice."""

    name = models.CharField(_("taak"), max_length=80, unique=True)
    last_slot = models.DateTimeField(_("laatste moment"), null=True, blank=True)
    last_enqueued_at = models.DateTimeField(_("laatst in de wachtrij gezet"), null=True, blank=True)
    last_result_id = models.CharField(_("laatste taak-id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("geplande taak")
        verbose_name_plural = _("geplande taken")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TaskLock(models.Model):
    """A row to lock while checking for a pending task with the same key (core.tasks.enqueue_once): the check
    and the enqueue are one critical section on PostgreSQL (SELECT ... FOR UPDATE) and on SQLite (IMMEDIATE
    transactions serialise writers)."""

    key = models.CharField(max_length=120, unique=True)
    result_id = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return self.key


class TaskResult(DBTaskResult):
    """django-tasks-db's task result, under a Dutch name for the admin (Beheer > Taakresultaten)."""

    class Meta:
        proxy = True
        verbose_name = _("taakresultaat")
        verbose_name_plural = _("taakresultaten")
        ordering = ["-enqueued_at"]
