"""Case files: household, members, the case itself, ZRM scores, funders, involvement, consent, timeline,
follow-up moments and outcome measurements."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from doorbraak.core.choices import Funder
from doorbraak.core.dates import DB_EARLIEST, DB_LATEST
from doorbraak.core.fields import BsnHashField, EncryptedBsnField, bsn_hash
from doorbraak.core.models import Organisation, Team, TenantModel
from doorbraak.core.permissions import is_lead_of_team
from doorbraak.core.validators import validate_bsn


class LifeDomain(models.TextChoices):
    """The Zelfredzaamheid-Matrix (ZRM) domains."""

    FINANCES = "finances", _("Financiën")
    DAYTIME = "daytime", _("Dagbesteding")
    HOUSING = "housing", _("Huisvesting")
    DOMESTIC_RELATIONS = "domestic_relations", _("Huiselijke relaties")
    MENTAL_HEALTH = "mental_health", _("Geestelijke gezondheid")
    PHYSICAL_HEALTH = "physical_health", _("Lichamelijke gezondheid")
    ADDICTION = "addiction", _("Verslaving")
    ADL = "adl", _("Algemene dagelijkse levensverrichtingen")
    SOCIAL_NETWORK = "social_network", _("Sociaal netwerk")
    COMMUNITY_PARTICIPATION = "community_participation", _("Maatschappelijke participatie")
    JUSTICE = "justice", _("Justitie")


class ZrmScore(models.IntegerChoices):
    """The standard Dutch ZRM labels, 1–5."""

    ACUTE = 1, _("1 – Acute problematiek")
    NOT_SELF_SUFFICIENT = 2, _("2 – Niet zelfredzaam")
    BARELY = 3, _("3 – Beperkt zelfredzaam")
    SUFFICIENT = 4, _("4 – Voldoende zelfredzaam")
    FULLY = 5, _("5 – Volledig zelfredzaam")


class ParticipationStep(models.IntegerChoices):
    """The participation ladder (Participatieladder), 1–6."""

    ISOLATED = 1, _("1 – Geïsoleerd")
    SOCIAL_CONTACTS = 2, _("2 – Sociale contacten buiten de deur")
    ORGANISED_ACTIVITIES = 3, _("3 – Deelname aan georganiseerde activiteiten")
    UNPAID_WORK = 4, _("4 – Onbetaald werk")
    SUPPORTED_PAID_WORK = 5, _("5 – Betaald werk met ondersteuning")
    PAID_WORK = 6, _("6 – Betaald werk")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one need-to-know gate: cases the user is actively involved in, and for a breakthrough
        lead the cases of their team. Everyone else sees nothing (pages answer 404)."""
        if user is None or not user.is_authenticated or not user.is_active or user.municipality_id is None:
            return self.none()
        # A subquery rather than a join: no DISTINCT needed, and the planner can use the
        # (user, ended_at) index of Involvement (see BENCHMARKS.md).
        involved_case_ids = (
            Involvement.objects.with_scopes_disabled()
            .filter(user=user, ended_at__isnull=True, municipality_id=user.municipality_id)
            .values("case_id")
        )
        condition = Q(pk__in=involved_case_ids)
        if is_lead_of_team(user, user.team_id):  # the one "lead of the case's team" rule
            condition |= Q(team_id=user.team_id)
        return self.filter(condition, municipality_id=user.municipality_id)


CaseManager = ScopedManager(municipality="municipality", _manager_class=models.Manager.from_queryset(CaseQuerySet))


class Household(TenantModel):
    area = models.CharField(_("wijk of gebied"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")

    def __str__(self):
        return f"Huishouden {self.pk}"


class Person(TenantModel):
    class Relation(models.TextChoices):
        MAIN = "main", _("Hoofdpersoon")
        PARTNER = "partner", _("Partner")
        CHILD = "child", _("Kind")
        OTHER = "other", _("Ander gezinslid")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    first_name = models.CharField(_("voornaam"), max_length=80)
    last_name = models.CharField(_("achternaam"), max_length=120)
    date_of_birth = models.DateField(_("geboortedatum"))
    # Encrypted at rest (FIELD_ENCRYPTION_KEYS); found only through bsn_hash (BSN_HASH_KEY), never by the ciphertext.
    bsn = EncryptedBsnField(
        _("BSN"),
        max_length=9,
        blank=True,
        null=True,
        validators=[validate_bsn],
        help_text=_("Niet verplicht. Wordt gecontroleerd met de elfproef."),
    )
    bsn_hash = BsnHashField(source="bsn")
    relation = models.CharField(_("relatie"), max_length=10, choices=Relation.choices, default=Relation.MAIN)

    class Meta:
        verbose_name = _("gezinslid")
        verbose_name_plural = _("gezinsleden")
        ordering = ["household_id", "id"]
        constraints = [
            # No BSN: NULL and no hash. A BSN: a Fernet token (100+ characters, never 9 plain digits) and a
            # 64-hex keyed hash.
            models.CheckConstraint(
                condition=(
                    Q(bsn__isnull=True, bsn_hash="")
                    | Q(GreaterThanOrEqual(Length("bsn"), 100), bsn__isnull=False, bsn_hash__regex=r"^[0-9a-f]{64}$")
                ),
                name="person_bsn_encrypted_with_hash",
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__gte=DB_EARLIEST, date_of_birth__lte=DB_LATEST),
                name="person_birth_date_range",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        super().clean()
        self.bsn_hash = bsn_hash(self.bsn)  # so that full_clean's constraint check sees the pair as saved

    @property
    def bsn_last_digits(self) -> str:
        """The last three digits, the only part of a BSN that pages show."""
        return self.bsn[-3:] if self.bsn else ""


class Case(TenantModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PLATFORM = "platform", _("Op het casusplatform")
        BREAKTHROUGH = "breakthrough", _("Doorbraak bereikt")
        FOLLOW_UP = "follow_up", _("In nazorg")
        CLOSED = "closed", _("Afgesloten")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team"))
    title = models.CharField(_("titel"), max_length=160)
    question = models.TextField(_("hulpvraag in eigen woorden"))
    tried = models.TextField(_("wat is al geprobeerd"), blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("geopend op"), default=timezone.now)
    stuck_since = models.DateField(_("vastgelopen sinds"), null=True, blank=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The convening date of the case's oldest platform still at the table (no breakthrough yet), None without one.
    # Stored by the platforms app whenever a platform is convened, breaks through, is moved or deleted
    # (platforms.models.refresh_open_platform), so the list's "drie weken voorbij" filter and marker read the case
    # row itself (issue 15); tests/platforms/test_open_platform_marker.py keeps it true.
    open_platform_since = models.DateField(_("aan tafel sinds"), null=True, blank=True, editable=False)

    objects = CaseManager

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["municipality", "status", "opened_at"]),
            models.Index(fields=["team", "status"]),
            models.Index(fields=["municipality", "stuck_since"]),
            # --- issue 15 (case list at 1M, h-perf): indexes matching the list's order, migration 0008 ---
            models.Index(fields=["municipality", "-opened_at", "-id"], name="case_list_muni_opened_idx"),
            models.Index(fields=["team", "-opened_at", "-id"], name="case_list_team_opened_idx"),
            models.Index(fields=["status", "team", "-opened_at", "-id"], name="case_list_status_team_idx"),
            # the closed cases newest first (the story worklist, learning.stories.selectors; issue 15)
            models.Index(
                fields=["municipality", "-closed_at", "-id"],
                condition=Q(status="closed"),
                name="case_closed_idx",
            ),
            # the "drie weken voorbij" filter: only the cases with a platform at the table, in the list's order
            models.Index(
                fields=["municipality", "-opened_at", "-id"],
                condition=Q(open_platform_since__isnull=False),
                include=["status", "open_platform_since", "team"],
                name="case_list_muni_at_table_idx",
            ),
            models.Index(
                fields=["team", "-opened_at", "-id"],
                condition=Q(open_platform_since__isnull=False),
                include=["status", "open_platform_since", "municipality"],
                name="case_list_team_at_table_idx",
            ),
            # the same filter with a status, and its count: straight to the matching cases, however few
            models.Index(
                fields=["municipality", "status", "open_platform_since"],
                condition=Q(open_platform_since__isnull=False),
                name="case_at_table_status_idx",
            ),
            # --- end issue 15 (pg_trgm search indexes: PostgreSQL only, in migration 0008) ---
        ]

    def save(self, *args, **kwargs):
        # open_platform_since is written by platforms.models.refresh_open_platform only: a full save of a case
        # loaded before a platform changed must not put the old date back.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "open_platform_since"
            ]
        super().save(*args, **kwargs)

    def __str__(self):
        return self.title


class CaseFunder(TenantModel):
    """A law or funder already involved in the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="funders")
    funder = models.CharField(_("financier"), max_length=20, choices=Funder.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "funder"], name="case_funder_unique")]

    def __str__(self):
        return self.get_funder_display()


class DomainScore(TenantModel):
    """A self-sufficiency score (ZRM 1–5) of one life domain at one moment; re-scoring adds a row."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="domain_scores")
    domain = models.CharField(_("levensdomein"), max_length=30, choices=LifeDomain.choices)
    score = models.PositiveSmallIntegerField(_("zelfredzaamheid"), choices=ZrmScore.choices)
    scored_on = models.DateField(_("datum"), default=timezone.localdate)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["domain", "-scored_on", "-id"]
        indexes = [models.Index(fields=["case", "domain", "scored_on"])]
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="domain_score_1_5")]

    def __str__(self):
        return f"{self.get_domain_display()}: {self.score}"


class Involvement(TenantModel):
    """A professional's membership of a case (need-to-know). Ends when the case closes or they leave."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="involvements")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    role_in_case = models.CharField(_("rol in de casus"), max_length=120, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=Q(ended_at__isnull=True), name="involvement_one_active_per_user"
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self):
        return f"{self.user} – {self.case_id}"


class Consent(TenantModel):
    """The client's agreement to share the file with a named organisation at a platform."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisatie")
    )
    scope = models.CharField(_("wat mag gedeeld worden"), max_length=300)
    given_on = models.DateField(_("datum toestemming"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "organisation"])]

    def __str__(self):
        return f"{self.organisation} ({self.given_on})"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_on is None


class TimelineEntry(TenantModel):
    """Everything that happened on a case, in order. Written by services in the same transaction."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self):
        return self.summary


class FollowUpMoment(TenantModel):
    """A planned evaluation moment of a case (nazorg), e.g. every four weeks for the first three months."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("gepland op"))
    done_on = models.DateField(_("gehouden op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("wat kwam eruit"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evaluatiemoment")
        verbose_name_plural = _("evaluatiemomenten")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["case", "due_on"]), models.Index(fields=["municipality", "done_on", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_by__isnull=False), name="follow_up_done_has_person"
            ),
        ]

    def __str__(self):
        return f"Evaluatie {self.due_on}"

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()

    @property
    def is_due(self) -> bool:
        """Open and due within a week (or today)."""
        today = timezone.localdate()
        return self.done_on is None and today <= self.due_on <= today + datetime.timedelta(days=7)


class OutcomeMeasurement(TenantModel):
    """Outcomes at one moment: participation ladder and satisfaction. ZRM scores are DomainScore rows."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measurements")
    follow_up = models.ForeignKey(
        FollowUpMoment, on_delete=models.SET_NULL, null=True, blank=True, related_name="measurements"
    )
    measured_on = models.DateField(_("datum"), default=timezone.localdate)
    participation_step = models.PositiveSmallIntegerField(
        _("trede participatieladder"), choices=ParticipationStep.choices
    )
    client_satisfaction = models.PositiveSmallIntegerField(_("tevredenheid cliënt (1–10)"), null=True, blank=True)
    professional_satisfaction = models.PositiveSmallIntegerField(
        _("tevredenheid professional (1–10)"), null=True, blank=True
    )
    note = models.TextField(_("toelichting"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("uitkomstmeting")
        verbose_name_plural = _("uitkomstmetingen")
        ordering = ["measured_on", "id"]
        indexes = [models.Index(fields=["case", "measured_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(participation_step__gte=1, participation_step__lte=6), name="measurement_participation_1_6"
            ),
            models.CheckConstraint(
                condition=Q(client_satisfaction__isnull=True)
                | Q(client_satisfaction__gte=1, client_satisfaction__lte=10),
                name="measurement_client_1_10",
            ),
            models.CheckConstraint(
                condition=Q(professional_satisfaction__isnull=True)
                | Q(professional_satisfaction__gte=1, professional_satisfaction__lte=10),
                name="measurement_professional_1_10",
            ),
        ]

    def __str__(self):
        return f"Meting {self.measured_on}"
