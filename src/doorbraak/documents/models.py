"""Documents of a case (issue 16): the refusal letter, the decision, the quote, the signed agreement, the report.

A document belongs to one case and to one object of it (the case itself, a platform, the plan, a loan or a
reclaim: `owner_type` + `owner_id`); it is reached only through that object's own need-to-know gate
(documents.owners). The file itself is not in the database: it lives under PRIVATE_FILES_ROOT/documents/ under a
random name (`storage_name`), never under the web root. The kind decides how long it is kept (`retention_until`);
the nightly purge deletes expired documents, row and file.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.cases.models import Case
from doorbraak.core.models import TenantModel


class DocumentKind(models.TextChoices):
    REFUSAL_LETTER = "refusal_letter", _("Afwijzingsbrief")
    DECISION = "decision", _("Beschikking")
    QUOTE = "quote", _("Offerte")
    AGREEMENT = "agreement", _("Overeenkomst")
    REPORT = "report", _("Verslag")


# How long each kind is kept, in years after the upload (docs/apps/documents.md): decisions and agreements as long
# as the financial and legal files they support, a refusal letter and a quote only while they matter for the case.
RETENTION_YEARS = {
    DocumentKind.REFUSAL_LETTER: 2,
    DocumentKind.DECISION: 7,
    DocumentKind.QUOTE: 2,
    DocumentKind.AGREEMENT: 7,
    DocumentKind.REPORT: 5,
}


class OwnerType(models.TextChoices):
    CASE = "case", _("casus")
    PLATFORM = "platform", _("casusplatform")
    PLAN = "plan", _("maatwerkplan")
    LOAN = "loan", _("lening")
    RECLAIM = "reclaim", _("terugvordering")


class ScanStatus(models.TextChoices):
    CLEAN = "clean", _("Op virussen gescand: niets gevonden")
    NOT_SCANNED = "not_scanned", _("Niet op virussen gescand: er is geen virusscanner ingesteld")


def retention_date(kind: str, uploaded_on: datetime.date) -> datetime.date:
    years = RETENTION_YEARS[kind]
    try:
        return uploaded_on.replace(year=uploaded_on.year + years)
    except ValueError:  # 29 February
        return uploaded_on.replace(year=uploaded_on.year + years, day=28)


class Document(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    owner_type = models.CharField(_("hoort bij"), max_length=10, choices=OwnerType.choices)
    owner_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("soort document"), max_length=20, choices=DocumentKind.choices)
    file_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=64, unique=True, editable=False)  # relative to PRIVATE_FILES_ROOT
    scan_status = models.CharField(max_length=12, choices=ScanStatus.choices)
    retention_until = models.DateField(_("bewaren tot"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["case", "owner_type", "owner_id"]),
            models.Index(fields=["retention_until"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(owner_type__in=OwnerType.values), name="document_owner_type_known"),
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind_known"),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
            models.CheckConstraint(condition=Q(storage_name__regex=r"^[0-9a-f]{32}$"), name="document_random_name"),
        ]

    def __str__(self):
        return self.file_name
