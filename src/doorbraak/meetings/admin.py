"""Admin of programme meetings: the programme of a meeting is edited here (its talks, linked initiatives and
researches); everything else through the organiser's pages and services. Registrations are not in the admin."""

from django.contrib import admin

from .models import Meeting, ProgrammeItem


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 1
    fields = ("position", "starts_at", "title", "speaker", "initiative", "research")
    raw_id_fields = ("initiative", "research")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_at", "place", "capacity", "is_published")
    search_fields = ("title",)
    fields = ("title", "summary", "place", "online_link", "organiser_name", "report", "is_published")
    inlines = [ProgrammeItemInline]

    def has_add_permission(self, request):
        return False  # new meetings through the organiser's page (services.create_meeting)
