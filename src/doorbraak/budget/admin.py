from django.contrib import admin

from doorbraak.core.admin import OwnMunicipalityAdminMixin

from .models import MandateRule


@admin.register(MandateRule)
class MandateRuleAdmin(OwnMunicipalityAdminMixin, admin.ModelAdmin):
    """Per municipality: how much each role may approve alone (amount in cents)."""

    list_display = ("role", "max_amount_cents", "municipality")
    list_filter = ("role",)
