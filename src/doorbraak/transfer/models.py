"""Import batches (the import log), their per-row dry-run outcomes, and the mapping external id -> object.

No personal data is stored here: a batch holds who, when, the file's hash and counts; a row outcome holds the row
number, the external id of the source system and a Dutch reason; the mapping holds ids and a fingerprint (a keyed
hash) of the imported values, so a re-import of the same row is recognised as unchanged without reading the case.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.core.models import TenantModel


class ImportBatch(TenantModel):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Wordt gecontroleerd")
        CHECKED = "checked", _("Gecontroleerd, wacht op bevestiging")
        AWAITING_SECOND = "awaiting_second", _("Wacht op bevestiging door een tweede regisseur")
        COMMITTING = "committing", _("Wordt ingelezen")
        DONE = "done", _("Ingelezen")
        CANCELLED = "cancelled", _("Geannuleerd")
        EXPIRED = "expired", _("Verlopen")
        FAILED = "failed", _("Mislukt")

    PENDING = (Status.CHECKING, Status.COMMITTING)

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    file_format = models.CharField(max_length=4)  # csv | xlsx
    file_name = models.CharField(max_length=200, blank=True)  # relative to PRIVATE_FILES_ROOT; "" once deleted
    file_sha256 = models.CharField(max_length=64)
    file_size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    row_count = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)  # progress of the current step
    to_create = models.PositiveIntegerField(default=0)
    to_update = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    refused_at_commit = models.PositiveIntegerField(default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    second_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(second_confirmed_by__isnull=True) | ~Q(second_confirmed_by=models.F("uploaded_by")),
                name="transfer_second_confirmer_differs",
            ),
        ]

    def __str__(self):
        return f"Import {self.pk}"

    @property
    def pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def poll_state(self) -> str:
        """What the waiting page compares: the status and the progress, so every step of progress reloads it."""
        return f"{self.status}:{self.rows_done}"


class ImportRow(TenantModel):
    """The outcome of one row in the dry run (and, when it changed at commit, at commit)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Wordt aangemaakt")
        UPDATE = "update", _("Wordt bijgewerkt")
        UNCHANGED = "unchanged", _("Ongewijzigd")
        REFUSED = "refused", _("Geweigerd")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()  # the row number as a spreadsheet shows it (header = 1)
    external_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["batch", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="transfer_row_unique_number")]
        indexes = [models.Index(fields=["batch", "action", "number"])]


class ExternalRecord(TenantModel):
    """The object an external id of the source system became (household, person or case)."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("huishouden")
        PERSON = "person", _("gezinslid")
        CASE = "case", _("casus")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    external_id = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    fingerprint = models.CharField(max_length=64, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind", "external_id"], name="transfer_external_id_unique")
        ]
