"""Forms of the case file. Validation messages in plain Dutch; bound forms are re-rendered on errors."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.core import dates
from doorbraak.core.choices import Funder
from doorbraak.core.dates import BoundedDateField
from doorbraak.core.forms import BoundedModelChoiceField, SafeTextMixin
from doorbraak.core.models import Organisation, Team, User
from doorbraak.core.permissions import CASE_OPENERS
from doorbraak.core.validators import is_valid_bsn

from .models import Case, FollowUpMoment, LifeDomain, ParticipationStep, Person, ZrmScore
from .services import MAX_MONTHS, MAX_WEEKS, MIN_MONTHS, MIN_WEEKS

BSN_ERROR = _("Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en de elfproef doorstaan.")
OTHER_MUNICIPALITY_ERROR = _("Deze professional hoort niet bij uw gemeente.")
SCORE_ERROR = _("Kies een score van 1 tot en met 5.")
BIRTH_FUTURE_ERROR = _("De geboortedatum ligt in de toekomst. Controleer de datum.")
HELD_FUTURE_ERROR = _("De datum ligt in de toekomst. Een evaluatie kan pas na afloop als gehouden worden vastgelegd.")


class OneTimeTokenForm(SafeTextMixin, forms.Form):
    """Carries a hidden one-time token; services refuse a token that was used before (double submit)."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


def _clean_bsn(value):
    value = (value or "").replace(" ", "").replace(".", "")
    if value and not is_valid_bsn(value):
        raise forms.ValidationError(BSN_ERROR)
    return value


def _clean_birth_date(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("De geboortedatum ligt in de toekomst. Controleer de datum."))
    return value


def score_field(label, required=False):
    return forms.TypedChoiceField(
        label=label,
        required=required,
        coerce=int,
        empty_value=None,
        choices=[("", _("Niet gescoord"))] + list(ZrmScore.choices),
        error_messages={"invalid_choice": SCORE_ERROR},
    )


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseCreateForm(OneTimeTokenForm):
    name_fields = ("area",)

    title = forms.CharField(label=_("Korte titel van de casus"), max_length=160)
    team = BoundedModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        error_messages={"invalid_choice": _("Kies een team van uw gemeente.")},
    )
    area = forms.CharField(label=_("Wijk of gebied"), max_length=120, required=False)
    first_name = forms.CharField(label=_("Voornaam hoofdpersoon"), max_length=80)
    last_name = forms.CharField(label=_("Achternaam hoofdpersoon"), max_length=120)
    date_of_birth = BoundedDateField(
        label=_("Geboortedatum hoofdpersoon"),
        widget=DATE_WIDGET,
        date_range=dates.BIRTH,
        future_message=BIRTH_FUTURE_ERROR,
        help_text=_("Bijvoorbeeld 2001-05-17."),
    )
    bsn = forms.CharField(
        label=_("BSN (niet verplicht)"),
        max_length=11,
        required=False,
        help_text=_("Wordt gecontroleerd met de elfproef en nooit in een adres (URL) getoond."),
    )
    question = forms.CharField(label=_("De hulpvraag in de woorden van het huishouden"), widget=forms.Textarea)
    tried = forms.CharField(label=_("Wat is al geprobeerd?"), widget=forms.Textarea, required=False)
    stuck_since = BoundedDateField(
        label=_("Vastgelopen sinds (niet verplicht)"),
        widget=DATE_WIDGET,
        required=False,
        date_range=dates.LONG_PAST,
        future_message=_("Deze datum ligt in de toekomst."),
    )
    funders = forms.MultipleChoiceField(
        label=_("Wetten en financiers die al betrokken zijn"),
        required=False,
        choices=Funder.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(municipality_id=user.municipality_id)
        from .selectors_list import extension

        if extension() is not None:  # issue 16: the platform filter (settings.CASE_LIST_EXTENSION)
            self.fields["platform"] = forms.ChoiceField(
                label=_("Casusplatform"),
                required=False,
                choices=[("", _("Alle")), ("voorbij", _("Drie weken voorbij zonder doorbraak"))],
            )
        if user.team_id and not self.is_bound:
            self.initial.setdefault("team", user.team_id)
        for domain, label in LifeDomain.choices:
            self.fields[f"score_{domain}"] = score_field(_("Zelfredzaamheid: %(domain)s") % {"domain": label})

    def clean_bsn(self):
        return _clean_bsn(self.cleaned_data.get("bsn"))

    def clean_date_of_birth(self):
        return _clean_birth_date(self.cleaned_data.get("date_of_birth"))

    def clean_stuck_since(self):
        value = self.cleaned_data.get("stuck_since")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return value

    def scores(self) -> dict[str, int]:
        return {
            d: self.cleaned_data[f"score_{d}"]
            for d, _l in LifeDomain.choices
            if self.cleaned_data.get(f"score_{d}") is not None
        }


class MemberForm(OneTimeTokenForm):
    first_name = forms.CharField(label=_("Voornaam"), max_length=80)
    last_name = forms.CharField(label=_("Achternaam"), max_length=120)
    date_of_birth = BoundedDateField(
        label=_("Geboortedatum"), widget=DATE_WIDGET, date_range=dates.BIRTH, future_message=BIRTH_FUTURE_ERROR
    )
    bsn = forms.CharField(
        label=_("BSN (niet verplicht)"),
        max_length=11,
        required=False,
        help_text=_("Wordt gecontroleerd met de elfproef."),
    )
    relation = forms.ChoiceField(label=_("Relatie"), choices=Person.Relation.choices, initial=Person.Relation.CHILD)

    def clean_bsn(self):
        return _clean_bsn(self.cleaned_data.get("bsn"))

    def clean_date_of_birth(self):
        return _clean_birth_date(self.cleaned_data.get("date_of_birth"))


class ScoreForm(OneTimeTokenForm):
    """Re-scoring: every domain filled in adds a new row; history is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for domain, label in LifeDomain.choices:
            self.fields[f"score_{domain}"] = score_field(label)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.scores():
            raise forms.ValidationError(_("Vul minstens één score in."))
        return cleaned

    def scores(self) -> dict[str, int]:
        return {
            d: self.cleaned_data[f"score_{d}"]
            for d, _l in LifeDomain.choices
            if self.cleaned_data.get(f"score_{d}") is not None
        }


class ProfessionalChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        org = obj.organisation.name if obj.organisation_id else _("geen organisatie")
        return f"{obj.get_full_name() or obj.username} ({org})"


def professionals_of(municipality_id):
    return (
        User.objects.filter(
            municipality_id=municipality_id, is_active=True, role__in=CASE_OPENERS
        )  # who can be involved (services check it too)
        .select_related("organisation")
        .order_by("last_name", "first_name")
    )


class InvolvementForm(OneTimeTokenForm):
    name_fields = ("role_in_case",)

    user = ProfessionalChoiceField(
        label=_("Professional"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": OTHER_MUNICIPALITY_ERROR},
    )
    role_in_case = forms.CharField(
        label=_("Rol in de casus"),
        max_length=120,
        help_text=_("Bijvoorbeeld: casusregisseur, woonconsulent, behandelaar."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = professionals_of(user.municipality_id)


class ConsentForm(OneTimeTokenForm):
    organisation = BoundedModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("Kies een organisatie van uw gemeente.")},
    )
    scope = forms.CharField(
        label=_("Wat mag gedeeld worden"),
        max_length=300,
        help_text=_("Bijvoorbeeld: hulpvraag, woonsituatie en schulden; geen medische gegevens."),
    )
    given_on = BoundedDateField(
        label=_("Datum toestemming"),
        widget=DATE_WIDGET,
        date_range=dates.RECENT_PAST,
        future_message=_("De datum van de toestemming ligt in de toekomst."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(municipality_id=user.municipality_id)
        if not self.is_bound:
            self.initial.setdefault("given_on", timezone.localdate())

    def clean_given_on(self):
        value = self.cleaned_data.get("given_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("De datum van de toestemming ligt in de toekomst."))
        return value


class CaseFilterForm(SafeTextMixin, forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Alle"))] + list(Case.Status.choices))
    domain = forms.ChoiceField(
        label=_("Levensdomein"), required=False, choices=[("", _("Alle"))] + list(LifeDomain.choices)
    )
    team = BoundedModelChoiceField(label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("Alle"))
    stuck_weeks = forms.IntegerField(label=_("Langer vast dan (weken)"), required=False, min_value=0, max_value=520)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(municipality_id=user.municipality_id)
        from .selectors_list import extension

        if extension() is not None:  # issue 16: the platform filter (settings.CASE_LIST_EXTENSION)
            self.fields["platform"] = forms.ChoiceField(
                label=_("Casusplatform"),
                required=False,
                choices=[("", _("Alle")), ("voorbij", _("Drie weken voorbij zonder doorbraak"))],
            )


# --------------------------------------------------------------------------------------------------
# Follow-up (nazorg)
# --------------------------------------------------------------------------------------------------

WEEKS_ERROR = _("Kies een aantal weken van 1 tot en met 26.")
MONTHS_ERROR = _("Kies een aantal maanden van 1 tot en met 24.")
SATISFACTION_ERROR = _("Kies een cijfer van 1 tot en met 10.")
FUTURE_ERROR = _("Deze datum ligt in de toekomst.")


def _not_future(value, message=FUTURE_ERROR):
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


class FollowUpScheduleForm(OneTimeTokenForm):
    start = BoundedDateField(
        label=_("Vanaf"),
        widget=DATE_WIDGET,
        date_range=dates.NEAR,
        help_text=_("Standaard de datum van de doorbraak; zonder doorbraak vandaag."),
    )
    interval_weeks = forms.IntegerField(
        label=_("Elke zoveel weken een evaluatie"),
        min_value=MIN_WEEKS,
        max_value=MAX_WEEKS,
        initial=4,
        help_text=_("1 tot en met 26 weken."),
        error_messages={"invalid": WEEKS_ERROR, "min_value": WEEKS_ERROR, "max_value": WEEKS_ERROR},
    )
    months = forms.IntegerField(
        label=_("Gedurende hoeveel maanden"),
        min_value=MIN_MONTHS,
        max_value=MAX_MONTHS,
        initial=3,
        help_text=_("1 tot en met 24 maanden."),
        error_messages={"invalid": MONTHS_ERROR, "min_value": MONTHS_ERROR, "max_value": MONTHS_ERROR},
    )

    def __init__(self, *args, default_start=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and default_start is not None:
            self.initial.setdefault("start", default_start)


class FollowUpMomentForm(OneTimeTokenForm):
    due_on = BoundedDateField(label=_("Datum van de evaluatie"), widget=DATE_WIDGET, date_range=dates.NEAR)

    def clean_due_on(self):
        value = self.cleaned_data.get("due_on")
        if value and value > dates.add_months(timezone.localdate(), MAX_MONTHS):
            raise forms.ValidationError(_("Plan een evaluatie binnen twee jaar."))
        return value


class HoldFollowUpForm(OneTimeTokenForm):
    done_on = BoundedDateField(
        label=_("Gehouden op"), widget=DATE_WIDGET, date_range=dates.RECENT_PAST, future_message=HELD_FUTURE_ERROR
    )
    note = forms.CharField(label=_("Wat kwam eruit?"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("done_on", timezone.localdate())

    def clean_done_on(self):
        return _not_future(
            self.cleaned_data.get("done_on"),
            _("De datum ligt in de toekomst. Een evaluatie kan pas na afloop als gehouden worden vastgelegd."),
        )


def satisfaction_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=10,
        help_text=_("Een cijfer van 1 tot en met 10; leeg laten mag."),
        error_messages={
            "invalid": SATISFACTION_ERROR,
            "min_value": SATISFACTION_ERROR,
            "max_value": SATISFACTION_ERROR,
        },
    )


class MomentChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        day = dates.dutch(obj.due_on)
        if obj.done_on:
            return _("Evaluatie van %(d)s (al gehouden)") % {"d": day}
        return _("Evaluatie van %(d)s") % {"d": day}


class MeasurementForm(OneTimeTokenForm):
    """An outcome measurement; ZRM scores filled in become new DomainScore rows of the same date."""

    measured_on = BoundedDateField(
        label=_("Datum van de meting"),
        widget=DATE_WIDGET,
        date_range=dates.RECENT_PAST,
        future_message=_("De datum van de meting ligt in de toekomst."),
    )
    follow_up = MomentChoiceField(
        label=_("Hoort bij evaluatiemoment (niet verplicht)"),
        queryset=FollowUpMoment.objects.none(),
        required=False,
        empty_label=_("Geen"),
        help_text=_("Het gekozen evaluatiemoment komt daarmee op gehouden te staan."),
        error_messages={"invalid_choice": _("Kies een evaluatiemoment van deze casus.")},
    )
    participation_step = forms.TypedChoiceField(
        label=_("Trede op de participatieladder"),
        coerce=int,
        choices=[("", "–")] + list(ParticipationStep.choices),
        error_messages={
            "required": _("Kies een trede van de participatieladder."),
            "invalid_choice": _("Kies een trede van 1 tot en met 6."),
        },
    )
    client_satisfaction = satisfaction_field(_("Tevredenheid van de cliënt (1–10)"))
    professional_satisfaction = satisfaction_field(_("Tevredenheid van de professional (1–10)"))
    note = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up"].queryset = FollowUpMoment.objects.filter(case=case).order_by("due_on", "id")
        for domain, label in LifeDomain.choices:
            self.fields[f"score_{domain}"] = score_field(_("Zelfredzaamheid nu: %(domain)s") % {"domain": label})
        if not self.is_bound:
            self.initial.setdefault("measured_on", timezone.localdate())

    def clean_measured_on(self):
        return _not_future(self.cleaned_data.get("measured_on"), _("De datum van de meting ligt in de toekomst."))

    def scores(self) -> dict[str, int]:
        return {
            d: self.cleaned_data[f"score_{d}"]
            for d, _l in LifeDomain.choices
            if self.cleaned_data.get(f"score_{d}") is not None
        }
