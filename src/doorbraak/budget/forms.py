"""Budget forms. Amounts are typed in Dutch notation (3.000,00) and become integer cents."""

import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.cases.forms import DATE_WIDGET, OneTimeTokenForm
from doorbraak.core import dates
from doorbraak.core.choices import Funder
from doorbraak.core.dates import BoundedDateField
from doorbraak.core.forms import BoundedModelChoiceField, SafeTextMixin
from doorbraak.core.money import MAX_INPUT_LENGTH, MoneyError, parse_euro

from .models import MAX_AMOUNT_CENTS, CatalogueItem, Confidence, Plan, PlanShare, Rhythm, Scenario, SourceType, Unit


class EuroField(forms.CharField):
    """'€ 3.000,00', '3000', '3000,5' -> 300000 (cents), through core.money.parse_euro (Dutch notation only).
    Refuses negative, zero (unless allow_zero) and absurd amounts."""

    def __init__(self, *args, allow_zero=False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("help_text", _("In euro's, bijvoorbeeld 3.000,00"))
        kwargs.setdefault("max_length", MAX_INPUT_LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_euro(text, allow_zero=self.allow_zero, max_cents=MAX_AMOUNT_CENTS)
        except MoneyError as err:
            raise forms.ValidationError(err.message, code=err.code) from None

    def run_validators(self, value):
        # max_length applies to the typed text (checked in to_python's bound), not to the cents.
        return None


class PlanSettingsForm(SafeTextMixin, forms.ModelForm):
    horizon_years = forms.IntegerField(
        label=_("Looptijd in jaren (1 tot en met 5)"),
        error_messages={"invalid": _("Vul een heel aantal jaren in.")},
    )

    class Meta:
        model = Plan
        fields = [
            "horizon_years",
            "outcome_do_nothing",
            "outcome_regular",
            "outcome_custom",
            "justification_legality",
            "justification_return",
            "justification_engagement",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields[1:]}

    def clean_horizon_years(self):
        value = self.cleaned_data["horizon_years"]
        if not 1 <= value <= 5:
            raise forms.ValidationError(_("Kies een looptijd van 1 tot en met 5 jaar."))
        return value


class PlanLineForm(SafeTextMixin, forms.Form):
    """A cost line: a price per unit, a quantity per time, how often, from which month until which month (or how
    many times). Months are typed 1-based ("maand 1" is the plan's first month) and stored 0-based."""

    scenario = forms.ChoiceField(label=_("Scenario"), choices=Scenario.choices)
    catalogue_item = BoundedModelChoiceField(
        label=_("Uit de kostenkengetallen (optioneel)"),
        queryset=CatalogueItem.objects.none(),
        required=False,
        help_text=_(
            "Kiest u een kostenkengetal, dan worden prijs en eenheid daaruit overgenomen (geïndexeerd naar dit jaar), "
            "en de financier die erbij hoort als voorstel. Kiest u hieronder zelf wie betaalt, dan geldt uw keuze."
        ),
    )
    description = forms.CharField(label=_("Omschrijving"), max_length=200, required=False)
    unit = forms.ChoiceField(
        label=_("Eenheid van de prijs"), choices=[("", "---------")] + list(Unit.choices), required=False
    )
    amount = EuroField(label=_("Prijs per eenheid"), required=False)
    quantity = forms.DecimalField(
        label=_("Aantal per keer"),
        min_value=Decimal("0.01"),
        max_value=100_000,
        decimal_places=2,
        initial=1,
        localize=True,
        help_text=_("Bijvoorbeeld 4 (uur per week) of 1 (abonnement per maand)."),
        error_messages={"invalid": _("Vul een aantal in, bijvoorbeeld 4 of 2,5.")},
    )
    rhythm = forms.ChoiceField(label=_("Hoe vaak"), choices=Rhythm.choices, initial=Rhythm.MONTH)
    start_month = forms.IntegerField(
        label=_("Vanaf maand"),
        min_value=1,
        max_value=60,
        initial=1,
        help_text=_("Maand 1 is de eerste maand van het plan."),
        error_messages={"invalid": _("Vul een maand in als heel getal, bijvoorbeeld 1.")},
    )
    end_month = forms.IntegerField(
        label=_("Tot en met maand (optioneel)"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Leeg laten en hieronder het aantal keer invullen kan ook. Niet nodig bij eenmalig."),
        error_messages={"invalid": _("Vul een maand in als heel getal, bijvoorbeeld 12.")},
    )
    duration = forms.DecimalField(
        label=_("Of: aantal keer (weken, maanden, jaren of dagen)"),
        min_value=Decimal("0.01"),
        max_value=100_000,
        decimal_places=2,
        required=False,
        initial=1,
        localize=True,
        help_text=_("Bijvoorbeeld 30 bij 'per week': dertig weken. Een laatste maand gaat voor."),
        error_messages={"invalid": _("Vul een aantal in, bijvoorbeeld 30.")},
    )
    funder = forms.ChoiceField(
        label=_("Wie betaalt"),
        choices=[("", "---------")] + list(Funder.choices),
        required=False,
        help_text=_("Leeg laten bij een kostenkengetal: dan geldt de financier van het kostenkengetal."),
    )

    def __init__(self, *args, municipality=None, funder_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipality is not None:
            self.fields["catalogue_item"].queryset = CatalogueItem.objects.filter(municipality=municipality)
        if funder_choices is not None:
            self.fields["funder"].choices = [("", "---------")] + list(funder_choices)

    def clean(self):
        data = super().clean()
        if data.get("catalogue_item") is None:
            for name, message in (
                ("description", _("Vul een omschrijving in of kies een kostenkengetal.")),
                ("unit", _("Kies een eenheid of een kostenkengetal.")),
                ("amount", _("Vul een prijs in of kies een kostenkengetal.")),
                ("funder", _("Kies wie betaalt of kies een kostenkengetal.")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        start, end = data.get("start_month"), data.get("end_month")
        if start and end and end < start and "end_month" not in self.errors:
            self.add_error("end_month", _("De laatste maand ligt vóór de eerste maand."))
        rhythm = data.get("rhythm")
        if (
            rhythm
            and rhythm != Rhythm.ONCE
            and not end
            and not data.get("duration")
            and not self.errors.get("duration")
        ):
            self.add_error("end_month", _("Vul in tot en met welke maand, of hoe vaak."))
        return data

    def line_fields(self, item_price=None) -> dict:
        """The service's keyword arguments (months 0-based; catalogue values where the user typed nothing)."""
        d = self.cleaned_data
        item = d["catalogue_item"]
        return {
            "scenario": d["scenario"],
            "catalogue_item": item,
            "description": d["description"] or (item.name if item else ""),
            "unit": d["unit"] or (item.unit if item else ""),
            "amount_cents": d["amount"] if d["amount"] else item_price,
            "funder": d["funder"] or (item.funder if item else ""),
            "quantity": d["quantity"],
            "rhythm": d["rhythm"],
            "duration": d["duration"] or Decimal(1),
            "start_month": d["start_month"] - 1,
            "end_month": d["end_month"] - 1 if d["end_month"] else None,
        }


class SharesForm(SafeTextMixin, forms.Form):
    """The split of the custom plan over funders: one field per funder, percentages or amounts."""

    mode = forms.ChoiceField(
        label=_("Ik vul in"),
        choices=[("percent", _("percentages (samen 100%)")), ("amount", _("bedragen (samen het totaal)"))],
        widget=forms.RadioSelect,
        initial="percent",
    )

    def __init__(self, *args, funders=(), external=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.funders = list(funders)
        for code, label in self.funders:
            self.fields[f"share_{code}"] = forms.CharField(
                label=label, required=False, max_length=MAX_INPUT_LENGTH, help_text=_("Bijvoorbeeld 60 of 1.250,00")
            )
            if code in external:
                self.fields[f"pre_{code}"] = forms.BooleanField(
                    label=_("Gemeente schiet het deel van %(f)s voor (en vordert het daarna terug)") % {"f": label},
                    required=False,
                )

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        values = {}
        for code, _label in self.funders:
            text = (data.get(f"share_{code}") or "").strip()
            if not text:
                continue
            if mode == "percent":
                try:
                    value = Decimal(text.replace("%", "").replace(" ", "").replace(",", "."))
                except ArithmeticError:
                    self.add_error(f"share_{code}", _("Vul een percentage in, bijvoorbeeld 60 of 12,5."))
                    continue
                if not value.is_finite() or value < 0 or value > 100 or value != value.quantize(Decimal("0.01")):
                    self.add_error(
                        f"share_{code}",
                        _("Een percentage ligt tussen 0 en 100, met hoogstens twee cijfers achter de komma."),
                    )
                    continue
            else:
                try:
                    value = parse_euro(text, allow_zero=True, max_cents=MAX_AMOUNT_CENTS)
                except MoneyError as err:
                    self.add_error(f"share_{code}", err.message)
                    continue
            values[code] = value
        data["values"] = values
        data["prefinanced"] = {code for code, _label in self.funders if data.get(f"pre_{code}")}
        return data


class AgreementForm(SafeTextMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Stand van de afspraak"),
        choices=[(v, lbl) for v, lbl in PlanShare.Agreement.choices if v != PlanShare.Agreement.PROPOSED],
    )
    on = BoundedDateField(
        label=_("Datum"),
        widget=DATE_WIDGET,
        date_range=dates.RECENT_PAST,
        future_message=_("Deze datum ligt in de toekomst."),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 2026-03-31.")},
    )
    reference = forms.CharField(label=_("Kenmerk van de afspraak of het document"), max_length=120, required=False)


class OnceForm(SafeTextMixin, forms.Form):
    """A hidden one-time token makes a double submit harmless."""

    # As long as LedgerEntry.idempotency_key (64) and plain: a longer token made PostgreSQL answer 500.
    token = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{1,64}\Z",
        max_length=64,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Dit formulier is niet meer geldig. Open het opnieuw."),
            "max_length": _("Dit formulier is niet meer geldig. Open het opnieuw."),
            "required": _("Dit formulier is niet meer geldig. Open het opnieuw."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["token"] = uuid.uuid4().hex


class PaymentForm(OnceForm):
    amount = EuroField(label=_("Bedrag"))
    description = forms.CharField(label=_("Waarvoor (bijvoorbeeld: NS-jaarabonnement)"), max_length=200)


class LoanForm(OnceForm):
    amount = EuroField(label=_("Bedrag van de lening"))
    condition = forms.CharField(label=_("Voorwaarde"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = BoundedDateField(
        label=_("Uiterste datum van de voorwaarde"),
        widget=forms.DateInput(attrs={"type": "date"}),
        date_range=dates.LOAN_DEADLINE,
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 2026-12-31.")},
    )


class LoanOutcomeForm(SafeTextMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        widget=forms.RadioSelect,
        choices=[
            ("repay_from_income", _("Voorwaarde gehaald: aflossen uit inkomen")),
            ("repay_in_full", _("Voorwaarde niet gehaald door eigen schuld: direct volledig terugbetalen")),
        ],
    )


class RepaymentForm(OnceForm):
    amount = EuroField(label=_("Afgelost bedrag"))


class ReclaimForm(OnceForm):
    funder = forms.ChoiceField(label=_("Terugvorderen bij"), choices=Funder.choices)
    amount = EuroField(label=_("Bedrag"))


class ReturnForm(SafeTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden om terug te sturen"),
        max_length=300,
        error_messages={"required": _("Geef een reden waarom het plan terug gaat.")},
    )


class CatalogueChangeForm(SafeTextMixin, forms.Form):
    amount = EuroField(label=_("Nieuw bedrag"))
    price_year = forms.IntegerField(label=_("Prijsjaar"), min_value=1990, max_value=2100)
    source = forms.CharField(label=_("Bron"), widget=forms.Textarea(attrs={"rows": 2}))
    source_type = forms.ChoiceField(label=_("Soort bron"), choices=SourceType.choices)
    confidence = forms.ChoiceField(label=_("Betrouwbaarheid"), choices=Confidence.choices)
    reason = forms.CharField(label=_("Reden van de wijziging"), max_length=300)


class CatalogueAddForm(SafeTextMixin, forms.Form):
    name = forms.CharField(label=_("Omschrijving"), max_length=200)
    code = forms.SlugField(label=_("Code (letters, cijfers, liggend streepje)"), max_length=80)
    unit = forms.ChoiceField(label=_("Eenheid"), choices=Unit.choices)
    amount = EuroField(label=_("Bedrag"))
    funder = forms.ChoiceField(label=_("Financier"), choices=Funder.choices)
    price_year = forms.IntegerField(
        label=_("Prijsjaar"), min_value=1990, max_value=2100, initial=lambda: timezone.localdate().year
    )
    source = forms.CharField(label=_("Bron"), widget=forms.Textarea(attrs={"rows": 2}))
    source_type = forms.ChoiceField(label=_("Soort bron"), choices=SourceType.choices)
    confidence = forms.ChoiceField(label=_("Betrouwbaarheid"), choices=Confidence.choices)


class FundForm(OnceForm):
    team = BoundedModelChoiceField(label=_("Team"), queryset=None)
    year = forms.IntegerField(
        label=_("Jaar"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    name = forms.CharField(label=_("Naam"), max_length=120, initial=_("Handgeld"))
    amount = EuroField(label=_("Bedrag"))

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class RealisedCostForm(OneTimeTokenForm):
    funder = forms.ChoiceField(
        label=_("Financier"),
        choices=[("", "–")] + list(Funder.choices),
        error_messages={"required": _("Kies een financier."), "invalid_choice": _("Kies een financier.")},
    )
    amount = EuroField(
        label=_("Werkelijke kosten vanaf de start van het plan"),
        allow_zero=True,
        help_text=_(
            "Het totaal tot en met de datum hieronder, in euro's, bijvoorbeeld 1.250,00. "
            "Een nieuwe invoer vervangt de vorige voor deze financier."
        ),
    )
    up_to = BoundedDateField(
        label=_("Kosten tot en met"),
        widget=DATE_WIDGET,
        date_range=dates.RECENT_PAST,
        future_message=_("Deze datum ligt in de toekomst. Leg kosten vast die al gemaakt zijn."),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 2026-03-31.")},
    )
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("up_to", timezone.localdate())

    def clean_up_to(self):
        value = self.cleaned_data.get("up_to")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst. Leg kosten vast die al gemaakt zijn."))
        return value
