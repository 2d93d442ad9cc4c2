"""Learning: barrier themes, policy proposals and anonymised stories (issue 5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doorbraak.cases.models import Case
from doorbraak.core.models import TenantModel
from doorbraak.platforms.models import BlockerTag


class Theme(TenantModel):
    """A system barrier theme of a municipality ("Regels die botsen")."""

    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("beschrijving"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="theme_name_unique")]

    def __str__(self):
        return self.name


class ThemeBlocker(TenantModel):
    """Maps one platform blocker code onto a theme; a code belongs to at most one theme per municipality."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="blockers")
    code = models.CharField(_("blokkade"), max_length=20, choices=BlockerTag.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="theme_blocker_code_once"),
            models.CheckConstraint(condition=Q(code__in=BlockerTag.values), name="theme_blocker_code_valid"),
        ]

    def __str__(self):
        return f"{self.get_code_display()} → {self.theme}"


class PolicyProposal(TenantModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Voorgesteld")
        ADOPTED = "adopted", _("Overgenomen")
        REJECTED = "rejected", _("Afgewezen")

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="proposals")
    text = models.TextField(_("voorstel"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["proposed", "adopted", "rejected"]),
                                   name="policy_proposal_status_valid"),
        ]

    def __str__(self):
        return self.text[:60]


class Story(TenantModel):
    """An anonymised story of a case (draft from learning.anonymise); a person approves it before publishing."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        APPROVED = "approved", _("Goedgekeurd")
        PUBLISHED = "published", _("Gepubliceerd")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stories")
    text = models.TextField(_("verhaal"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "approved", "published"]),
                                   name="story_status_valid"),
            models.CheckConstraint(condition=Q(status="draft") | Q(approved_by__isnull=False),
                                   name="story_approved_has_approver"),
        ]

    def __str__(self):
        return f"Verhaal {self.pk} ({self.get_status_display()})"
