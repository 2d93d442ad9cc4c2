"""Authentication data: one-time enrolment links, in-app security notices and the user's active sessions."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_token(token: str) -> str:
    """Links are stored only as a SHA-256 of their random token (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


class EnrolmentLink(models.Model):
    """A one-time link an administrator issues so a user can couple a (first or replacement) authenticator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_links", verbose_name=_("gebruiker")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgegeven door"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("verloopt op"))
    used_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("koppellink")
        verbose_name_plural = _("koppellinks")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="enrolment_link_expires_after_creation"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class SecurityNotice(models.Model):
    """An in-app notice that a factor, password or session changed; shown on the account page until seen."""

    class Kind(models.TextChoices):
        SECOND_FACTOR_ADDED = "second_factor_added", _("Authenticator-app gekoppeld")
        SECOND_FACTOR_REMOVED = "second_factor_removed", _("Authenticator-app verwijderd")
        PASSWORD_CHANGED = "password_changed", _("Wachtwoord gewijzigd")
        PASSWORD_RESET = "password_reset", _("Wachtwoord opnieuw ingesteld")
        ROLE_CHANGED = "role_changed", _("Rol of team gewijzigd")
        SESSIONS_ENDED = "sessions_ended", _("Sessies beëindigd")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_notices")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("beveiligingsmelding")
        verbose_name_plural = _("beveiligingsmeldingen")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "seen_at"])]

    def __str__(self):
        return f"{self.user} {self.kind}"


class UserSession(models.Model):
    """One row per logged-in session, independent of the session engine: written at login and (at most once a
    minute) on requests; ending a session deletes it from the session store and removes this row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="active_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_active_at = models.DateTimeField(default=timezone.now)
    network_address = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("actieve sessie")
        verbose_name_plural = _("actieve sessies")
        ordering = ["-last_active_at"]

    def __str__(self):
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"
