from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccessEvent, Municipality, Organisation, Team, User


class OwnMunicipalityAdminMixin:
    """Non-superuser administrators manage their own municipality only (tenant rows are already scoped
    by TenantScopeMiddleware; this limits the unscoped models and the choices in forms)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality" and not request.user.is_superuser:
            kwargs["queryset"] = Municipality.objects.filter(pk=request.user.municipality_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and hasattr(obj, "municipality_id") and not obj.municipality_id:
            obj.municipality_id = request.user.municipality_id
        super().save_model(request, obj, form, change)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(pk=request.user.municipality_id)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Team)
class TeamAdmin(OwnMunicipalityAdminMixin, admin.ModelAdmin):
    list_display = ["name", "municipality"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(OwnMunicipalityAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(OwnMunicipalityAdminMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "municipality", "team", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Doorbraak"), {"fields": ("municipality", "team", "organisation", "role", "is_demo")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Doorbraak"), {"fields": ("first_name", "last_name", "municipality", "team", "organisation", "role")}),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(municipality_id=request.user.municipality_id)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        hidden = {"is_superuser", "user_permissions", "groups"}
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in hidden)})
            for name, opts in fieldsets
        ]


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only view of the access log."""

    list_display = ["seq", "occurred_at", "event", "action", "outcome", "actor_username", "object_type", "object_id"]
    list_filter = ["action", "outcome", "event_type"]
    search_fields = ["actor_username", "object_id", "subject_pseudonym"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(municipality_code=getattr(request.user.municipality, "code", "-"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
