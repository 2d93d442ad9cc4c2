"""Forms of programme meetings. The public forms reuse the registry's protection (initiatives.forms.ProtectedForm:
signed arithmetic challenge + one-time nonce; the honeypot input is in the template, checked through `is_bot`)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.core.dates import BoundedDateField, DateRange, add_years
from doorbraak.core.forms import SafeTextMixin
from doorbraak.initiatives.forms import ProtectedForm
from doorbraak.initiatives.models import Initiative, Moderation

from .models import FollowUp, MeetingDocument, NeedTag
from .services import TEXT_LIMIT

MEETING_DATES = DateRange("meeting", lambda t: datetime.date(2000, 1, 1), lambda t: add_years(t, 5))
TOO_LONG = _("Deze tekst is te lang: gebruik hoogstens %(limit_value)d tekens (u gebruikte er %(show_value)d).")
EMAIL_INVALID = _("Dit is geen goed e-mailadres. Bijvoorbeeld: naam@voorbeeld.nl")


class SearchForm(SafeTextMixin, forms.Form):
    q = forms.CharField(
        label=_("Zoeken in bijeenkomsten"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: bibliotheek of casusbespreking."),
    )


class RegistrationForm(ProtectedForm):
    name_fields = ("organisation", "role")
    field_order = ["name", "organisation", "email", "role", "needs", "on_attendee_list"]

    name = forms.CharField(label=_("Uw naam"), max_length=120, error_messages={"required": _("Vul uw naam in.")})
    organisation = forms.CharField(label=_("Uw organisatie"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        max_length=254,
        help_text=_("Hierheen sturen we de bevestiging met de link om af te melden."),
        error_messages={"required": _("Vul uw e-mailadres in."), "invalid": EMAIL_INVALID},
    )
    role = forms.CharField(label=_("Uw functie of rol"), max_length=120, required=False)
    needs = forms.CharField(
        label=_("Dieetwensen of wat u nodig hebt om goed mee te kunnen doen"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: vegetarisch, een rolstoelplek of een ringleiding. Niet verplicht."),
        error_messages={"max_length": _("Gebruik hoogstens 1000 tekens.")},
    )
    on_attendee_list = forms.BooleanField(
        label=_("Zet mijn naam en organisatie op de deelnemerslijst van deze pagina"),
        required=False,
        help_text=_("Niet verplicht. Zonder vinkje ziet alleen de organisator dat u komt."),
    )


def _initiative_choices():
    return [(str(pk), name) for pk, name in Initiative.objects.filter(is_published=True).values_list("pk", "name")]


class TakeawayForm(ProtectedForm):
    name_fields = ("organisation",)
    field_order = ["takeaway", "need", "tags", "initiatives", "consent_to_publish", "show_name", "name", "organisation"]

    takeaway = forms.CharField(
        label=_("Wat neem ik mee?"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alleen gewone tekst. Hoogstens %(limit)s tekens.") % {"limit": TEXT_LIMIT},
        error_messages={
            "required": _("Vul in wat u meeneemt."),
            "max_length": _(
                "Deze tekst is te lang: gebruik hoogstens %(limit_value)d tekens (u gebruikte er %(show_value)d)."
            ),
        },
    )
    need = forms.CharField(
        label=_("Wat heb ik daarvoor nodig?"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alleen gewone tekst. Hoogstens %(limit)s tekens.") % {"limit": TEXT_LIMIT},
        error_messages={
            "required": _("Vul in wat u daarvoor nodig hebt."),
            "max_length": _(
                "Deze tekst is te lang: gebruik hoogstens %(limit_value)d tekens (u gebruikte er %(show_value)d)."
            ),
        },
    )
    tags = forms.MultipleChoiceField(
        label=_("Wat voor hulp is dat?"),
        choices=NeedTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies alleen uit de genoemde behoeften.")},
    )
    initiatives = forms.MultipleChoiceField(
        label=_("Over welke initiatieven gaat het?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Niet verplicht."),
        error_messages={"invalid_choice": _("Kies alleen initiatieven uit het register.")},
    )
    consent_to_publish = forms.BooleanField(
        label=_("Dit mag op de website, nadat een moderator het heeft gelezen"), required=False
    )
    show_name = forms.ChoiceField(
        label=_("Hoe publiceren?"),
        choices=[("anonymous", _("Anoniem")), ("name", _("Met mijn naam en organisatie"))],
        initial="anonymous",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Uw naam"), max_length=120, required=False)
    organisation = forms.CharField(label=_("Uw organisatie"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiatives"].choices = _initiative_choices()
        # No maxlength in the browser: it would cut a pasted long text silently; the server says how long it was
        # and keeps all of it in the form.
        for name in ("takeaway", "need"):
            self.fields[name].widget.attrs.pop("maxlength", None)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("show_name") == "name" and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Vul uw naam in, of kies om anoniem te publiceren."))
        return cleaned


class MeetingForm(SafeTextMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, error_messages={"required": _("Vul een titel in.")})
    summary = forms.CharField(label=_("Beschrijving"), max_length=3000, required=False, widget=forms.Textarea)
    starts_on = BoundedDateField(
        label=_("Datum"),
        date_range=MEETING_DATES,
        help_text=_("Bijvoorbeeld 2027-03-31."),
        error_messages={"required": _("Vul de datum in.")},
    )
    starts_time = forms.TimeField(
        label=_("Begintijd"),
        help_text=_("Bijvoorbeeld 13:30."),
        error_messages={"required": _("Vul de begintijd in."), "invalid": _("Vul een tijd in, bijvoorbeeld 13:30.")},
    )
    ends_time = forms.TimeField(
        label=_("Eindtijd"),
        error_messages={"required": _("Vul de eindtijd in."), "invalid": _("Vul een tijd in, bijvoorbeeld 17:00.")},
    )
    deadline_on = BoundedDateField(
        label=_("Aanmelden kan tot en met"),
        date_range=MEETING_DATES,
        error_messages={"required": _("Vul de laatste dag om aan te melden in.")},
    )
    capacity = forms.IntegerField(
        label=_("Aantal plaatsen"),
        min_value=1,
        max_value=10000,
        error_messages={
            "required": _("Vul het aantal plaatsen in."),
            "invalid": _("Vul een heel getal in."),
            "min_value": _("Kies minstens 1 plaats."),
            "max_value": _("Kies hoogstens 10.000 plaatsen."),
        },
    )
    place = forms.CharField(label=_("Plaats en adres"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Link naar de online bijeenkomst"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Dit is geen goed webadres. Bijvoorbeeld: https://www.voorbeeld.nl")},
    )
    organiser_name = forms.CharField(label=_("Georganiseerd door"), max_length=200, required=False)

    def moments(self):
        """(starts_at, ends_at, deadline) as aware datetimes; the deadline is the end of its day, at most the start."""
        d = self.cleaned_data
        tz = timezone.get_current_timezone()
        starts = datetime.datetime.combine(d["starts_on"], d["starts_time"], tzinfo=tz)
        ends = datetime.datetime.combine(d["starts_on"], d["ends_time"], tzinfo=tz)
        deadline = datetime.datetime.combine(d["deadline_on"], datetime.time(23, 59), tzinfo=tz)
        if d["deadline_on"] == d["starts_on"]:
            deadline = min(deadline, starts)
        return starts, ends, deadline


class DocumentForm(SafeTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=MeetingDocument.Kind.choices)
    title = forms.CharField(label=_("Titel"), max_length=200, error_messages={"required": _("Vul een titel in.")})
    file = forms.FileField(
        label=_("Pdf-bestand"),
        help_text=_("Alleen pdf, hoogstens 20 MB."),
        error_messages={"required": _("Kies een pdf-bestand."), "empty": _("Dit bestand is leeg.")},
    )


class ReportForm(SafeTextMixin, forms.Form):
    report = forms.CharField(
        label=_("Verslag"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 10})
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(label=_("Aanwezig"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(r.pk), r.name or _("(gewist)")) for r in registrations]
        self.fields["present"].error_messages["invalid_choice"] = _("Kies alleen mensen die zijn aangemeld.")


class TakeawayModerationForm(SafeTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden van afwijzen"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Alleen nodig als u afwijst."),
    )


MODERATION_ACTIONS = {"approve": Moderation.APPROVED, "reject": Moderation.REJECTED, "spam": Moderation.SPAM}


class FollowUpForm(SafeTextMixin, forms.Form):
    need = forms.ChoiceField(label=_("Behoefte"), choices=NeedTag.choices, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Soort vervolg"), choices=FollowUp.Kind.choices)
    title = forms.CharField(
        label=_("Omschrijving"), max_length=200, error_messages={"required": _("Beschrijf het vervolg.")}
    )
    takeaways = forms.MultipleChoiceField(
        label=_("Bij welke opbrengsten?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies de opbrengsten waar dit vervolg bij hoort."),
            "invalid_choice": _("Kies alleen opbrengsten met deze behoefte."),
        },
    )

    def __init__(self, *args, takeaways=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["takeaways"].choices = [(str(t.pk), t.need[:80]) for t in takeaways]


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices)
