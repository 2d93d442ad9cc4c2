"""Forms of the case platform."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.cases.forms import (
    DATE_WIDGET,
    OTHER_MUNICIPALITY_ERROR,
    OneTimeTokenForm,
    ProfessionalChoiceField,
    professionals_of,
)
from doorbraak.core import dates
from doorbraak.core.dates import BoundedDateField
from doorbraak.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from doorbraak.core.models import Organisation, User

from .models import BlockerTag, Escalation, PlatformParticipant, SolutionKind

SOLUTION_KIND_ERROR = _("Kies wat voor maatwerkoplossing de doorbraak bracht.")
NAME_WITHOUT_CONSENT = _(
    "Vul alleen een naam in als deze deelnemer ermee instemt met naam te worden vastgelegd. Zonder die instemming "
    "staat alleen de organisatie en de rol op het casusplatform."
)
WITHOUT_ORGANISATION_NEEDS_CLIENT = _(
    "Iemand zonder organisatie, zoals een familielid of een buurvrouw, zit alleen aan tafel als de cliënt daarmee "
    "instemt. Vraag het de cliënt en vink het dan aan, of kies een organisatie."
)
DEADLINE_ERROR = _("De deadline ligt vóór de datum van het casusplatform. Kies een latere datum.")


class ProfessionalsField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        org = obj.organisation.name if obj.organisation_id else _("geen organisatie")
        return f"{obj.get_full_name() or obj.username} ({org})"


class ConveneForm(OneTimeTokenForm):
    convened_on = BoundedDateField(label=_("Datum van het casusplatform"), widget=DATE_WIDGET, date_range=dates.NEAR)
    first_problem = forms.CharField(label=_("Het eerste probleem, zoals de cliënt het noemt"), widget=forms.Textarea)
    client_present = forms.BooleanField(label=_("De cliënt is erbij"), required=False)
    experience_expert_present = forms.BooleanField(label=_("Er is een ervaringsdeskundige bij"), required=False)
    invited = ProfessionalsField(
        label=_("Uitgenodigde professionals"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": OTHER_MUNICIPALITY_ERROR, "invalid_pk_value": OTHER_MUNICIPALITY_ERROR},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = professionals_of(user.municipality_id).exclude(pk=user.pk)
        if not self.is_bound:
            self.initial.setdefault("convened_on", timezone.localdate())


class InviteForm(OneTimeTokenForm):
    name_fields = ("role",)

    user = ProfessionalChoiceField(
        label=_("Professional"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": OTHER_MUNICIPALITY_ERROR},
    )
    role = forms.CharField(label=_("Rol aan tafel"), max_length=120, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = professionals_of(user.municipality_id)


class ActionForm(OneTimeTokenForm):
    what = forms.CharField(label=_("Wat moet er gebeuren?"), max_length=300)
    owner = BoundedModelChoiceField(
        label=_("Wie doet het?"),
        queryset=PlatformParticipant.objects.none(),
        error_messages={
            "required": _("Kies wie deze actie uitvoert."),
            "invalid_choice": _("Kies een deelnemer van dit casusplatform."),
        },
    )
    due_on = BoundedDateField(label=_("Uiterlijk op"), widget=DATE_WIDGET, date_range=dates.NEAR)

    def __init__(self, *args, platform, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform = platform
        self.fields["owner"].queryset = platform.participants.select_related("user", "organisation")

    def clean_due_on(self):
        value = self.cleaned_data.get("due_on")
        if value and value < self.platform.convened_on:
            raise forms.ValidationError(DEADLINE_ERROR)
        return value


class DecisionForm(OneTimeTokenForm):
    text = forms.CharField(label=_("Wat is besloten?"), widget=forms.Textarea)
    by_lead = forms.BooleanField(
        label=_("De tafel werd het niet eens: de doorbraakregisseur besluit binnen het mandaat"), required=False
    )

    def __init__(self, *args, allow_lead_decision, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_lead_decision:
            del self.fields["by_lead"]


class BreakthroughForm(OneTimeTokenForm):
    breakthrough_on = BoundedDateField(
        label=_("Datum van de doorbraak"),
        widget=DATE_WIDGET,
        date_range=dates.RECENT_PAST,
        future_message=_("Deze datum ligt in de toekomst."),
    )
    breakthrough = forms.CharField(label=_("Wat is de doorbraak?"), widget=forms.Textarea)
    solution_kind = forms.ChoiceField(
        label=_("Soort maatwerkoplossing"),
        choices=[("", "–")] + list(SolutionKind.choices),
        help_text=_("Wat voor oplossing bracht de doorbraak? Dit telt mee in wat de gemeente leert van casussen."),
        error_messages={"required": SOLUTION_KIND_ERROR, "invalid_choice": SOLUTION_KIND_ERROR},
    )

    def __init__(self, *args, platform, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform = platform
        if not self.is_bound:
            self.initial.setdefault("breakthrough_on", timezone.localdate())

    def clean_breakthrough_on(self):
        value = self.cleaned_data.get("breakthrough_on")
        if value and value < self.platform.convened_on:
            raise forms.ValidationError(_("De doorbraak kan niet vóór het casusplatform liggen."))
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return value


SATISFACTION = [(i, str(i)) for i in range(1, 11)]


class EvaluationForm(OneTimeTokenForm):
    helped = forms.CharField(label=_("Wat hielp?"), widget=forms.Textarea)
    blocked = forms.CharField(label=_("Wat blokkeerde?"), widget=forms.Textarea, required=False)
    blocker_tags = forms.MultipleChoiceField(
        label=_("Wat blokkeerde er (kies wat past)"),
        required=False,
        choices=BlockerTag.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    client_satisfaction = forms.TypedChoiceField(
        label=_("Tevredenheid van de cliënt (1–10)"),
        coerce=int,
        choices=[("", "–")] + SATISFACTION,
        error_messages={"invalid_choice": _("Kies een cijfer van 1 tot en met 10.")},
    )
    professional_satisfaction = forms.TypedChoiceField(
        label=_("Tevredenheid van de professionals (1–10)"),
        coerce=int,
        choices=[("", "–")] + SATISFACTION,
        error_messages={"invalid_choice": _("Kies een cijfer van 1 tot en met 10.")},
    )


class EscalationForm(OneTimeTokenForm):
    level = forms.ChoiceField(label=_("Naar"), choices=Escalation.Level.choices)
    reason = forms.CharField(label=_("Waarom"), widget=forms.Textarea)


class EscalationOutcomeForm(OneTimeTokenForm):
    outcome = forms.CharField(label=_("Uitkomst"), widget=forms.Textarea)
    outcome_on = BoundedDateField(label=_("Datum uitkomst"), widget=DATE_WIDGET, date_range=dates.NEAR)


# --- issue 16: participants without an account ---------------------------------------------------------------
class ExternalParticipantForm(OneTimeTokenForm):
    name_fields = ("name",)
    field_order = ["organisation", "client_agreed", "role", "contact", "may_be_named", "name"]

    organisation = BoundedModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Geen organisatie (bijvoorbeeld een familielid of buur)"),
        help_text=_("Laat leeg voor iemand die niet namens een organisatie aan tafel zit."),
        error_messages={"invalid_choice": _("Kies een organisatie van uw gemeente.")},
    )
    role = forms.CharField(
        label=_("Rol aan tafel"),
        max_length=120,
        help_text=_("Bijvoorbeeld: beoordelaar noodfonds, wijkagent."),
        error_messages={"required": _("Vul in wat deze deelnemer aan tafel doet.")},
    )
    contact = forms.CharField(
        label=_("Hoe te bereiken"),
        max_length=200,
        help_text=_("Telefoonnummer of e-mailadres, bij voorkeur van de organisatie."),
        error_messages={"required": _("Vul in hoe deze deelnemer te bereiken is (telefoon of e-mail).")},
    )
    may_be_named = forms.BooleanField(
        label=_("De deelnemer stemt ermee in met naam te worden vastgelegd"), required=False
    )
    client_agreed = forms.BooleanField(
        label=_("De cliënt stemt ermee in dat deze persoon zonder organisatie aan tafel zit"),
        required=False,
        help_text=_("Alleen nodig als u geen organisatie kiest."),
    )
    name = forms.CharField(
        label=_("Naam"),
        max_length=160,
        required=False,
        help_text=_("Alleen invullen als de deelnemer ermee instemt; anders blijft het bij organisatie en rol."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(municipality_id=user.municipality_id)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("may_be_named"):
            self.add_error("name", NAME_WITHOUT_CONSENT)
        if "organisation" in data and data.get("organisation") is None and not data.get("client_agreed"):
            self.add_error("client_agreed", WITHOUT_ORGANISATION_NEEDS_CLIENT)
        return data
