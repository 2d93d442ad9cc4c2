"""Mandates, funds, the append-only budget ledger, loans and reclaims."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from doorbraak.core.choices import Funder
from doorbraak.core.models import Role, Team, TenantModel

from .plans import MAX_AMOUNT_CENTS, Plan


class MandateRule(TenantModel):
    """How much a role may approve alone in this municipality."""

    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    max_amount_cents = models.BigIntegerField(_("mandaat (cent)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "role"], name="mandate_rule_unique_role"),
            models.CheckConstraint(condition=Q(max_amount_cents__gte=0), name="mandate_rule_non_negative"),
        ]

    def __str__(self):
        return f"{self.role}: {self.max_amount_cents}"


class MandateLevel(TenantModel):
    """A mandate level of a municipality (doorbraakregisseur, teammanager, gedelegeerde van de wethouder) with the
    ceiling up to which its holders approve a plan alone. Users hold a level by their role (`default_role`) or by
    an explicit MandateHolder row; no new Role values are needed."""

    name = models.CharField(_("naam"), max_length=80)
    ceiling_cents = models.BigIntegerField(_("plafond (cent)"))
    default_role = models.CharField(_("standaard voor rol"), max_length=20, choices=Role.choices, blank=True)

    class Meta:
        ordering = ["ceiling_cents", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="mandate_level_unique_name"),
            models.UniqueConstraint(
                fields=["municipality", "default_role"],
                condition=~Q(default_role=""),
                name="mandate_level_unique_default_role",
            ),
            models.CheckConstraint(
                condition=Q(ceiling_cents__gte=0, ceiling_cents__lte=MAX_AMOUNT_CENTS), name="mandate_level_range"
            ),
        ]

    def __str__(self):
        return self.name


class MandateHolder(TenantModel):
    """An explicit mandate level of one user (wins over the level of the user's role)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mandate_holder")
    level = models.ForeignKey(MandateLevel, on_delete=models.PROTECT, related_name="holders")


class Fund(TenantModel):
    """A hand budget of a team for one year with its running totals, maintained only by `services.ledger.append`
    (F-expressions in the entry's transaction). `available_cents` is what can still be committed:
    allocated - committed + released + repaid + reclaims received (open commitments, payments and loans out are
    all inside `committed`). The database refuses a row where that formula does not hold or is negative."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    year = models.PositiveSmallIntegerField(_("jaar"))
    name = models.CharField(_("naam"), max_length=120)
    iban = models.CharField(_("IBAN van de gemeente"), max_length=34, blank=True)
    available_cents = models.BigIntegerField(default=0, editable=False)
    allocated_cents = models.BigIntegerField(default=0, editable=False)
    committed_cents = models.BigIntegerField(default=0, editable=False)
    released_cents = models.BigIntegerField(default=0, editable=False)
    paid_cents = models.BigIntegerField(default=0, editable=False)
    lent_cents = models.BigIntegerField(default=0, editable=False)
    repaid_cents = models.BigIntegerField(default=0, editable=False)
    written_off_cents = models.BigIntegerField(default=0, editable=False)
    reclaim_expected_cents = models.BigIntegerField(default=0, editable=False)
    reclaim_received_cents = models.BigIntegerField(default=0, editable=False)
    reclaim_refused_cents = models.BigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "year", "name"], name="fund_unique_name"),
            models.CheckConstraint(condition=Q(available_cents__gte=0), name="fund_available_never_negative"),
            models.CheckConstraint(
                condition=Q(
                    available_cents=F("allocated_cents")
                    - F("committed_cents")
                    + F("released_cents")
                    + F("repaid_cents")
                    + F("reclaim_received_cents")
                ),
                name="fund_available_formula",
            ),
            models.CheckConstraint(
                condition=Q(committed_cents__gte=F("released_cents") + F("paid_cents") + F("lent_cents")),
                name="fund_open_commitments_never_negative",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.year}"

    @property
    def open_commitments_cents(self) -> int:
        return self.committed_cents - self.released_cents - self.paid_cents - self.lent_cents

    @property
    def loans_outstanding_cents(self) -> int:
        return self.lent_cents - self.repaid_cents - self.written_off_cents

    @property
    def reclaims_open_cents(self) -> int:
        return self.reclaim_expected_cents - self.reclaim_received_cents - self.reclaim_refused_cents


class EntryKind(models.TextChoices):
    ALLOCATION = "allocation", _("Toegekend budget")
    COMMITMENT = "commitment", _("Verplichting (goedgekeurd plan)")
    RELEASE = "release", _("Vrijval verplichting")
    PAYMENT = "payment", _("Betaling")
    LOAN_OUT = "loan_out", _("Lening verstrekt")
    LOAN_REPAYMENT = "loan_repayment", _("Aflossing lening")
    RECLAIM_EXPECTED = "reclaim_expected", _("Terugvordering verwacht")
    RECLAIM_CLAIMED = "reclaim_claimed", _("Terugvordering ingediend")
    RECLAIM_RECEIVED = "reclaim_received", _("Terugvordering ontvangen")
    RECLAIM_REFUSED = "reclaim_refused", _("Terugvordering geweigerd")
    LOAN_WRITE_OFF = "loan_write_off", _("Lening afgeschreven")


# Effect of each kind on what the fund can still commit (`Fund.available_cents`). A payment or a loan out spends
# money that its plan's commitment already took, so it leaves `available` alone.
BALANCE_SIGN = {
    EntryKind.ALLOCATION: 1,
    EntryKind.COMMITMENT: -1,
    EntryKind.RELEASE: 1,
    EntryKind.LOAN_REPAYMENT: 1,
    EntryKind.RECLAIM_RECEIVED: 1,
}
# The running total on Fund that each kind moves.
TOTAL_FIELD = {
    EntryKind.ALLOCATION: "allocated_cents",
    EntryKind.COMMITMENT: "committed_cents",
    EntryKind.RELEASE: "released_cents",
    EntryKind.PAYMENT: "paid_cents",
    EntryKind.LOAN_OUT: "lent_cents",
    EntryKind.LOAN_REPAYMENT: "repaid_cents",
    EntryKind.LOAN_WRITE_OFF: "written_off_cents",
    EntryKind.RECLAIM_EXPECTED: "reclaim_expected_cents",
    EntryKind.RECLAIM_RECEIVED: "reclaim_received_cents",
    EntryKind.RECLAIM_REFUSED: "reclaim_refused_cents",
}


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Ledger entries are append-only.")

    def delete(self):
        raise PermissionError("Ledger entries are append-only.")


LedgerManager = models.Manager.from_queryset(AppendOnlyQuerySet)


class Loan(TenantModel):
    """A conditional loan with a monthly repayment schedule: `terms` instalments of `instalment_cents` from
    `first_due` (the last one takes the rest), and a check date (`deadline`) for the condition."""

    class Status(models.TextChoices):
        OUTSTANDING = "outstanding", _("Loopt")
        REPAY_FROM_INCOME = "repay_from_income", _("Voorwaarde gehaald: aflossen volgens schema")
        REPAY_IN_FULL = "repay_in_full", _("Voorwaarde niet gehaald: direct volledig terugbetalen")
        FORGIVEN = "forgiven", _("Voorwaarde gehaald: kwijtgescholden")
        WRITE_OFF_REQUESTED = "write_off_requested", _("Afschrijven aangevraagd")
        WRITTEN_OFF = "written_off", _("Afgeschreven")
        REPAID = "repaid", _("Afgelost")

    class Route(models.TextChoices):
        REPAY = "repay", _("Aflossen volgens schema")
        FORGIVE = "forgive", _("Kwijtschelden")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="loans")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="loans")
    amount_cents = models.BigIntegerField(_("bedrag"))
    condition = models.TextField(_("voorwaarde"))
    deadline = models.DateField(_("uiterste datum voorwaarde"))
    route_when_met = models.CharField(
        _("afspraak als de voorwaarde is gehaald"), max_length=10, choices=Route.choices, default=Route.REPAY
    )
    instalment_cents = models.BigIntegerField(_("termijnbedrag"), null=True, blank=True)
    terms = models.PositiveSmallIntegerField(_("aantal termijnen"), null=True, blank=True)
    first_due = models.DateField(_("eerste vervaldatum"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OUTSTANDING)
    write_off_reason = models.TextField(_("reden afschrijven"), blank=True)
    write_off_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(
                condition=Q(instalment_cents__isnull=True) | Q(instalment_cents__gt=0), name="loan_instalment_positive"
            ),
            models.CheckConstraint(
                condition=Q(terms__isnull=True) | Q(terms__gte=1, terms__lte=120), name="loan_terms_range"
            ),
        ]


class Reclaim(TenantModel):
    class Status(models.TextChoices):
        EXPECTED = "expected", _("Verwacht")
        CLAIMED = "claimed", _("Ingediend")
        RECEIVED = "received", _("Ontvangen")
        REFUSED = "refused", _("Geweigerd")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reclaims")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="reclaims")
    funder = models.CharField(_("terugvorderen bij"), max_length=20, choices=Funder.choices)
    purpose = models.CharField(_("waarvoor"), max_length=200, blank=True)
    amount_cents = models.BigIntegerField(_("bedrag"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.EXPECTED)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="reclaim_amount_positive")]


class LedgerEntry(TenantModel):
    """One append-only booking on a fund. Amounts are positive; the kind gives the direction."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    amount_cents = models.BigIntegerField()
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    reclaim = models.ForeignKey(Reclaim, on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    description = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(municipality="municipality", _manager_class=LedgerManager)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0, amount_cents__lte=MAX_AMOUNT_CENTS), name="ledger_entry_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["fund", "kind"]), models.Index(fields=["plan", "kind"])]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Ledger entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Ledger entries are append-only.")


class PlanFunding(TenantModel):
    """The money state of one plan: the fund it draws on (chosen by the approver among the team's funds of the
    year), what was committed, and when the plan's funding was closed (the rest of the commitment released)."""

    plan = models.OneToOneField(Plan, on_delete=models.PROTECT, related_name="funding")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="fundings")
    committed_cents = models.BigIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(committed_cents__gte=0), name="plan_funding_non_negative")]


class SepaExport(TenantModel):
    """One pain.001 credit-transfer file as handed to the financial administration."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="sepa_exports")
    message_id = models.CharField(max_length=35, unique=True)
    xml = models.TextField()
    total_cents = models.BigIntegerField()
    count = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class PaymentOrder(TenantModel):
    """Whom a payment goes to. Exported to SEPA exactly once: `export` is set in the export's transaction, only
    where it is still empty."""

    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="order")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="payment_orders")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="payment_orders")
    payee_name = models.CharField(_("naam begunstigde"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    amount_cents = models.BigIntegerField()
    reference = models.CharField(_("omschrijving op het afschrift"), max_length=140)
    export = models.ForeignKey(SepaExport, on_delete=models.PROTECT, null=True, blank=True, related_name="orders")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_order_positive")]
        indexes = [models.Index(fields=["plan", "iban", "amount_cents", "created_at"], name="budget_order_dup_idx")]
