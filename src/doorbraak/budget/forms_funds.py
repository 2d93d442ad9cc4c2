"""Forms of the money pages: approval with a fund, payments with a payee, loans with a schedule, reclaims with a
purpose, the fund page's filter, mandate levels. Amounts are typed in Dutch notation and become integer cents."""

from django import forms
from django.utils.translation import gettext_lazy as _

from doorbraak.core import dates
from doorbraak.core.choices import Funder
from doorbraak.core.dates import BoundedDateField
from doorbraak.core.forms import SafeTextMixin

from .forms import EuroField, OnceForm
from .models import EntryKind, FunderKind, Loan

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
DATE_ERRORS = {"invalid": _("Vul een datum in, bijvoorbeeld 2026-12-31.")}


class ApproveForm(SafeTextMixin, forms.Form):
    fund = forms.TypedChoiceField(label=_("Ten laste van budget"), coerce=int, choices=())

    def __init__(self, *args, funds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].choices = [(f.pk, f"{f.name} {f.year}") for f in funds]


class PaymentForm(OnceForm):
    amount = EuroField(label=_("Bedrag"))
    description = forms.CharField(label=_("Waarvoor (bijvoorbeeld: NS-jaarabonnement)"), max_length=140)
    payee_name = forms.CharField(label=_("Naam begunstigde"), max_length=70)
    iban = forms.CharField(
        label=_("IBAN begunstigde"), max_length=42, help_text=_("Bijvoorbeeld NL91 ABNA 0417 1643 00")
    )
    pay_again = forms.BooleanField(
        label=_("Ja, nogmaals betalen"),
        required=False,
        help_text=_("Alleen nodig als hetzelfde bedrag in de laatste 24 uur al aan deze begunstigde is betaald."),
    )

    def clean_iban(self):
        from doorbraak.core.errors import RuleError

        from .services.ledger import normalise_iban

        try:
            return normalise_iban(self.cleaned_data["iban"])
        except RuleError as err:
            raise forms.ValidationError(err.message) from None


class LoanForm(OnceForm):
    amount = EuroField(label=_("Bedrag van de lening"))
    condition = forms.CharField(label=_("Voorwaarde"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = BoundedDateField(
        label=_("Controledatum van de voorwaarde"),
        widget=DATE_INPUT,
        date_range=dates.LOAN_DEADLINE,
        error_messages=DATE_ERRORS,
    )
    route_when_met = forms.ChoiceField(
        label=_("Afspraak als de voorwaarde is gehaald"), choices=Loan.Route.choices, initial=Loan.Route.REPAY
    )
    instalment = EuroField(label=_("Termijnbedrag per maand"), required=False)
    terms = forms.IntegerField(label=_("Aantal termijnen"), min_value=1, max_value=120, required=False)
    first_due = BoundedDateField(
        label=_("Eerste vervaldatum"),
        widget=DATE_INPUT,
        date_range=dates.LOAN_DEADLINE,
        error_messages=DATE_ERRORS,
        required=False,
    )

    def clean(self):
        data = super().clean()
        schedule = [data.get("instalment"), data.get("terms"), data.get("first_due")]
        if any(v for v in schedule) and not all(v for v in schedule):
            raise forms.ValidationError(
                _("Vul voor een aflossingsschema het termijnbedrag, het aantal termijnen en de eerste vervaldatum in.")
            )
        return data


class LoanOutcomeForm(SafeTextMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst op de controledatum"),
        widget=forms.RadioSelect,
        choices=[
            ("met", _("Voorwaarde gehaald: de afgesproken route (aflossen volgens schema of kwijtschelden)")),
            ("repay_in_full", _("Voorwaarde niet gehaald door eigen schuld: direct volledig terugbetalen")),
        ],
    )


class RepaymentForm(OnceForm):
    amount = EuroField(label=_("Afgelost bedrag"))


class WriteOffForm(SafeTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden om af te schrijven"),
        max_length=300,
        error_messages={"required": _("Geef een reden om af te schrijven.")},
    )


class ReclaimForm(OnceForm):
    funder = forms.ChoiceField(label=_("Terugvorderen bij"), choices=Funder.choices)
    purpose = forms.CharField(label=_("Waarvoor (bijvoorbeeld: bijzondere bijstand)"), max_length=200)
    amount = EuroField(label=_("Bedrag"))


class EntryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort boeking"), choices=[("", _("Alle"))] + list(EntryKind.choices), required=False
    )
    since = forms.DateField(label=_("Vanaf"), widget=DATE_INPUT, required=False, error_messages=DATE_ERRORS)
    until = forms.DateField(label=_("Tot en met"), widget=DATE_INPUT, required=False, error_messages=DATE_ERRORS)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError(_("De einddatum ligt voor de begindatum."))
        return data


class MandateLevelForm(SafeTextMixin, forms.Form):
    name = forms.CharField(label=_("Naam van het mandaatniveau"), max_length=80)
    ceiling = EuroField(label=_("Plafond"))


class FundIbanForm(SafeTextMixin, forms.Form):
    iban = forms.CharField(label=_("IBAN van de gemeente voor dit budget"), max_length=42)


class FunderChangeForm(SafeTextMixin, forms.Form):
    """One funder of the municipality's list: the name shown, who pays in the end, active (issue 12)."""

    name = forms.CharField(
        label=_("Naam (leeg: de landelijke naam)"),
        max_length=120,
        required=False,
        help_text=_("Bij \u201cAnders\u201d verplicht."),
    )
    kind = forms.ChoiceField(label=_("Wie betaalt uiteindelijk"), choices=FunderKind.choices, widget=forms.RadioSelect)
    active = forms.BooleanField(label=_("Actief: aan te kiezen in nieuwe kostenregels"), required=False, initial=True)


class FunderAddForm(FunderChangeForm):
    """A funder the municipality does not use yet (one of the national codes, or "Anders" with a name)."""

    code = forms.ChoiceField(label=_("Financier"))
    field_order = ["code", "name", "kind", "active"]

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "---------")] + list(codes)
        self.fields.pop("active")
