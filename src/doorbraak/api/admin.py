"""The administrator's screen for API clients (/beheer/api/apiclient/, issue 17): a municipal administrator creates a
client of their own municipality (client id, scopes, the users it may act for), sees its secret once, rotates the
secret and revokes the client. Every list, read and write is an access event (AuditedAdminMixin); the rules are in
api/services.py. A client is never deleted (the access log names its client id): it is revoked."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from doorbraak.core.admin import AuditedAdminMixin
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent, Municipality

from . import services
from .models import SCOPES, ApiClient

CLIENT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


class ApiClientForm(forms.ModelForm):
    client_id = forms.CharField(
        label=_("client-id"),
        max_length=64,
        required=False,
        help_text=_("Kleine letters, cijfers en . _ -; leeg laten: Doorbraak kiest er een."),
    )
    scope_list = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=[(code, f"{code}: {text}") for code, text in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Wat de client mag; bovenop wat de handelende gebruiker mag."),
    )

    class Meta:
        model = ApiClient
        fields = ["name", "municipality", "acting_users"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields  # a revoked client is shown read-only: then the form has no fields
        if self.instance.pk:
            if "scope_list" in fields:
                fields["scope_list"].initial = sorted(self.instance.scope_set)
            for name in ("client_id", "municipality"):
                if name in fields:
                    fields[name].disabled = True
            if "client_id" in fields:
                fields["client_id"].initial = self.instance.client_id
        municipality_id = self.instance.municipality_id if self.instance.pk else None
        if actor is not None and not actor.is_superuser:
            if "municipality" in fields:
                fields["municipality"].queryset = Municipality.objects.filter(pk=actor.municipality_id)
                fields["municipality"].initial = actor.municipality_id
            municipality_id = actor.municipality_id
        if "acting_users" in fields:
            users = get_user_model().objects.filter(is_active=True)
            if municipality_id is not None:
                users = users.filter(municipality_id=municipality_id)
            fields["acting_users"].queryset = users.order_by("username")

    def clean_client_id(self):
        value = (self.cleaned_data.get("client_id") or "").strip()
        if self.instance.pk:
            return self.instance.client_id
        if value and not CLIENT_ID.match(value):
            raise forms.ValidationError(
                _("Gebruik 3 tot 64 kleine letters, cijfers en . _ - (begin met een letter of cijfer).")
            )
        if value and ApiClient.objects.filter(client_id=value).exists():
            raise forms.ValidationError(_("Deze client-id bestaat al; kies een andere."))
        return value


@admin.register(ApiClient)
class ApiClientAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ApiClientForm
    list_display = ["name", "client_id", "scopes", "is_active", "created_at", "municipality"]
    list_filter = ["is_active"]
    search_fields = ["name", "client_id"]
    readonly_fields = ["is_active", "created_at"]
    filter_horizontal = []
    change_form_template = "admin/api/apiclient/change_form.html"
    actions = None

    def get_fields(self, request, obj=None):
        fields = ["name", "client_id", "municipality", "scope_list", "acting_users"]
        return fields + (["is_active", "created_at"] if obj else [])

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("municipality")
        if request.user.is_superuser:
            return qs
        if not services.may_manage(request.user):
            return qs.none()
        return qs.filter(municipality_id=request.user.municipality_id)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class Bound(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, actor=actor, **kw)

        return Bound

    # An administrator of a municipality, not a Django permission: the Beheerders group predates this app.
    def has_module_permission(self, request):
        return services.may_manage(request.user)

    def has_view_permission(self, request, obj=None):
        return services.may_manage(request.user, obj)

    def has_add_permission(self, request):
        return services.may_manage(request.user)

    def has_change_permission(self, request, obj=None):
        return services.may_manage(request.user, obj) and (obj is None or obj.is_active)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the access log names the client id

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                services.update_client(
                    request.user, obj, name=data["name"], scopes=data["scope_list"], acting_users=data["acting_users"]
                )
            else:
                municipality = data["municipality"] if request.user.is_superuser else request.user.municipality
                client, secret = services.create_client(
                    municipality,
                    name=data["name"],
                    scopes=data["scope_list"],
                    acting_users=data["acting_users"],
                    client_id=data["client_id"] or None,
                )
                obj.pk, obj.client_id, obj.municipality = client.pk, client.client_id, client.municipality
                obj._state.adding = False
                request._api_client_secret = secret
        except RuleError as error:  # the form offers only valid choices; a race is refused plainly
            raise PermissionDenied(str(error.message)) from error

    def save_related(self, request, form, formsets, change):
        return  # the service set the acting users

    def response_add(self, request, obj, post_url_continue=None):
        return self._secret_page(request, obj, request._api_client_secret, created=True)

    def _secret_page(self, request, client, secret, *, created):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "client": client,
            "secret": secret,
            "created": created,
            "title": gettext("Het geheim van %(name)s") % {"name": client.name},
        }
        response = TemplateResponse(request, "admin/api/apiclient/secret.html", context)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and ("_rotate" in request.POST or "_revoke" in request.POST):
            client = self.get_object(request, unquote(object_id))
            if not services.may_manage(request.user, client):
                raise PermissionDenied
            try:
                if "_rotate" in request.POST:
                    secret = services.rotate_secret(request.user, client)
                    self.audit(request, "secret_rotated", action=AccessEvent.Action.UPDATE, obj=client)
                    return self._secret_page(request, client, secret, created=False)
                services.revoke_client(request.user, client)
                self.audit(request, "revoked", action=AccessEvent.Action.UPDATE, obj=client)
                self.message_user(
                    request, gettext("De client is ingetrokken; zijn tokens werken niet meer."), messages.SUCCESS
                )
            except RuleError as error:
                self.message_user(request, str(error.message), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:api_apiclient_change", args=[client.pk]))
        return super().change_view(request, object_id, form_url, extra_context)
