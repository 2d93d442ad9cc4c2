"""The admin site (/beheer/) with separation of duties (issue 10, part 2).

- Every model admin is audited (AuditedAdminMixin; configure_admin() wraps the admins of other apps and
  libraries too): list and detail reads, and every add/change/delete, are access-log events; an object of
  another municipality is a 404 and a denied event with reason "tenancy".
- Municipal administrators see their own municipality only. The rules for users, devices and role
  requests live in services_admin.py; these classes only call it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from . import selectors_admin, services_admin
from .audit import log_access
from .models import AccessEvent, Municipality, Organisation, RoleChangeRequest, Team, User
from .services_admin import AdminRefused, is_administrator

# Short names in the event codes (admin.<name>.<verb>); other models use their model name.
AUDIT_NAMES = {
    "core.user": "user",
    "otp_totp.totpdevice": "device",
    "core.accessevent": "access_log",
    "core.rolechangerequest": "role_change",
}


class AuditedAdminMixin:
    """Admin reads and writes become access events (NEN 7513); unreachable objects are a 404."""

    audited = True

    def audit_name(self) -> str:
        return AUDIT_NAMES.get(self.model._meta.label_lower, self.model._meta.model_name)

    def audit(self, request, verb, *, action, obj=None, object_id=None, outcome=AccessEvent.Outcome.SUCCESS, reason=""):
        log_access(
            request,
            f"admin.{self.audit_name()}.{verb}",
            action=action,
            obj=obj,
            object_type=None if obj is not None else self.model._meta.label_lower,
            object_id=None if object_id is None else str(object_id)[:64],
            purpose=services_admin.PURPOSE,
            outcome=outcome,
            reason=reason,
        )

    def _exists_elsewhere(self, object_id, from_field=None) -> bool:
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            value = field.to_python(object_id)
            with scopes_disabled():
                return self.model._default_manager.filter(**{field.name: value}).exists()
        except (ValidationError, ValueError, TypeError, OverflowError):
            return False

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            if self._exists_elsewhere(object_id, from_field):
                self.audit(
                    request,
                    "read",
                    action=AccessEvent.Action.READ,
                    object_id=object_id,
                    outcome=AccessEvent.Outcome.DENIED,
                    reason="tenancy",
                )
            raise Http404(gettext("Dit object bestaat niet of u mag het niet zien."))
        return obj

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            self.audit(request, "list", action=AccessEvent.Action.READ)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            self.audit(request, "read", action=AccessEvent.Action.READ, object_id=unquote(object_id))
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            self.audit(request, "history", action=AccessEvent.Action.READ, object_id=unquote(object_id))
        return response

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self.audit(request, "create", action=AccessEvent.Action.CREATE, obj=obj)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self.audit(request, "update", action=AccessEvent.Action.UPDATE, obj=obj)
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            self.audit(request, "delete", action=AccessEvent.Action.DELETE, obj=obj)
        return entries


@admin.display(description=_("gebruikersnaam"), ordering="user__username")
def username_of_user(obj):
    return obj.user.get_username()


class OwnMunicipalityAdminMixin(AuditedAdminMixin):
    """Tenant-owned models: a non-superuser administrator manages their own municipality only (rows are
    already scoped by TenantScopeMiddleware; this filters again and limits the choices in forms)."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if not is_administrator(request.user):
            return qs.none()
        return qs.filter(municipality_id=request.user.municipality_id)

    def has_module_permission(self, request):
        return is_administrator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return is_administrator(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality" and not request.user.is_superuser:
            kwargs["queryset"] = Municipality.objects.filter(pk=request.user.municipality_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and hasattr(obj, "municipality_id"):
            obj.municipality_id = request.user.municipality_id
        super().save_model(request, obj, form, change)


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A municipal administrator sees their own municipality; only a superuser adds or changes one (the code
    is what the access log is filtered by)."""

    list_display = ["name", "code"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(pk=request.user.municipality_id)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
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


# --- users ------------------------------------------------------------------------------------------


class UserAddForm(forms.ModelForm):
    """A new user: no password field. The account gets an unusable password; the user sets one through a
    reset or enrolment link. A role other than professional, or a team, becomes a four-eyes request."""

    admin_actor = None  # set per request by UserAdmin.get_form

    class Meta:
        model = User
        # The admin's get_form adds the other fields per request (team and organisation are tenant rows and
        # need the request's scope for their choices).
        fields = ["username", "first_name", "last_name", "email"]

    def clean(self):
        cleaned = super().clean()
        actor = self.admin_actor
        municipality = cleaned.get("municipality") if "municipality" in self.fields else actor.municipality
        if "municipality" in self.fields and municipality is None:
            self.add_error("municipality", gettext("Kies de gemeente van deze gebruiker."))
            return cleaned
        municipality_id = municipality.pk if municipality else None
        for name in ("team", "organisation"):
            value = cleaned.get(name)
            if value is not None and value.municipality_id != municipality_id:
                self.add_error(name, gettext("Dit hoort niet bij de gemeente van deze gebruiker."))
        return cleaned


class UserChangeAdminForm(forms.ModelForm):
    admin_actor = None

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]  # the rest per request, see UserAddForm

    def clean(self):
        cleaned = super().clean()
        user = self.instance  # still the stored values: the form copies its data onto it after clean()
        if {"role", "team"} & set(self.changed_data):
            role = cleaned.get("role", user.role) if "role" in self.fields else user.role
            team = cleaned.get("team", user.team) if "team" in self.fields else user.team
            problem = services_admin.role_change_problem(self.admin_actor, user, role=role, team=team)
            if problem:
                raise ValidationError(problem)
        organisation = cleaned.get("organisation")
        municipality = (
            cleaned.get("municipality", user.municipality) if "municipality" in self.fields else user.municipality
        )
        if organisation is not None and organisation.municipality_id != getattr(municipality, "pk", None):
            self.add_error("organisation", gettext("Dit hoort niet bij de gemeente van deze gebruiker."))
        return cleaned


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserAddForm
    add_form_template = None  # the standard form; Django's user add form asks for a password
    change_password_form = None
    list_display = ["username", "first_name", "last_name", "role", "municipality", "team", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    # Actions on selected users; each calls a service that checks the actor (never the page alone).
    actions = ["send_password_reset_link", "send_enrolment_link", "revoke_second_factor"]

    def get_queryset(self, request):
        return selectors_admin.users_for_admin(request.user, super().get_queryset(request))

    def get_fieldsets(self, request, obj=None):
        superuser = request.user.is_superuser
        if obj is None:
            return [
                (None, {"fields": ("username", "first_name", "last_name", "email")}),
                (
                    _("Gemeente, team en rol"),
                    {
                        "fields": (("municipality",) if superuser else ()) + ("organisation", "team", "role"),
                        "description": _(
                            "Een andere rol dan professional of een team wacht op goedkeuring door een "
                            "tweede beheerder. De gebruiker stelt zelf een wachtwoord in via een "
                            "herstel- of koppellink."
                        ),
                    },
                ),
            ]
        rights = ("is_active", "is_staff", "is_demo") + (
            ("is_superuser", "groups", "user_permissions") if superuser else ()
        )
        return [
            (None, {"fields": ("username", "first_name", "last_name", "email")}),
            (
                _("Gemeente, team en rol"),
                {
                    "fields": ("municipality", "organisation", "team", "role", "pending_role_change"),
                    "description": _("Een wijziging van rol of team wacht op goedkeuring door een tweede beheerder."),
                },
            ),
            (_("Rechten"), {"fields": rights}),
            (_("Belangrijke datums"), {"fields": ("last_login", "date_joined")}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        readonly = {"last_login", "date_joined", "pending_role_change"}
        if obj.pk == request.user.pk:
            readonly |= services_admin.OWN_RECORD_FIELDS - {"password"}
        if not request.user.is_superuser:
            readonly |= {"municipality", "is_staff", "is_demo", "email"}
        # Keep the fieldset order; fields not shown are harmless here.
        order = [f for _name, opts in self.get_fieldsets(request, obj) for f in opts["fields"]]
        return [f for f in order if f in readonly]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"admin_actor": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality" and not request.user.is_superuser:
            kwargs["queryset"] = Municipality.objects.filter(pk=request.user.municipality_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Aanvraag die wacht op goedkeuring"))
    def pending_role_change(self, obj):
        change = selectors_admin.pending_role_change(obj) if obj and obj.pk else None
        if change is None:
            return "–"
        return gettext("%(old)s → %(new)s, team %(team)s (aangevraagd door %(by)s)") % {
            "old": change.get_old_role_display(),
            "new": change.get_new_role_display(),
            "team": change.new_team or "–",
            "by": change.requested_by,
        }

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return False
        return is_administrator(request.user) and super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return is_administrator(request.user) and super().has_add_permission(request)

    def delete_queryset(self, request, queryset):
        # The changelist's bulk delete asks has_delete_permission without an object: never delete oneself.
        super().delete_queryset(request, queryset.exclude(pk=request.user.pk))

    def log_deletions(self, request, queryset):
        return super().log_deletions(request, [user for user in queryset if user.pk != request.user.pk])

    def save_model(self, request, obj, form, change):
        if change:
            pending = services_admin.update_user(request.user, obj, request=request)
        else:
            pending = services_admin.create_user(request.user, obj, request=request)
        if pending is not None:
            messages.info(
                request,
                gettext("De wijziging van rol of team van %(user)s wacht op goedkeuring door een tweede beheerder.")
                % {"user": obj},
            )

    def save_related(self, request, form, formsets, change):
        if {"groups", "user_permissions"} & set(form.changed_data):
            services_admin.check_group_change(request.user, form.instance, request=request)
        super().save_related(request, form, formsets, change)

    def user_change_password(self, request, id, form_url=""):
        """Nobody sets another user's password in the admin (the user does, via a reset link)."""
        user = self.get_object(request, unquote(id))
        self.audit(
            request,
            "password_change",
            action=AccessEvent.Action.UPDATE,
            obj=user,
            outcome=AccessEvent.Outcome.DENIED,
            reason="password_by_admin",
        )
        raise PermissionDenied(gettext("Een beheerder stelt geen wachtwoord in; stuur de gebruiker een herstellink."))

    def _each_user(self, request, queryset, call, done_text):
        """Run `call(actor, user)` for each selected user; refusals become Dutch messages, never a 500."""
        done = 0
        for user in queryset:
            try:
                call(request.user, user, request=request)
                done += 1
            except PermissionDenied:
                self.message_user(
                    request,
                    gettext("%(user)s: dit mag u niet voor deze gebruiker doen.") % {"user": user},
                    messages.ERROR,
                )
            except ValueError as error:
                self.message_user(request, f"{user}: {error}", messages.ERROR)
        if done:
            self.message_user(request, done_text % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Herstellink voor wachtwoord sturen"), permissions=["change"])
    def send_password_reset_link(self, request, queryset):
        from .services_auth import send_password_reset_link

        self._each_user(
            request,
            queryset,
            send_password_reset_link,
            gettext("Een herstellink is per e-mail verstuurd aan %(count)d gebruiker(s)."),
        )

    @admin.action(description=_("Koppellink voor authenticator sturen"), permissions=["change"])
    def send_enrolment_link(self, request, queryset):
        from .services_auth import issue_enrolment_link

        def issue(actor, user, *, request):
            url = issue_enrolment_link(actor, user, request=request)
            if not user.email:  # nobody else can deliver it: the administrator hands it over in person
                self.message_user(
                    request,
                    gettext("%(user)s heeft geen e-mailadres; geef deze link persoonlijk door: %(url)s")
                    % {"user": user, "url": url},
                    messages.WARNING,
                )

        self._each_user(
            request,
            queryset,
            issue,
            gettext(
                "Een koppellink (72 uur geldig) is aangemaakt voor %(count)d gebruiker(s); "
                "wie een e-mailadres heeft, kreeg hem per e-mail."
            ),
        )

    @admin.action(description=_("Tweede inlogstap intrekken"), permissions=["change"])
    def revoke_second_factor(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                services_admin.revoke_second_factor(request.user, user, request=request)
                done += 1
            except AdminRefused as refused:
                self.message_user(request, f"{user}: {refused.message}", messages.ERROR)
        if done:
            self.message_user(
                request,
                gettext(
                    "De tweede inlogstap is ingetrokken voor %(count)d gebruiker(s). Zij zijn hierover geïnformeerd."
                )
                % {"count": done},
                messages.SUCCESS,
            )


# --- second-factor devices: list and revoke only -------------------------------------------------------


class AdministratorsReadOnlyMixin:
    """Visible to administrators only (role admin or superuser), and never added or changed in the admin."""

    def has_module_permission(self, request):
        return is_administrator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeviceAdmin(AdministratorsReadOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Replaces django-otp's TOTPDevice admin: no key, no QR/config view, no add, no edit; list and revoke
    (delete) within the own municipality only."""

    list_display = [username_of_user, "user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors_admin.devices_for_admin(request.user, super().get_queryset(request))

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services_admin.revoke_device(request.user, obj, request=request)

    def delete_queryset(self, request, queryset):
        for device in queryset:
            services_admin.revoke_device(request.user, device, request=request)


# --- four eyes: role and team requests ---------------------------------------------------------------


@admin.register(RoleChangeRequest)
class RoleChangeRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Pending role and team changes; a second administrator approves or rejects (never edits) them."""

    list_display = [
        username_of_user,
        "user",
        "old_role",
        "new_role",
        "old_team",
        "new_team",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
    ]
    list_filter = ["status", "new_role"]
    fields = [
        "user",
        "old_role",
        "new_role",
        "old_team",
        "new_team",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields
    actions = ["approve_selected", "reject_selected"]
    change_form_template = "admin/core/rolechangerequest/change_form.html"

    def get_queryset(self, request):
        return selectors_admin.role_changes_for_admin(request.user, super().get_queryset(request))

    def has_module_permission(self, request):
        return is_administrator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False  # requests come from a change of role or team in the user admin

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, change, decide) -> bool:
        try:
            decide(request.user, change, request=request)
            return True
        except AdminRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and ("_approve" in request.POST or "_reject" in request.POST):
            change = self.get_object(request, unquote(object_id))
            if not self.has_change_permission(request, change):
                raise PermissionDenied
            approve = "_approve" in request.POST
            decide = services_admin.approve_role_change if approve else services_admin.reject_role_change
            if self._decide(request, change, decide):
                self.message_user(
                    request,
                    gettext("De aanvraag is goedgekeurd; de wijziging is doorgevoerd.")
                    if approve
                    else gettext("De aanvraag is afgewezen."),
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(reverse("admin:core_rolechangerequest_change", args=[change.pk]))
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Geselecteerde aanvragen goedkeuren"), permissions=["change"])
    def approve_selected(self, request, queryset):
        done = sum(self._decide(request, change, services_admin.approve_role_change) for change in queryset)
        if done:
            self.message_user(
                request, gettext("%(count)d aanvraag/aanvragen goedgekeurd.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("Geselecteerde aanvragen afwijzen"), permissions=["change"])
    def reject_selected(self, request, queryset):
        done = sum(self._decide(request, change, services_admin.reject_role_change) for change in queryset)
        if done:
            self.message_user(
                request, gettext("%(count)d aanvraag/aanvragen afgewezen.") % {"count": done}, messages.SUCCESS
            )


# --- the access log ----------------------------------------------------------------------------------


class CappedCountPaginator(Paginator):
    """Counts at most CAP rows (`SELECT count(*) FROM (... LIMIT CAP)`), so a page of the access log does not count
    tens of millions of rows (issue 15 point 4). Beyond the cap the page numbers stop at CAP / per_page; filters and
    the search narrow the list below it."""

    CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list[: self.CAP].count()


@admin.register(AccessEvent)
class AccessEventAdmin(AdministratorsReadOnlyMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Read-only view of the access log; reading it is itself logged. Newest first, read from the
    (municipality_code, seq) index; the total is counted up to CappedCountPaginator.CAP and never in full."""

    ordering = ["-seq"]
    paginator = CappedCountPaginator
    show_full_result_count = False

    list_display = [
        "seq",
        "occurred_at",
        "event",
        "action",
        "outcome",
        "reason",
        "actor_username",
        "object_type",
        "object_id",
    ]
    list_filter = ["action", "outcome", "event_type"]
    search_fields = ["actor_username", "object_id", "subject_pseudonym"]  # shows the box; matched exactly below
    search_help_text = _(
        "Zoek precies op een gebruikersnaam, een object-id (cijfers) of het pseudoniem van een persoon "
        "(32 tekens). Een deel van een naam vindt niets."
    )

    def get_queryset(self, request):
        return selectors_admin.access_events_for_admin(request.user, super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        return selectors_admin.search_access_events(queryset, search_term), False

    def has_delete_permission(self, request, obj=None):
        return False


def install_device_admin(site) -> None:
    """Swap django-otp's TOTPDevice admin (it shows keys and QR codes of every user) for DeviceAdmin."""
    if site.is_registered(TOTPDevice):
        if isinstance(site._registry[TOTPDevice], DeviceAdmin):
            return
        site.unregister(TOTPDevice)
    site.register(TOTPDevice, DeviceAdmin)


from . import admin_tasks  # noqa: E402, F401  (task results and scheduled jobs; docs/tasks.md)
