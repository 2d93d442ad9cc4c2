"""Notifications, per-kind delivery preferences and personal calendar feeds (issue 16)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.core.models import TenantModel


class Kind(models.TextChoices):
    """What a notification is about. The label is the neutral subject of its e-mail: never a name or case content."""

    INVITED = "invited", _("Er staat een casusplatform voor u klaar")
    ACTION_ASSIGNED = "action_assigned", _("Er staat een actie voor u klaar")
    ACTION_DUE = "action_due", _("Een actie van u moet morgen klaar zijn")
    EVALUATION_DUE = "evaluation_due", _("Er staat een evaluatie voor u gepland")
    PLAN_SUBMITTED = "plan_submitted", _("Er wacht een maatwerkplan op beoordeling")
    PLAN_APPROVED = "plan_approved", _("Een maatwerkplan is goedgekeurd")
    PLAN_RETURNED = "plan_returned", _("Een maatwerkplan is teruggestuurd")
    ESCALATION = "escalation", _("Er is een casus opgeschaald")
    LOAN_TERM_MISSED = "loan_term_missed", _("De termijn van een lening is verstreken")
    STORY_TO_APPROVE = "story_to_approve", _("Er wacht een verhaal op goedkeuring")


class Delivery(models.TextChoices):
    APP = "app", _("Alleen in Doorbraak")
    IMMEDIATE = "immediate", _("Direct per e-mail")
    DIGEST = "digest", _("Eén keer per dag een overzicht per e-mail")


class EmailStatus(models.TextChoices):
    NONE = "none", _("Geen e-mail")
    QUEUED = "queued", _("In de wachtrij")
    DIGEST = "digest", _("Voor het dagoverzicht")
    SENT = "sent", _("Verstuurd")
    FAILED = "failed", _("Niet verstuurd (opgegeven)")


class Notification(TenantModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Where it is handled: a path with ids only (no names, no case content), e.g. /casussen/12/platform/3/.
    link = models.CharField(max_length=300)
    # One notification per user, kind and key (e.g. "action:12:2026-12-02"): a scan that runs twice adds nothing.
    key = models.CharField(max_length=80)
    platform_id = models.BigIntegerField(null=True, blank=True)  # for the .ics of an invitation
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=120, blank=True)  # the exception's class, never its text
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="notification_once_per_key"),
            models.CheckConstraint(
                condition=~Q(email_status="sent") | Q(email_sent_at__isnull=False), name="notification_sent_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["email_status", "created_at"], name="notification_email_idx"),
        ]

    def __str__(self):
        return str(self.get_kind_display())


class Preference(TenantModel):
    """How a user wants one kind of notification; no row = the default (DEFAULT_DELIVERY)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self):
        return f"{self.kind}: {self.delivery}"


class CalendarFeed(TenantModel):
    """A user's personal calendar feed: only the SHA-256 of the secret in its URL is stored. A new secret replaces
    the old one (the old URL stops working); revoking deletes the row."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agendakoppeling")
        verbose_name_plural = _("agendakoppelingen")

    def __str__(self):
        return f"Agenda {self.user_id}"
