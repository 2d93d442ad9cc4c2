from django import forms
from django.contrib import admin

from doorbraak.core.errors import RuleError

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


class ResearchReportForm(forms.ModelForm):
    class Meta:
        model = ResearchReport
        fields = ["research", "kind", "title", "published_on", "summary", "pdf"]

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            try:
                services.validate_pdf(upload)
            except RuleError as error:
                raise forms.ValidationError(error.message) from error
        return upload


@admin.register(ResearchReport)
class ResearchReportAdmin(admin.ModelAdmin):
    form = ResearchReportForm
    list_display = ["title", "kind", "published_on", "research"]


admin.site.register(Submission)
admin.site.register(Comment)
