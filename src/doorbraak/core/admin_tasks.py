"""Admin of background work (docs/tasks.md): task results with status, attempt and error, and the scheduler's
jobs. Read-only, and for superusers only: results of all municipalities share one table, and a traceback may
show anything the task touched. AuditedAdminMixin makes every list and read an access-log event."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .admin import AUDIT_NAMES, AuditedAdminMixin
from .models_tasks import ScheduledJob, TaskResult

AUDIT_NAMES.update({"core.taskresult": "task_result", "core.scheduledjob": "scheduled_job"})


class SuperuserOnlyMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


if admin.site.is_registered(DBTaskResult):  # the library's own admin: replaced by the proxy's below
    admin.site.unregister(DBTaskResult)


@admin.register(TaskResult)
class TaskResultAdmin(AuditedAdminMixin, SuperuserOnlyMixin, DBTaskResultAdmin):
    list_display = ("task_name", "status", "attempt", "error", "enqueued_at", "started_at", "finished_at", "queue_name")
    list_filter = ("status", "queue_name")
    search_fields = ("task_path", "exception_class_path")

    @admin.display(description=_("poging"))
    def attempt(self, obj):
        return (obj.args_kwargs or {}).get("kwargs", {}).get("attempt", 1)

    @admin.display(description=_("fout"))
    def error(self, obj):
        return obj.exception_class_path.rsplit(".", 1)[-1] if obj.exception_class_path else ""


@admin.register(ScheduledJob)
class ScheduledJobAdmin(AuditedAdminMixin, SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "last_slot", "last_enqueued_at", "last_result_id")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
