"""Forms for system-barrier themes, policy proposals and learning sessions (Dutch labels and errors)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.cases.forms import DATE_WIDGET, OneTimeTokenForm
from doorbraak.core import dates
from doorbraak.core.dates import BoundedDateField
from doorbraak.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from doorbraak.platforms.models import BlockerTag

from ..models import PolicyProposal, Story, Theme
from . import selectors

STORY_CHOICE_ERROR = _("Kies alleen goedgekeurde of gepubliceerde verhalen van uw gemeente.")


class ThemeForm(OneTimeTokenForm):
    name = forms.CharField(
        label=_("Naam van het thema"), max_length=120, help_text=_("Bijvoorbeeld “Regels die botsen”.")
    )
    description = forms.CharField(label=_("Beschrijving"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    codes = forms.MultipleChoiceField(
        label=_("Blokkades die bij dit thema horen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "De blokkades die professionals noemen bij de evaluatie van een casusplatform. Een blokkade hoort "
            "bij één thema."
        ),
        error_messages={"invalid_choice": _("Kies alleen blokkades uit de lijst.")},
    )

    def __init__(self, *args, municipality, theme=None, **kwargs):
        super().__init__(*args, **kwargs)
        owners = selectors.code_owners(municipality)
        choices = []
        for code, label in BlockerTag.choices:
            owner = owners.get(code)
            if owner is not None and (theme is None or owner.pk != theme.pk):
                label = _("%(label)s (nu bij thema ‘%(theme)s’)") % {"label": label, "theme": owner.name}
            choices.append((code, label))
        self.fields["codes"].choices = choices
        if theme is not None and not self.is_bound:
            self.initial.update(
                {
                    "name": theme.name,
                    "description": theme.description,
                    "codes": [c for c, owner in owners.items() if owner.pk == theme.pk],
                }
            )


class ProposalForm(OneTimeTokenForm):
    text = forms.CharField(
        label=_("Voorstel voor een beleidsaanpassing"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Wat moet er anders in regels, financiering of werkwijze? Noem geen namen of andere gegevens van cliënten."
        ),
    )


class DecisionForm(OneTimeTokenForm):
    status = forms.ChoiceField(
        label=_("Besluit"),
        widget=forms.RadioSelect,
        choices=[
            (PolicyProposal.Status.ADOPTED, PolicyProposal.Status.ADOPTED.label),
            (PolicyProposal.Status.REJECTED, PolicyProposal.Status.REJECTED.label),
        ],
        error_messages={
            "required": _("Kies of het voorstel is overgenomen of afgewezen."),
            "invalid_choice": _("Kies of het voorstel is overgenomen of afgewezen."),
        },
    )
    decided_on = BoundedDateField(
        label=_("Datum van het besluit"),
        widget=DATE_WIDGET,
        date_range=dates.RECENT_PAST,
        future_message=_("De datum van het besluit ligt in de toekomst. Leg een besluit vast nadat het is genomen."),
        help_text=_("Niet in de toekomst."),
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 2025-06-01.")},
    )
    decision_note = forms.CharField(label=_("Toelichting bij het besluit"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("decided_on", timezone.localdate())


class StoryChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        title = obj.title or _("Verhaal %(n)s") % {"n": obj.pk}
        return f"{title} ({obj.period})" if obj.period else title


class SessionForm(OneTimeTokenForm):
    name_fields = ("topic",)

    held_on = BoundedDateField(
        label=_("Datum van de leersessie"),
        widget=DATE_WIDGET,
        date_range=dates.RECENT_PAST,
        future_message=_("De datum ligt in de toekomst. Leg een leersessie vast nadat hij is gehouden."),
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 2025-06-01.")},
    )
    topic = forms.CharField(
        label=_("Onderwerp, gekozen door de professionals"),
        max_length=200,
        help_text=_("Bijvoorbeeld “Privacy: wat mag en kan wél”."),
    )
    theme = BoundedModelChoiceField(
        label=_("Hoort bij systeemthema (niet verplicht)"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("Geen systeemthema"),
        error_messages={"invalid_choice": _("Kies een thema van uw gemeente.")},
    )
    stories = StoryChoiceField(
        label=_("Besproken verhalen (geanonimiseerd)"),
        queryset=Story.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen goedgekeurde of gepubliceerde verhalen van uw gemeente."),
        error_messages={"invalid_choice": STORY_CHOICE_ERROR, "invalid_pk_value": STORY_CHOICE_ERROR},
    )
    attendees = forms.IntegerField(
        label=_("Aantal deelnemers"),
        min_value=1,
        max_value=1000,
        error_messages={
            "min_value": _("Vul in hoeveel mensen er waren (minstens 1)."),
            "max_value": _("Vul een aantal tot en met 1000 in."),
            "invalid": _("Vul een heel getal in."),
        },
    )
    takeaways = forms.CharField(
        label=_("Wat namen de deelnemers mee?"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    needs = forms.CharField(
        label=_("Wat hebben ze nodig om het toe te passen?"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, municipality, theme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(municipality=municipality).order_by("name")
        self.fields["stories"].queryset = selectors.discussable_stories(municipality)
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())
            if theme is not None:
                self.initial.setdefault("theme", theme.pk)
