"""Public forms (with challenge and honeypot), the search form and the moderation forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from doorbraak.core.forms import SafeTextMixin

from .models import REGIONS, Group, Status
from .protection import ChallengeError, new_challenge, read_challenge

HONEYPOT_FIELD = "website"


class ProtectedForm(SafeTextMixin, forms.Form):
    """Adds the signed arithmetic question. The honeypot input is written in the template
    (inside a .db-hp block) and checked by the view through `is_bot`."""

    challenge = forms.CharField(widget=forms.HiddenInput, max_length=500)
    challenge_answer = forms.IntegerField(
        label=_("Rekenvraag"),
        help_text=_("Zo weten we dat u een mens bent. Antwoord met cijfers."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Beantwoord de rekenvraag."),
            "invalid": _("Vul het antwoord in met cijfers, bijvoorbeeld 7."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        token = self.data.get("challenge") if self.is_bound else None
        data = None
        if token:
            try:
                data = read_challenge(token)
            except ChallengeError:
                data = None
        if data is None:
            token, a, b = new_challenge()
        else:
            a, b = data["a"], data["b"]
        self._challenge_token = token
        self.fields["challenge"].initial = token
        self.fields["challenge_answer"].label = _("Hoeveel is %(a)s plus %(b)s?") % {"a": a, "b": b}

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def _fresh_challenge(self):
        """Replace the question (after a wrong, expired or forged answer) and clear the old answer."""
        token, a, b = new_challenge()
        self._challenge_token = token
        data = self.data.copy()
        data["challenge"] = token
        data["challenge_answer"] = ""
        self.data = data
        self.fields["challenge_answer"].label = _("Hoeveel is %(a)s plus %(b)s?") % {"a": a, "b": b}

    def clean(self):
        cleaned = super().clean()
        token = self.data.get("challenge", "")
        try:
            data = read_challenge(token)
        except ChallengeError as exc:
            self._fresh_challenge()
            if exc.expired:
                self.add_error("challenge_answer", _("De rekenvraag is verlopen. Beantwoord de nieuwe vraag."))
            else:
                self.add_error("challenge_answer", _("De rekenvraag klopt niet. Beantwoord de nieuwe vraag."))
            return cleaned
        answer = cleaned.get("challenge_answer")
        if answer is not None and answer != data["a"] + data["b"]:
            self._fresh_challenge()
            self.add_error("challenge_answer", _("Dat antwoord is niet goed. Probeer de nieuwe rekenvraag."))
        cleaned["form_token"] = data["n"]
        return cleaned


class SubmissionForm(ProtectedForm):
    name_fields = ("place",)
    field_order = ["name", "place", "link", "description", "submitter_name", "submitter_email"]

    name = forms.CharField(
        label=_("Naam van het initiatief"),
        max_length=200,
        error_messages={"required": _("Vul de naam van het initiatief in.")},
    )
    place = forms.CharField(label=_("Plaats of regio"), max_length=120, required=False)
    link = forms.URLField(
        label=_("Link naar meer informatie"),
        max_length=500,
        help_text=_("Een webadres, bijvoorbeeld https://www.voorbeeld.nl"),
        assume_scheme="https",
        error_messages={
            "required": _("Vul een link in naar meer informatie."),
            "invalid": _("Dit is geen goed webadres. Bijvoorbeeld: https://www.voorbeeld.nl"),
        },
    )
    description = forms.CharField(
        label=_("Wat doet dit initiatief anders?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Vertel kort wat het initiatief anders doet.")},
    )
    submitter_name = forms.CharField(
        label=_("Uw naam"),
        max_length=120,
        required=False,
        help_text=_("Niet verplicht. Alleen de moderator ziet dit. We wissen het na 90 dagen."),
    )
    submitter_email = forms.EmailField(
        label=_("Uw e-mailadres"),
        required=False,
        max_length=254,
        help_text=_("Niet verplicht. Alleen als we u iets willen vragen. We wissen het na 90 dagen."),
        error_messages={"invalid": _("Dit is geen goed e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl")},
    )


class CommentForm(ProtectedForm):
    field_order = ["body", "submitter_name", "submitter_email"]

    body = forms.CharField(
        label=_("Uw reactie"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Alleen gewone tekst. Hoogstens 2000 tekens."),
        error_messages={
            "required": _("Schrijf eerst uw reactie."),
            "max_length": _("Uw reactie is te lang. Gebruik hoogstens 2000 tekens."),
        },
    )
    submitter_name = forms.CharField(
        label=_("Uw naam"),
        max_length=120,
        required=False,
        help_text=_("Niet verplicht. We tonen uw naam niet. We wissen het na 90 dagen."),
    )
    submitter_email = forms.EmailField(
        label=_("Uw e-mailadres"),
        required=False,
        max_length=254,
        help_text=_("Niet verplicht. We tonen het niet. We wissen het na 90 dagen."),
        error_messages={"invalid": _("Dit is geen goed e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl")},
    )


def _choices(pairs, empty):
    return [("", empty), *pairs]


class SearchForm(SafeTextMixin, forms.Form):
    q = forms.CharField(
        label=_("Zoeken"), max_length=200, required=False, help_text=_("Bijvoorbeeld: wonen, school of schulden.")
    )
    group = forms.ChoiceField(label=_("Thema"), required=False, choices=_choices(Group.choices, _("Alle thema's")))
    region = forms.ChoiceField(
        label=_("Regio"), required=False, choices=_choices([(r, r) for r in REGIONS], _("Alle regio's"))
    )
    target_group = forms.CharField(label=_("Doelgroep (bijvoorbeeld jongeren)"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_choices(Status.choices, _("Alle")))


def _rejection_reason_field():
    return forms.CharField(
        label=_("Reden van afwijzen"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Alleen nodig als u afwijst."),
    )


class CommentModerationForm(SafeTextMixin, forms.Form):
    body = forms.CharField(
        label=_("Tekst van de reactie"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("De reactie mag niet leeg zijn.")},
    )
    reason = _rejection_reason_field()


class SubmissionModerationForm(SafeTextMixin, forms.Form):
    name_fields = ("place",)

    name = forms.CharField(
        label=_("Naam van het initiatief"), max_length=200, error_messages={"required": _("Vul de naam in.")}
    )
    place = forms.CharField(label=_("Plaats of regio"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Wat doet het initiatief anders?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Vul een beschrijving in.")},
    )
    reason = _rejection_reason_field()
