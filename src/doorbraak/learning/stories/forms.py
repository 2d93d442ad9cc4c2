"""Forms of the anonymised stories and the public precedent register. Dutch labels and errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from doorbraak.core.choices import Funder
from doorbraak.core.forms import SafeTextMixin
from doorbraak.platforms.models import BlockerTag, SolutionKind

from ..models import Story

KIND_ERROR = _("Kies een soort maatwerkoplossing uit de lijst.")


class StoryForm(SafeTextMixin, forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=160,
        help_text=_("Kort en zonder namen, bijvoorbeeld “Een maand huur garant voor een kamer”."),
        error_messages={
            "required": _("Geef het verhaal een titel."),
            "max_length": _("Maak de titel korter: hoogstens %(limit_value)d tekens."),
        },
    )
    text = forms.CharField(
        label=_("Het verhaal"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Schrijf zo dat niemand de persoon herkent: geen namen, BSN, adressen of precieze datums. "
            "Bij opslaan halen we namen en plaatsen uit de casus er opnieuw uit."
        ),
        error_messages={"required": _("Het verhaal mag niet leeg zijn.")},
    )
    solution = forms.CharField(
        label=_("De maatwerkoplossing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat werkte, en waarom dat buiten de gewone regels viel."),
    )
    solution_kind = forms.ChoiceField(
        label=_("Soort maatwerkoplossing"),
        required=False,
        choices=[("", _("Niet gekozen"))] + list(SolutionKind.choices),
        error_messages={"invalid_choice": KIND_ERROR},
    )
    blockers = forms.MultipleChoiceField(
        label=_("Wat blokkeerde"),
        required=False,
        choices=BlockerTag.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies blokkades uit de lijst.")},
    )
    laws = forms.MultipleChoiceField(
        label=_("Wetten en financiers"),
        required=False,
        choices=Funder.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies wetten of financiers uit de lijst.")},
    )

    @classmethod
    def for_story(cls, story: Story, data=None):
        tags = list(story.tags.all())
        initial = {
            "title": story.title,
            "text": story.text,
            "solution": story.solution,
            "solution_kind": story.solution_kind,
            "blockers": [t.code for t in tags if t.kind == "blocker"],
            "laws": [t.code for t in tags if t.kind == "law"],
        }
        return cls(data, initial=initial)

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("Het verhaal mag niet leeg zijn."))
        return text


class PrecedentSearchForm(SafeTextMixin, forms.Form):
    q = forms.CharField(
        label=_("Zoekwoorden"),
        required=False,
        max_length=100,
        help_text=_("Bijvoorbeeld “kamer” of “abonnement”."),
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )
    blocker = forms.ChoiceField(
        label=_("Blokkade"),
        required=False,
        choices=[("", _("Alle blokkades"))] + list(BlockerTag.choices),
        error_messages={"invalid_choice": _("Kies een blokkade uit de lijst.")},
    )
    law = forms.ChoiceField(
        label=_("Wet of financier"),
        required=False,
        choices=[("", _("Alle wetten en financiers"))] + list(Funder.choices),
        error_messages={"invalid_choice": _("Kies een wet of financier uit de lijst.")},
    )
    solution_kind = forms.ChoiceField(
        label=_("Soort oplossing"),
        required=False,
        choices=[("", _("Alle soorten"))] + list(SolutionKind.choices),
        error_messages={"invalid_choice": KIND_ERROR},
    )

    def filters(self) -> dict:
        """The valid filters; an invalid field is left out (its error is shown next to it)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: (v or "").strip() for k, v in self.cleaned_data.items() if v}


class SharedStoryFilterForm(SafeTextMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Goedgekeurd en gepubliceerd")),
            (Story.Status.APPROVED, _("Alleen goedgekeurd, nog niet openbaar")),
            (Story.Status.PUBLISHED, _("Alleen gepubliceerd")),
        ],
        error_messages={"invalid_choice": _("Kies een status uit de lijst.")},
    )
