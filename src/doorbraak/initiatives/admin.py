from django.contrib import admin

from . import services
from .models import Comment, Initiative, Research, ResearchReport, Submission


class ResearchInline(admin.StackedInline):
    model = Research
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "region", "group", "status", "is_published"]
    list_filter = ["is_published", "group", "status", "region"]
    search_fields = ["name", "place"]
    inlines = [ResearchInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.reindex(form.instance)


@admin.register(ResearchReport)
class ResearchReportAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "published_on", "research"]

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("pdf")
        if upload and hasattr(upload, "content_type"):
            services.validate_pdf(upload)
        super().save_model(request, obj, form, change)


admin.site.register(Submission)
admin.site.register(Comment)
