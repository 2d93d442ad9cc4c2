"""Mandates, funds, the append-only budget ledger, loans and reclaims."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class Fund(TenantModel):
    """A hand budget of a team for one year. `available_cents` is maintained only by services.ledger."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    year = models.PositiveSmallIntegerField(_("jaar"))
    name = models.CharField(_("naam"), max_length=120)
    available_cents = models.BigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "year", "name"], name="fund_unique_name"),
            models.CheckConstraint(condition=Q(available_cents__gte=0), name="fund_available_never_negative"),
        ]

    def __str__(self):
        return f"{self.name} {self.year}"


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


# Effect of each kind on the cash available in the fund; the other kinds are bookkeeping only.
BALANCE_SIGN = {
    EntryKind.ALLOCATION: 1,
    EntryKind.PAYMENT: -1,
    EntryKind.LOAN_OUT: -1,
    EntryKind.LOAN_REPAYMENT: 1,
    EntryKind.RECLAIM_RECEIVED: 1,
}


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Ledger entries are append-only.")

    def delete(self):
        raise PermissionError("Ledger entries are append-only.")


LedgerManager = models.Manager.from_queryset(AppendOnlyQuerySet)


class Loan(TenantModel):
    class Status(models.TextChoices):
        OUTSTANDING = "outstanding", _("Loopt")
        REPAY_FROM_INCOME = "repay_from_income", _("Voorwaarde gehaald: aflossen uit inkomen")
        REPAY_IN_FULL = "repay_in_full", _("Voorwaarde niet gehaald: direct volledig terugbetalen")
        REPAID = "repaid", _("Afgelost")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="loans")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="loans")
    amount_cents = models.BigIntegerField(_("bedrag"))
    condition = models.TextField(_("voorwaarde"))
    deadline = models.DateField(_("uiterste datum voorwaarde"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OUTSTANDING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="loan_amount_positive")]


class Reclaim(TenantModel):
    class Status(models.TextChoices):
        EXPECTED = "expected", _("Verwacht")
        CLAIMED = "claimed", _("Ingediend")
        RECEIVED = "received", _("Ontvangen")
        REFUSED = "refused", _("Geweigerd")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reclaims")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="reclaims")
    funder = models.CharField(_("terugvorderen bij"), max_length=20, choices=Funder.choices)
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
