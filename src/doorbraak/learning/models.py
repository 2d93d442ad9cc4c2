"""Learning: barrier themes, policy proposals and anonymised stories (issue 5)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.cases.models import Case, LifeDomain
from doorbraak.core.choices import Funder
from doorbraak.core.models import TenantModel
from doorbraak.platforms.models import BlockerTag, SolutionKind


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_on = models.DateField(_("besloten op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decision_note = models.TextField(_("toelichting bij het besluit"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "adopted", "rejected"]), name="policy_proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="proposed", decided_on__isnull=True)
                | Q(status__in=["adopted", "rejected"], decided_on__isnull=False),
                name="policy_proposal_decided_has_date",
            ),
        ]

    def __str__(self):
        return self.text[:60]


class Story(TenantModel):
    """An anonymised story of a case (draft from learning.anonymise); a person approves it before publishing.
    One story per case (story_one_per_case); the status follows services.STORY_FLOW."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        APPROVED = "approved", _("Goedgekeurd")
        PUBLISHED = "published", _("Gepubliceerd")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(_("titel"), max_length=160, blank=True)
    text = models.TextField(_("verhaal"))
    solution = models.TextField(_("de maatwerkoplossing"), blank=True)
    solution_kind = models.CharField(
        _("soort maatwerkoplossing"), max_length=20, choices=SolutionKind.choices, blank=True
    )
    period = models.CharField(_("periode"), max_length=40, blank=True, help_text=_("Bijvoorbeeld “voorjaar 2025”."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The second pair of eyes (stories.second_eyes): a hash of the title, text and solution that the Dutch
    # de-identification model last read; approval waits until it matches the story as it is now.
    checked_hash = models.CharField(max_length=64, blank=True, editable=False)
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # /leren/verhalen/ (selectors.shared_story_page): a page of a municipality's approved and published
            # stories, newest approved first, is a seek in this index (issue 15 point 4).
            models.Index(
                fields=["municipality", "-approved_at", "-id"],
                name="story_shared_idx",
                condition=Q(status__in=["approved", "published"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved", "published"]), name="story_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_by__isnull=False), name="story_approved_has_approver"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_by__isnull=False), name="story_published_has_publisher"
            ),
            models.UniqueConstraint(fields=["case"], name="story_one_per_case"),
        ]

    def __str__(self):
        return f"Verhaal {self.pk} ({self.get_status_display()})"


class StoryTag(TenantModel):
    """A searchable tag of a story for the precedent register: a blocker code or a law/funder."""

    class Kind(models.TextChoices):
        BLOCKER = "blocker", _("Blokkade")
        LAW = "law", _("Wet of financier")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "kind", "code"], name="story_tag_once"),
            models.CheckConstraint(
                condition=Q(kind="blocker", code__in=BlockerTag.values) | Q(kind="law", code__in=Funder.values),
                name="story_tag_code_valid",
            ),
        ]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self):
        return f"{self.kind}:{self.code}"


class StoryFlag(TenantModel):
    """A span of a story that the de-identification model (deduce) reads as a name, place or number. Approval
    waits until it is gone from the text (the writer changed it) or someone kept it with a reason."""

    class Field(models.TextChoices):
        TITLE = "title", _("titel")
        TEXT = "text", _("verhaal")
        SOLUTION = "solution", _("de maatwerkoplossing")

    class Kind(models.TextChoices):
        PERSON = "person", _("naam van een persoon")
        PLACE = "place", _("plaats of adres")
        NUMBER = "number", _("nummer of contactgegeven")
        AGE = "age", _("leeftijd")
        OTHER = "other", _("ander gegeven")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="flags")
    field = models.CharField(max_length=10, choices=Field.choices)
    span = models.CharField(_("gemarkeerde tekst"), max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    kept_reason = models.CharField(_("reden om te houden"), max_length=300, blank=True)
    kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kept_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["field", "id"]
        constraints = [
            models.UniqueConstraint(fields=["story", "field", "span"], name="story_flag_once"),
            models.CheckConstraint(
                condition=Q(kept_by__isnull=True) | ~Q(kept_reason=""), name="story_flag_kept_has_reason"
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.kept_by_id is None

    def __str__(self):
        return f"{self.get_kind_display()} in {self.get_field_display()}"


class LearningSession(TenantModel):
    """A learning session (leersessie) of professionals: a theme they chose, anonymised cases, takeaways."""

    held_on = models.DateField(_("datum"))
    topic = models.CharField(_("thema gekozen door de professionals"), max_length=200)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("hoort bij systeemthema"),
    )
    stories = models.ManyToManyField(
        Story, blank=True, related_name="sessions", verbose_name=_("besproken verhalen (geanonimiseerd)")
    )
    attendees = models.PositiveSmallIntegerField(_("aantal deelnemers"), default=0)
    takeaways = models.TextField(_("wat namen de deelnemers mee"), blank=True)
    needs = models.TextField(_("wat hebben ze nodig om het toe te passen"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("leersessie")
        verbose_name_plural = _("leersessies")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.topic} ({self.held_on})"


# --- Analytics facts -------------------------------------------------------------------------------------
# One narrow row per case (and per case x funder, case x domain), keyed by a keyed pseudonym, never by the case
# id: the dashboard, pattern analysis, council report and open data read these tables only. They are rebuilt
# by learning.facts.refresh_facts (command `refresh_learning_facts`, nightly, or the button on the dashboard).


class BudgetBand(models.IntegerChoices):
    NONE = 0, _("Geen budget gebruikt")
    SMALL = 1, _("Tot € 5.000")
    MEDIUM = 2, _("€ 5.000 tot € 25.000")
    LARGE = 3, _("€ 25.000 of meer")


class CaseFact(TenantModel):
    pseudonym = models.CharField(max_length=32, unique=True)
    opened_month = models.DateField()
    status = models.CharField(max_length=15)
    convened_on = models.DateField(null=True)
    breakthrough_month = models.DateField(null=True)
    days_to_breakthrough = models.IntegerField(null=True)
    client_present = models.BooleanField(default=False)
    expert_present = models.BooleanField(default=False)
    organisations = models.PositiveSmallIntegerField(default=0)
    domains = models.PositiveSmallIntegerField(default=0)
    solution_kind = models.CharField(max_length=20, blank=True)
    budget_band = models.PositiveSmallIntegerField(choices=BudgetBand.choices, default=BudgetBand.NONE)
    spend_cents = models.BigIntegerField(default=0)
    blockers = models.IntegerField(default=0)  # bit i set = BlockerTag.values[i] named at an evaluation
    funders = models.IntegerField(default=0)  # bit i set = Funder.values[i] involved in the case
    zrm_change = models.FloatField(null=True)  # mean (last - first) over domains scored at least twice
    participation_change = models.SmallIntegerField(null=True)
    client_satisfaction = models.SmallIntegerField(null=True)
    refreshed_at = models.DateTimeField(default=timezone.now)
    # Issue 13: the protected release layer (learning.insights.protected) breaks down by these and adds record keys.
    record_key = models.PositiveSmallIntegerField(default=0)  # the case's permanent RecordKey.key
    team_id = models.BigIntegerField(null=True)  # the case's team (an internal id, as in the change log)
    area = models.CharField(max_length=120, blank=True)  # the household's area at the refresh
    problem_domains = models.IntegerField(default=0)  # bit i = LifeDomain.values[i] first scored 1 or 2

    class Meta:
        indexes = [
            models.Index(fields=["municipality", "opened_month"]),
            models.Index(fields=["municipality", "breakthrough_month"]),
        ]


class CaseFunderFact(TenantModel):
    pseudonym = models.CharField(max_length=32)
    opened_month = models.DateField()
    funder = models.CharField(max_length=20, choices=Funder.choices)
    spend_cents = models.BigIntegerField(default=0)
    projected_return_cents = models.BigIntegerField(default=0)  # regular offer - custom plan, whole horizon
    # Only where realised costs were recorded: the same comparison up to the month of the latest record.
    projected_to_date_cents = models.BigIntegerField(null=True)
    realised_return_cents = models.BigIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pseudonym", "funder"], name="case_funder_fact_once")]
        indexes = [models.Index(fields=["municipality", "opened_month"])]


class CaseDomainFact(TenantModel):
    pseudonym = models.CharField(max_length=32)
    opened_month = models.DateField()
    domain = models.CharField(max_length=30, choices=LifeDomain.choices)
    first_score = models.PositiveSmallIntegerField()
    last_score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pseudonym", "domain"], name="case_domain_fact_once")]
        indexes = [models.Index(fields=["municipality", "opened_month"])]


class FactRefresh(TenantModel):
    """When the facts of a municipality were last rebuilt (shown on the dashboard), and what the next incremental
    refresh builds on: the facts schema and the day the rollups were judged against (learning.facts)."""

    class Kind(models.TextChoices):
        FULL = "full", _("volledig")
        INCREMENTAL = "incremental", _("alleen wijzigingen")

    finished_at = models.DateTimeField(default=timezone.now)
    cases = models.PositiveIntegerField(default=0)  # cases in the facts after the run
    seconds = models.FloatField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FULL)
    changed = models.PositiveIntegerField(default=0)  # cases whose facts were rebuilt (all of them when full)
    as_of = models.DateField(null=True)  # the day "three weeks over" was judged against (Rollup days/pattern)
    schema = models.PositiveSmallIntegerField(default=0)  # learning.facts.FACTS_SCHEMA of the run
    # What the protected layer of the run was built with (learning.insights.protected.layer_signature: its
    # schema and the theme blocker codes); another signature makes the next refresh rebuild the layer whole.
    layer = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-finished_at", "-id"]


class FactChange(models.Model):
    """A case whose facts may have changed since the last refresh: written by database triggers on the case,
    platform and plan tables (migration 0005), so bulk writes, queryset updates and deletes are caught too;
    consumed (deleted) by the refresh that rebuilt the case's facts. Holds internal ids only, no personal
    data; not a TenantModel because the triggers write it below the ORM."""

    id = models.BigAutoField(primary_key=True)
    municipality_id = models.BigIntegerField()
    case_id = models.BigIntegerField()
    changed_at = models.DateTimeField(db_default=Now())

    class Meta:
        indexes = [models.Index(fields=["municipality_id", "id"], name="factchange_muni_id")]

    def __str__(self):
        return f"case {self.case_id} changed at {self.changed_at}"


class Rollup(TenantModel):
    """Month-level aggregates of the facts, rebuilt with them: the dashboard, patterns, report and open data
    sum a few hundred of these rows for any period instead of scanning a row per case (BENCHMARKS.md).

    Per kind, `month` is the month the case was opened (for "broke": the month of the breakthrough) and:
    - opened: n cases, c1 with a casusplatform, c2 closed, c3 with budget used, c4 spend (cents), c5 broke through;
    - broke: n breakthroughs;
    - days: key = days from platform to breakthrough ("" = no breakthrough yet), n cases; only platforms convened
      at least three weeks before the refresh (their three weeks are over), as for "pattern";
    - mask: key = bitmask of blocker codes named for a case (facts.BLOCKER_BITS), n cases;
    - domain: key = life domain, n cases scored twice or more, c1 improved, f1 sum and f2 sum of squares of
      (latest - first score);
    - funder: key = funder, n cases, c1 spend, c2 projected return, c3 cases with realised costs, c4 projected
      return to date, c5 realised return to date (cents);
    - pattern: key = "client|expert|organisations band|domains band|solution kind|budget band", n cases with a
      platform, c1 broke through within three weeks, c2 cases with a ZRM change, f1 sum, f2 sum of squares.
    """

    class Kind(models.TextChoices):
        OPENED = "opened"
        BROKE = "broke"
        DAYS = "days"
        MASK = "mask"
        DOMAIN = "domain"
        FUNDER = "funder"
        PATTERN = "pattern"

    month = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=100, blank=True)
    n = models.BigIntegerField(default=0)
    c1 = models.BigIntegerField(default=0)
    c2 = models.BigIntegerField(default=0)
    c3 = models.BigIntegerField(default=0)
    c4 = models.BigIntegerField(default=0)
    c5 = models.BigIntegerField(default=0)
    f1 = models.FloatField(default=0)
    f2 = models.FloatField(default=0)

    class Meta:
        indexes = [models.Index(fields=["municipality", "kind", "month"])]
        constraints = [models.UniqueConstraint(fields=["municipality", "kind", "month", "key"], name="rollup_once")]


class CouncilReport(TenantModel):
    """A council report PDF made by a worker (issue 14): requested by a policy officer or lead for a period, made in
    the background (learning.tasks.make_council_report), kept as a file under PRIVATE_FILES_ROOT for
    COUNCIL_REPORT_RETENTION_DAYS and handed out only to learning users of the same municipality
    (learning.council_reports). The id is a random UUID, so report URLs cannot be enumerated."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Wordt gemaakt")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    period_start = models.DateField(_("eerste maand"))
    period_end = models.DateField(_("laatste maand"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)  # relative to PRIVATE_FILES_ROOT
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=100, blank=True)  # the exception class of the last failure, never its text

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("raadsrapportage")
        verbose_name_plural = _("raadsrapportages")
        indexes = [models.Index(fields=["municipality", "-requested_at"], name="councilreport_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]), name="councilreport_status_valid"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="councilreport_period_order"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file_name=""), name="councilreport_done_has_file"),
        ]

    def __str__(self):
        return f"{self.period_start:%Y-%m}–{self.period_end:%Y-%m} ({self.get_status_display()})"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


# --- issue 13: protected release layer ---


class RecordKey(TenantModel):
    """The permanent random key of a case for the cell-key method (learning.insights.protection): drawn once when
    the case first reaches the facts, never changed by a refresh, a full rebuild or a schema change. Keyed by
    the case's pseudonym, so it holds no case id."""

    pseudonym = models.CharField(max_length=32, unique=True)
    key = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(key__lt=256), name="record_key_range")]

    def __str__(self):
        return f"{self.pseudonym[:8]}…"


class ProtectedCell(TenantModel):
    """One released figure of the protected layer (learning.insights.protected), rebuilt by every facts refresh.

    A cell is a grid period (`grain` m/q/y/a for month, quarter, year, all time; `period` its first month) x one
    breakdown (`dimension` "" for the whole municipality, or team/area/funder/domain/solution with its `value`)
    x a `measure` ("cases", "blocker:<code>", ...). `count` is the perturbed count (true count + noise from the
    published perturbation table, by the cell key); `stats` holds the amounts, means and medians that may be
    shown (only when the perturbed count reaches the threshold). True counts are not stored."""

    grain = models.CharField(max_length=1)
    period = models.DateField()
    dimension = models.CharField(max_length=10, blank=True)
    value = models.CharField(max_length=120, blank=True)
    measure = models.CharField(max_length=60)
    count = models.IntegerField()
    stats = models.JSONField(null=True)

    class Meta:
        indexes = [models.Index(fields=["municipality", "grain", "period", "dimension", "value"], name="cell_lookup")]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "grain", "period", "dimension", "value", "measure"], name="cell_once"
            ),
            models.CheckConstraint(condition=Q(grain__in=["m", "q", "y", "a"]), name="cell_grain_valid"),
            models.CheckConstraint(condition=Q(count__gte=0), name="cell_count_not_negative"),
        ]

    def __str__(self):
        return f"{self.grain} {self.period} {self.dimension}={self.value} {self.measure}: {self.count}"


class CellTally(models.Model):
    """What the incremental refresh needs to rebuild one ProtectedCell without reading all the facts again
    (learning.insights.protected.LayerChange): the cell's true count, the sum of its records' keys, its amounts
    and sums, and for "judged_broke" the histogram of days to breakthrough. Internal: never read by a view, a
    report, the open data or the API (they read ProtectedCell); written and read only by the protected layer's
    build. The same sensitivity as the month rollups (learning.Rollup), which hold true counts too."""

    cell = models.OneToOneField(ProtectedCell, on_delete=models.DO_NOTHING, related_name="+")
    n = models.IntegerField()
    key_sum = models.BigIntegerField()
    a1 = models.BigIntegerField(default=0)
    a2 = models.BigIntegerField(default=0)
    s = models.FloatField(default=0)
    ss = models.FloatField(default=0)
    days = models.JSONField(null=True)  # "judged_broke" only: {days to breakthrough: cases}

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(n__gt=0), name="cell_tally_not_empty")]

    def __str__(self):
        return f"tally of cell {self.cell_id}"
