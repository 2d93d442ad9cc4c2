"""Cost catalogue, custom plans with three scenarios and their lines, shares and history; realised costs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.cases.models import Case
from doorbraak.core.choices import Funder
from doorbraak.core.models import Team, TenantModel


class Unit(models.TextChoices):
    DAY = "day", _("per dag")
    NIGHT = "night", _("per nacht")
    WEEK = "week", _("per week")
    MONTH = "month", _("per maand")
    YEAR = "year", _("per jaar")
    HOUR = "hour", _("per uur")
    EACH = "each", _("per stuk")
    DAYPART = "daypart", _("per dagdeel")
    KM = "km", _("per km")


class Rhythm(models.TextChoices):
    """How often a cost line's quantity recurs (calculations.RHYTHMS)."""

    ONCE = "once", _("eenmalig")
    DAY = "day", _("per dag")
    WEEK = "week", _("per week")
    MONTH = "month", _("per maand")
    YEAR = "year", _("per jaar")


class FunderKind(models.TextChoices):
    """Who pays in the end: this municipality's budgets, another party, or the household / its network."""

    MUNICIPAL = "municipal", _("Gemeente (eigen budget)")
    EXTERNAL = "external", _("Externe financier")
    OWN = "own", _("Eigen bijdrage (huishouden of netwerk)")


class SourceType(models.TextChoices):
    OFFICIAL = "official", _("Officiële lijst")
    CONTRACT = "contract", _("Gemeentelijk contract")
    ESTIMATE = "estimate", _("Schatting")


class Confidence(models.TextChoices):
    HIGH = "high", _("Hoog")
    MEDIUM = "medium", _("Middel")
    LOW = "low", _("Laag")


MAX_AMOUNT_CENTS = 100_000_000_00  # EUR 100 million: anything above is absurd for one line or payment


class CatalogueItem(TenantModel):
    """A reference price of one municipality. Changes go through the service, which keeps a revision."""

    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("omschrijving"), max_length=200)
    unit = models.CharField(_("eenheid"), max_length=10, choices=Unit.choices)
    amount_cents = models.BigIntegerField(_("bedrag (cent)"))
    funder = models.CharField(_("financier"), max_length=20, choices=Funder.choices)
    source = models.TextField(_("bron"))
    source_type = models.CharField(_("soort bron"), max_length=10, choices=SourceType.choices)
    confidence = models.CharField(_("betrouwbaarheid"), max_length=10, choices=Confidence.choices)
    price_year = models.PositiveSmallIntegerField(_("prijsjaar"))
    is_default = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["funder", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="catalogue_item_unique_code"),
            models.CheckConstraint(
                condition=Q(amount_cents__gte=0, amount_cents__lte=MAX_AMOUNT_CENTS), name="catalogue_item_amount_range"
            ),
            models.CheckConstraint(
                condition=Q(price_year__gte=1990, price_year__lte=2100), name="catalogue_item_price_year_range"
            ),
        ]

    def __str__(self):
        return self.name


class FunderSetting(TenantModel):
    """The maintained list of funders of one municipality (seeded with the national set by
    `services.ensure_funders`). Plan lines and shares keep storing the code; this says its name and kind."""

    code = models.CharField(_("code"), max_length=20, choices=Funder.choices)
    name = models.CharField(_("naam"), max_length=120, blank=True)
    active = models.BooleanField(_("actief"), default=True)
    kind = models.CharField(_("soort"), max_length=10, choices=FunderKind.choices, default=FunderKind.EXTERNAL)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="funder_setting_unique_code"),
            models.CheckConstraint(condition=~Q(code="other") | ~Q(name=""), name="funder_setting_other_has_name"),
        ]

    @property
    def paid_from_municipal_budget(self) -> bool:
        return self.kind == FunderKind.MUNICIPAL

    def __str__(self):
        return self.name or self.get_code_display()


class CatalogueRevision(TenantModel):
    """History of a catalogue item: one row per value it ever had (never changed silently)."""

    item = models.ForeignKey(CatalogueItem, on_delete=models.CASCADE, related_name="revisions")
    amount_cents = models.BigIntegerField()
    price_year = models.PositiveSmallIntegerField()
    source = models.TextField()
    source_type = models.CharField(max_length=10, choices=SourceType.choices)
    confidence = models.CharField(max_length=10, choices=Confidence.choices)
    reason = models.CharField(_("reden"), max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]


class Plan(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        SUBMITTED = "submitted", _("Ingediend, wacht op goedkeuring")
        APPROVED = "approved", _("Goedgekeurd")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="plan")
    # The case's team, copied when the plan starts (a case keeps its team: no service moves it), so a lead's queue
    # and running plans are read from the team's own index instead of checking every plan's case (issue 15).
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", editable=False)
    horizon_years = models.PositiveSmallIntegerField(_("looptijd (jaren)"), default=1)
    outcome_do_nothing = models.TextField(_("verwachte uitkomst als we niets doen"), blank=True)
    outcome_regular = models.TextField(_("verwachte uitkomst met het gewone aanbod"), blank=True)
    outcome_custom = models.TextField(_("verwachte uitkomst met het maatwerkplan"), blank=True)
    justification_legality = models.TextField(_("rechtmatigheid: waarom mag dit?"), blank=True)
    justification_return = models.TextField(_("rendement: waarom loont dit?"), blank=True)
    justification_engagement = models.TextField(_("betrokkenheid: hoe doet de cliënt mee?"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    requested_cents = models.BigIntegerField(_("gevraagd bedrag"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(horizon_years__gte=1, horizon_years__lte=5), name="plan_horizon_1_5"),
            models.CheckConstraint(condition=Q(requested_cents__gte=0), name="plan_requested_non_negative"),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (Q(approved_by__isnull=False) & ~Q(approved_by=models.F("submitted_by"))),
                name="plan_approver_is_not_submitter",
            ),
        ]
        indexes = [
            # The approver's queue and the approved plans on the budget overview, read page first (issue 15).
            models.Index(fields=["status", "submitted_at", "id"], name="budget_plan_queue_idx"),
            models.Index(fields=["status", "-approved_at", "-id"], name="budget_plan_approved_idx"),
            # The queue's page chosen from the index alone (issue 15, a lead's queue): the submitted plans in queue
            # order with what the queue filters on (mandate, own plan) and the case the gate checks.
            models.Index(
                fields=["submitted_at", "id"],
                include=["requested_cents", "submitted_by", "case"],
                condition=Q(status="submitted"),
                name="budget_plan_submitted_idx",
            ),
            # A lead's queue and running plans: the team's submitted / approved plans in the list's order.
            models.Index(
                fields=["team", "submitted_at", "id"],
                include=["requested_cents", "submitted_by", "case"],
                condition=Q(status="submitted"),
                name="budget_plan_team_queue_idx",
            ),
            models.Index(
                fields=["team", "-approved_at", "-id"],
                condition=Q(status="approved"),
                name="budget_plan_team_approved_idx",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.team_id is None and self.case_id is not None:
            self.team_id = Case._base_manager.values_list("team_id", flat=True).get(pk=self.case_id)
        super().save(*args, **kwargs)

    def __str__(self):
        return f"Plan {self.case_id}"


class Scenario(models.TextChoices):
    DO_NOTHING = "do_nothing", _("Niets doen")
    REGULAR = "regular", _("Gewoon aanbod")
    CUSTOM = "custom", _("Maatwerkplan")


class PlanLine(TenantModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    scenario = models.CharField(_("scenario"), max_length=12, choices=Scenario.choices)
    catalogue_item = models.ForeignKey(
        CatalogueItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uit de catalogus"),
    )
    description = models.CharField(_("omschrijving"), max_length=200)
    unit = models.CharField(_("eenheid"), max_length=10, choices=Unit.choices)
    amount_cents = models.BigIntegerField(_("prijs per eenheid (cent)"))
    quantity = models.DecimalField(_("aantal per keer"), max_digits=10, decimal_places=2, default=1)
    rhythm = models.CharField(_("hoe vaak"), max_length=10, choices=Rhythm.choices, default=Rhythm.MONTH)
    duration = models.DecimalField(_("aantal keer"), max_digits=10, decimal_places=2, default=1)
    start_month = models.PositiveSmallIntegerField(_("start (maanden na begin)"), default=0)
    end_month = models.PositiveSmallIntegerField(_("laatste maand (0 = eerste maand)"), null=True, blank=True)
    funder = models.CharField(_("wie betaalt"), max_length=20, choices=Funder.choices)

    class Meta:
        ordering = ["scenario", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gte=0, amount_cents__lte=MAX_AMOUNT_CENTS), name="plan_line_amount_range"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0, duration__gt=0), name="plan_line_positive"),
            models.CheckConstraint(condition=Q(start_month__lte=59), name="plan_line_start_within_5_years"),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True)
                | (Q(end_month__gte=models.F("start_month")) & Q(end_month__lte=59)),
                name="plan_line_end_after_start",
            ),
        ]

    def __str__(self):
        return self.description


class PlanShare(TenantModel):
    """Co-funding: the part of the custom plan a funder bears, typed as a percentage (basis points, 10000 = 100%)
    or as an amount (cents); exactly one is set. An external share is a co-funding agreement (proposed -> agreed
    -> received / refused, with date and document reference); `prefinanced` says the municipality pays it from
    the hand budget first and reclaims it afterwards."""

    class Agreement(models.TextChoices):
        PROPOSED = "proposed", _("Voorgesteld")
        AGREED = "agreed", _("Afgesproken")
        RECEIVED = "received", _("Ontvangen")
        REFUSED = "refused", _("Geweigerd")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="shares")
    funder = models.CharField(_("financier"), max_length=20, choices=Funder.choices)
    basis_points = models.PositiveIntegerField(null=True, blank=True)
    amount_cents = models.BigIntegerField(null=True, blank=True)
    prefinanced = models.BooleanField(_("gemeente schiet voor"), default=False)
    agreement = models.CharField(_("afspraak"), max_length=10, choices=Agreement.choices, default=Agreement.PROPOSED)
    agreement_date = models.DateField(_("datum afspraak"), null=True, blank=True)
    document_reference = models.CharField(_("kenmerk document"), max_length=120, blank=True)

    class Meta:
        ordering = ["-basis_points", "-amount_cents", "funder"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "funder"], name="plan_share_unique_funder"),
            models.CheckConstraint(
                condition=(Q(basis_points__isnull=False) & Q(amount_cents__isnull=True))
                | (Q(basis_points__isnull=True) & Q(amount_cents__isnull=False)),
                name="plan_share_percent_or_amount",
            ),
            models.CheckConstraint(
                condition=Q(basis_points__isnull=True) | Q(basis_points__gt=0, basis_points__lte=10000),
                name="plan_share_basis_points_range",
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__isnull=True) | Q(amount_cents__gt=0, amount_cents__lte=MAX_AMOUNT_CENTS),
                name="plan_share_amount_range",
            ),
        ]


class PlanEvent(TenantModel):
    """History of a plan (append-only)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=30)
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Plan history is append-only.")
        super().save(*args, **kwargs)


class RealisedCost(TenantModel):
    """Costs that really occurred for a plan's case, per funder, from the plan's start up to a date (nazorg).

    A later row for the same funder supersedes an earlier one: the latest `up_to` counts. Compared with the
    plan's projection for the same months (budget.selectors.realised_vs_projected)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="realised_costs")
    funder = models.CharField(_("financier"), max_length=20, choices=Funder.choices)
    amount_cents = models.BigIntegerField(_("werkelijke kosten tot nu toe"))
    up_to = models.DateField(_("kosten tot en met"))
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("werkelijke kosten")
        verbose_name_plural = _("werkelijke kosten")
        ordering = ["up_to", "id"]
        indexes = [models.Index(fields=["plan", "funder", "up_to"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gte=0, amount_cents__lte=MAX_AMOUNT_CENTS), name="realised_cost_amount_range"
            ),
        ]

    def __str__(self):
        return f"{self.get_funder_display()} t/m {self.up_to}"
