"""Case platforms (doorbraaktafel): convening, participants, actions, decisions, breakthrough, evaluation,
escalation."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.cases.models import Case
from doorbraak.core.dates import DB_EARLIEST, DB_LATEST, safe_add_days
from doorbraak.core.models import Organisation, TenantModel

BREAKTHROUGH_DAYS = 21  # the programme's norm: a breakthrough within three weeks


def refresh_open_platform(case_ids) -> None:
    """Store on each case the convening date of its oldest platform still at the table (Case.open_platform_since,
    None when none is): the case list's "drie weken voorbij" filter and marker read it from the case row (issue 15).
    Called whenever a platform is created, saved, breaks through or is deleted; one UPDATE."""
    oldest = (
        Platform._base_manager.filter(case_id=OuterRef("pk"), status=Platform.Status.CONVENED)
        .order_by("convened_on")
        .values("convened_on")[:1]
    )
    Case._base_manager.filter(pk__in=list(case_ids)).update(open_platform_since=Subquery(oldest))


class BlockerTag(models.TextChoices):
    """Stable codes of what blocked; they become the system barriers of the learning app."""

    PINCHING_RULES = "pinching_rules", _("Knellende regels")
    UNCLEAR_FUNDING = "unclear_funding", _("Onduidelijke financiering")
    NO_PLACES = "no_places", _("Geen plekken")
    NOT_HEARD = "not_heard", _("Niet gehoord worden")
    IMPOSED_GOALS = "imposed_goals", _("Opgelegde doelen en normen")
    RULES_CLASH = "rules_clash", _("Regels die botsen")
    FUNDER_UNCLEAR = "funder_unclear", _("Onduidelijk wie betaalt")


class SolutionKind(models.TextChoices):
    """What kind of custom solution broke the case through (for learning and the precedent register)."""

    HOUSING = "housing", _("Wonen: een woning of woonplek")
    INCOME_DEBT = "income_debt", _("Inkomen en schulden")
    CARE = "care", _("Zorg of begeleiding op maat")
    DAYTIME = "daytime", _("Dagbesteding, school of werk")
    NETWORK = "network", _("Gezin en netwerk")
    BRIDGING = "bridging", _("Overbrugging of lening")
    RULE_EXCEPTION = "rule_exception", _("Afwijken van een regel")
    OTHER = "other", _("Anders")


class Platform(TenantModel):
    class Status(models.TextChoices):
        """A platform is convened and breaks through once (platforms.services.PLATFORM_FLOW)."""

        CONVENED = "convened", _("Bijeengeroepen")
        BREAKTHROUGH = "breakthrough", _("Doorbraak bereikt")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="platforms")
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.CONVENED)
    convened_on = models.DateField(_("datum casusplatform"))
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_problem = models.TextField(_("eerste probleem in de woorden van de cliënt"))
    client_present = models.BooleanField(_("de cliënt is erbij"), default=False)
    experience_expert_present = models.BooleanField(_("een ervaringsdeskundige is erbij"), default=False)
    breakthrough_on = models.DateField(_("datum doorbraak"), null=True, blank=True)
    breakthrough = models.TextField(_("de doorbraak"), blank=True)
    solution_kind = models.CharField(
        _("soort maatwerkoplossing"), max_length=20, choices=SolutionKind.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("casusplatform")
        verbose_name_plural = _("casusplatforms")
        ordering = ["-convened_on", "-id"]
        # the inbox's "drie weken voorbij": convened platforms of a municipality, oldest first (issue 16 at 1M)
        indexes = [
            models.Index(fields=["municipality", "status", "convened_on", "id"], name="platform_status_convened")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(breakthrough_on__isnull=True) | Q(breakthrough_on__gte=models.F("convened_on")),
                name="platform_breakthrough_after_convening",
            ),
            models.CheckConstraint(
                condition=Q(convened_on__gte=DB_EARLIEST, convened_on__lte=DB_LATEST), name="platform_convened_on_range"
            ),
            models.CheckConstraint(
                condition=Q(breakthrough_on__isnull=True)
                | Q(breakthrough_on__gte=DB_EARLIEST, breakthrough_on__lte=DB_LATEST),
                name="platform_breakthrough_on_range",
            ),
        ]

    def save(self, *args, **kwargs):
        # A platform stored with a breakthrough date (demo data, fixtures) is in state "breakthrough"; the
        # service moves it there with core.transitions.
        if self.breakthrough_on is not None and self.status == self.Status.CONVENED:
            self.status = self.Status.BREAKTHROUGH
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "status"}
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is None or {"case", "case_id", "status", "convened_on"} & set(fields):
            refresh_open_platform([self.case_id])

    def __str__(self):
        return f"Casusplatform {self.convened_on}"

    @property
    def deadline(self) -> datetime.date:
        # Never an OverflowError, whatever date is stored (a platform on 9999-12-31 made its pages 500 for good).
        return safe_add_days(self.convened_on, BREAKTHROUGH_DAYS)

    @property
    def days_to_breakthrough(self) -> int | None:
        if self.breakthrough_on is None:
            return None
        return (self.breakthrough_on - self.convened_on).days

    @property
    def within_three_weeks(self) -> bool | None:
        days = self.days_to_breakthrough
        return None if days is None else days <= BREAKTHROUGH_DAYS

    @property
    def three_weeks_passed(self) -> bool:
        return self.breakthrough_on is None and timezone.localdate() > self.deadline


@receiver(post_delete, sender=Platform, dispatch_uid="platforms.open_platform_on_delete")
def _platform_deleted(sender, instance, origin=None, **kwargs):
    if isinstance(origin, Case) or getattr(origin, "model", None) is Case:
        return  # the case itself is being deleted
    refresh_open_platform([instance.case_id])


class PlatformParticipant(TenantModel):
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="platform_participations",
    )
    name = models.CharField(_("naam"), max_length=160, blank=True)
    # Empty only for someone at the table without an account and without an organisation (a relative, a
    # neighbour), and then only with the client's agreement (participant_organisation_or_client_agreed).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisatie"), null=True, blank=True
    )
    role = models.CharField(_("rol aan tafel"), max_length=120, blank=True)
    # --- issue 16: participants without an account (the whole table) ---
    contact = models.CharField(_("hoe te bereiken"), max_length=200, blank=True)
    may_be_named = models.BooleanField(_("mag met naam worden vastgelegd"), default=False)
    client_agreed = models.BooleanField(_("de cliënt stemt in met deze deelnemer aan tafel"), default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "user"], condition=Q(user__isnull=False), name="participant_once_per_platform"
            ),
            # A participant without an account is named only when they agreed to it (issue 16).
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(name="") | Q(may_be_named=True),
                name="participant_named_only_with_consent",
            ),
            # Who has no organisation has no account either, and sits at the table only with the client's agreement
            # (the case's consent rules are per organisation; for a relative the client decides).
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(user__isnull=True, client_agreed=True),
                name="participant_organisation_or_client_agreed",
            ),
        ]

    @property
    def is_external(self) -> bool:
        """At the table without an account (issue 16): no notifications, reached through `contact`."""
        return self.user_id is None

    def __str__(self):
        who = (self.user.get_full_name() or self.user.username) if self.user_id else self.name
        if self.organisation_id is None:  # a relative or neighbour: name (if agreed) and role
            return f"{who} ({self.role})" if who and self.role else who or self.role
        if who:
            return f"{who} ({self.organisation})"
        return f"{self.organisation}: {self.role}" if self.role else str(self.organisation)


class PlatformAction(TenantModel):
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("wat"), max_length=300)
    owner = models.ForeignKey(
        PlatformParticipant, on_delete=models.PROTECT, related_name="actions", verbose_name=_("wie")
    )
    due_on = models.DateField(_("uiterlijk op"))
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # --- issue 16: closing with care; an open action the lead let lapse when the case closed ---
    cancelled_on = models.DateField(_("vervallen op"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(cancelled_on__isnull=True), name="action_done_or_cancelled"
            )
        ]

    def __str__(self):
        return self.what

    @property
    def is_open(self) -> bool:
        return self.done_on is None and self.cancelled_on is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class PlatformDecision(TenantModel):
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("besluit"))
    by_lead = models.BooleanField(_("besluit van de doorbraakregisseur"), default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    decided_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["decided_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(by_lead=False) | Q(decided_by__isnull=False), name="decision_by_lead_has_decider"
            )
        ]

    def __str__(self):
        return self.text[:60]


class PlatformEvaluation(TenantModel):
    platform = models.OneToOneField(Platform, on_delete=models.CASCADE, related_name="evaluation")
    helped = models.TextField(_("wat hielp"))
    blocked = models.TextField(_("wat blokkeerde"), blank=True)
    client_satisfaction = models.PositiveSmallIntegerField(_("tevredenheid cliënt (1–10)"))
    professional_satisfaction = models.PositiveSmallIntegerField(_("tevredenheid professionals (1–10)"))
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    evaluated_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(client_satisfaction__gte=1, client_satisfaction__lte=10), name="evaluation_client_1_10"
            ),
            models.CheckConstraint(
                condition=Q(professional_satisfaction__gte=1, professional_satisfaction__lte=10),
                name="evaluation_professional_1_10",
            ),
        ]

    def __str__(self):
        return f"Evaluatie {self.platform_id}"

    @property
    def blocker_codes(self) -> list[str]:
        return [b.code for b in self.blockers.all()]


class PlatformBlocker(TenantModel):
    """One blocker tag (BlockerTag code) of an evaluation."""

    evaluation = models.ForeignKey(PlatformEvaluation, on_delete=models.CASCADE, related_name="blockers")
    code = models.CharField(max_length=20, choices=BlockerTag.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "code"], name="blocker_once_per_evaluation")]
        indexes = [models.Index(fields=["code"])]

    def __str__(self):
        return self.get_code_display()


class Escalation(TenantModel):
    class Level(models.TextChoices):
        LOCAL = "local", _("Lokaal: doorbraakregisseur / gemeente")
        REGIONAL = "regional", _("Regionaal")
        NATIONAL = "national", _("Landelijk Maatwerkloket Multiproblematiek")

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="escalations")
    level = models.CharField(_("niveau"), max_length=10, choices=Level.choices)
    escalated_on = models.DateField(_("datum"), default=timezone.localdate)
    reason = models.TextField(_("waarom"))
    outcome = models.TextField(_("uitkomst"), blank=True)
    outcome_on = models.DateField(_("datum uitkomst"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["escalated_on", "id"]
        constraints = [models.UniqueConstraint(fields=["platform", "level"], name="escalation_once_per_level")]

    def __str__(self):
        return self.get_level_display()
