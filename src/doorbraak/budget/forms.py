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

from .models import MAX_AMOUNT_CENTS, CatalogueItem, Confidence, Plan, Scenario, SourceType, Unit


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
    scenario = forms.ChoiceField(label=_("Scenario"), choices=Scenario.choices)
    catalogue_item = BoundedModelChoiceField(
        label=_("Uit de kostenkengetallen (optioneel)"),
        queryset=CatalogueItem.objects.none(),
        required=False,
        help_text=_(
            "Kiest u een kostenkengetal, dan worden prijs, eenheid en financier daaruit overgenomen "
            "(geïndexeerd naar dit jaar)."
        ),
    )
    description = forms.CharField(label=_("Omschrijving"), max_length=200, required=False)
    unit = forms.ChoiceField(label=_("Eenheid"), choices=Unit.choices, required=False)
    amount = EuroField(label=_("Prijs per eenheid"), required=False)
    quantity = forms.DecimalField(
        label=_("Aantal"), min_value=Decimal("0.01"), max_value=100_000, decimal_places=2, initial=1, localize=True
    )
    duration = forms.DecimalField(
        label=_("Duur (aantal eenheden)"),
        min_value=Decimal("0.01"),
        max_value=100_000,
        decimal_places=2,
        initial=1,
        localize=True,
        help_text=_("Bij 'per maand' en 18: achttien maanden. Bij 'per stuk': meestal 1."),
    )
    start_month = forms.IntegerField(
        label=_("Start (aantal maanden na het begin)"), min_value=0, max_value=59, initial=0
    )
    funder = forms.ChoiceField(
        label=_("Wie betaalt"), choices=[("", "---------")] + list(Funder.choices), required=False
    )

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipality is not None:
            self.fields["catalogue_item"].queryset = CatalogueItem.objects.filter(municipality=municipality)

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
        return data


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
    reason = forms.CharField(label=_("Reden om terug te sturen"), max_length=300)


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
