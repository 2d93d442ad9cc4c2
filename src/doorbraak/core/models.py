"""Core data: municipalities (tenants), teams, organisations, users with roles, and the access log."""

import datetime
import hashlib
import hmac
import json

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Municipality(models.Model):
    """A gemeente: the tenant. Every tenant-owned row points here."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    code = models.CharField(
        _("CBS-code"), max_length=6, unique=True, help_text=_("Gemeentecode van het CBS, bijvoorbeeld GM0796.")
    )

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^GM[0-9]{4}$"), name="municipality_code_format")
        ]

    def __str__(self):
        return self.name


class TenantModel(models.Model):
    """Base for every tenant-owned row: it carries its municipality and is only reachable inside a scope.

    `objects` raises django_scopes.ScopeError when no municipality scope is active, so an unscoped
    query cannot leak across municipalities. Requests get their scope from TenantScopeMiddleware.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )

    objects = ScopedManager(municipality="municipality")

    class Meta:
        abstract = True


class Team(TenantModel):
    """A municipality's (neighbourhood) social team."""

    name = models.CharField(_("naam"), max_length=120)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="team_unique_name")]

    def __str__(self):
        return self.name


class Organisation(TenantModel):
    """An organisation professionals work for: social team, care provider, housing corporation, …"""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Gemeente / sociaal team")
        CARE_PROVIDER = "care_provider", _("Zorgaanbieder")
        WELFARE = "welfare", _("Welzijnsorganisatie")
        HOUSING = "housing", _("Woningcorporatie")
        MENTAL_HEALTH = "mental_health", _("GGZ-instelling")
        JUSTICE = "justice", _("Justitie / reclassering")
        INSURER = "insurer", _("Zorgverzekeraar")
        EDUCATION = "education", _("Onderwijs")
        EXPERIENCE = "experience", _("Ervaringsdeskundigen")
        OTHER = "other", _("Anders")

    name = models.CharField(_("naam"), max_length=160)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="organisation_unique_name")]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    LEAD = "lead", _("Doorbraakregisseur")
    APPROVER = "approver", _("Budgetfiatteur")
    POLICY = "policy", _("Beleidsmedewerker / onderzoeker")
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Beheerder")


# Roles whose work shows personal data of clients.
ROLES_WITH_PERSONAL_DATA = {Role.PROFESSIONAL, Role.LEAD, Role.APPROVER, Role.ADMIN}


class User(AbstractUser):
    """A person who logs in. Users are not scoped (login needs them); selectors filter by municipality."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("gemeente"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members", verbose_name=_("team")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.PROFESSIONAL)
    is_demo = models.BooleanField(
        _("demo-account"),
        default=False,
        help_text=_("Alleen in demomodus: dit account slaat de tweede inlogstap over."),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        indexes = [models.Index(fields=["municipality", "role"])]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def sees_personal_data(self) -> bool:
        return self.role in ROLES_WITH_PERSONAL_DATA

    @property
    def requires_second_factor(self) -> bool:
        from django.conf import settings

        return not (settings.DEMO and self.is_demo)

    def has_role(self, *roles) -> bool:
        return self.is_active and self.role in roles


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")


class AccessEvent(models.Model):
    """One append-only, hash-chained row per access to personal data (NEN 7513 / BIO 8.15).

    Holds codes and identifiers only: never free text, secrets or a BSN. The client is stored as a
    keyed pseudonym. `hash` covers every field plus the previous row's hash, so a changed or deleted
    row breaks the chain (`manage.py verify_access_log`).
    """

    class Action(models.TextChoices):
        CREATE = "C", _("Aanmaken")
        READ = "R", _("Inzien")
        UPDATE = "U", _("Wijzigen")
        DELETE = "D", _("Verwijderen")
        EXECUTE = "E", _("Uitvoeren (zoeken, exporteren, printen)")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Gelukt")
        DENIED = "denied", _("Geweigerd")
        FAILURE = "failure", _("Mislukt")

    class EventType(models.TextChoices):
        NORMAL = "normal", _("Normaal")
        EMERGENCY = "emergency", _("Noodprocedure")

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(default=timezone.now, editable=False)
    action = models.CharField(max_length=1, choices=Action.choices)
    event = models.CharField(max_length=64, help_text="code such as case.read")
    event_type = models.CharField(max_length=10, choices=EventType.choices, default=EventType.NORMAL)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    purpose = models.CharField(max_length=64, help_text="processing activity id (art. 30 register)")
    # Who: stored as values, not foreign keys, so deleting a user never touches the log.
    actor_id = models.BigIntegerField(null=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    on_behalf_of = models.CharField(max_length=150, blank=True, help_text="responsible user")
    municipality_code = models.CharField(max_length=6, blank=True)
    network_address = models.CharField(max_length=45, blank=True)
    # What and whom.
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    subject_pseudonym = models.CharField(max_length=64, blank=True, db_index=True)
    # Why a request was refused (outcome denied/failure): a short code such as need_to_know, tenancy,
    # role, wrong_password, locked_out. Empty for successful events.
    reason = models.CharField(max_length=64, blank=True)
    trace_id = models.CharField(max_length=32, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Which ACCESS_LOG_KEYS entry keyed `hash`; 0 = legacy unkeyed SHA-256 (rows before core.0006).
    key_id = models.PositiveSmallIntegerField(default=0)

    objects = AppendOnlyQuerySet.as_manager()

    HASHED_FIELDS = (
        "seq",
        "occurred_at",
        "action",
        "event",
        "event_type",
        "outcome",
        "purpose",
        "actor_id",
        "actor_username",
        "actor_role",
        "on_behalf_of",
        "municipality_code",
        "network_address",
        "object_type",
        "object_id",
        "subject_pseudonym",
        "trace_id",
        "prev_hash",
    )

    class Meta:
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor_id", "seq"]),
            # the denial-burst count (core.audit): denied events of one user / one address in a window
            models.Index(fields=["actor_id", "outcome", "occurred_at"], name="core_access_actor_denied"),
            models.Index(fields=["network_address", "outcome", "occurred_at"], name="core_access_addr_denied"),
            # the administrator's changelist: one municipality's events, newest first (issue 15 point 4)
            models.Index(fields=["municipality_code", "-seq"], name="core_access_muni_seq"),
            # its search box (core.selectors_admin.search_access_events): one person, one user or one object's
            # events, newest first, however long the log
            models.Index(
                fields=["subject_pseudonym", "-seq"],
                condition=~models.Q(subject_pseudonym=""),
                name="core_access_subject_seq",
            ),
            models.Index(fields=["actor_username", "-seq"], name="core_access_actor_name_seq"),
            models.Index(
                fields=["object_id", "-seq"], condition=~models.Q(object_id=""), name="core_access_object_seq"
            ),
        ]

    def __str__(self):
        return f"{self.seq} {self.event} {self.outcome}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")

    def compute_hash(self, keys: dict[int, bytes] | None = None) -> str:
        """The row's chain hash: HMAC-SHA-256 with key `key_id`, or the legacy SHA-256 when key_id is 0.
        Raises KeyError for a key id that is not configured."""
        return event_digest(self, keys)


def event_digest(row, keys: dict[int, bytes] | None = None) -> str:
    """Chain hash of an AccessEvent-like object (also used by migration core.0006 on historical models)."""
    payload = {}
    for name in AccessEvent.HASHED_FIELDS:
        value = getattr(row, name)
        if name == "occurred_at":
            value = value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        payload[name] = value
    key_id = getattr(row, "key_id", 0) or 0
    if key_id == 0:
        if row.reason:  # legacy rows written before the field existed hash without it
            payload["reason"] = row.reason
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(canonical.encode()).hexdigest()
    if keys is None:
        from django.conf import settings

        keys = settings.ACCESS_LOG_KEYS
    payload["reason"] = row.reason
    payload["key_id"] = key_id
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(keys[key_id], canonical.encode(), hashlib.sha256).hexdigest()


class AccessLogHead(models.Model):
    """A single row holding the last sequence number and hash; appends lock it, so the chain stays linear
    and deleting the newest rows is detectable. Database triggers refuse deleting it or moving it back
    (core.db.guards); the signed checkpoints outside the database anchor it (core.audit)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="access_log_head_singleton")]

    def __str__(self):
        return f"head {self.seq}"


class RoleChangeRequest(TenantModel):
    """A requested change of a user's role and/or team; it applies only after a second administrator of the
    same municipality approves it (four eyes, issue 10). Rules live in core/services_admin.py."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op goedkeuring")
        APPROVED = "approved", _("Goedgekeurd")
        REJECTED = "rejected", _("Afgewezen")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_change_requests", verbose_name=_("gebruiker")
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("aangevraagd door")
    )
    old_role = models.CharField(_("huidige rol"), max_length=20, choices=Role.choices)
    new_role = models.CharField(_("nieuwe rol"), max_length=20, choices=Role.choices)
    old_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("huidig team")
    )
    new_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("nieuw team")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("besloten door")
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanvraag rol- of teamwijziging")
        verbose_name_plural = _("aanvragen rol- of teamwijziging")
        ordering = ["-requested_at"]
        constraints = [
            # One open request per user: a second one would race the first.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="role_change_one_pending_per_user"
            ),
            # Four eyes in the database too: nobody decides their own request or a request about themselves.
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")), name="role_change_decider_not_requester"
            ),
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("user")), name="role_change_decider_not_subject"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                    | models.Q(status__in=["approved", "rejected"], decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="role_change_decision_complete",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_old_role_display()} → {self.get_new_role_display()}"


from .models_auth import EnrolmentLink, SecurityNotice, UserSession  # noqa: E402, F401  (authentication models)
from .models_form_tokens import FormToken  # noqa: E402, F401  (one-time form tokens, core.form_tokens)
from .models_tasks import ScheduledJob, TaskLock, TaskResult  # noqa: E402, F401  (background work bookkeeping)
