"""The upload form of a document."""

from django import forms
from django.utils.translation import gettext_lazy as _

from doorbraak.cases.forms import OneTimeTokenForm

from .models import DocumentKind
from .services import ALLOWED_TYPES, max_bytes, too_large_message

ACCEPT = ",".join(sorted({ext for exts in ALLOWED_TYPES.values() for ext in exts}))


class DocumentForm(OneTimeTokenForm):
    kind = forms.ChoiceField(
        label=_("Soort document"),
        choices=[("", _("Kies…")), *DocumentKind.choices],
        error_messages={
            "required": _("Kies wat voor document dit is."),
            "invalid_choice": _("Kies een soort uit de lijst."),
        },
    )
    file = forms.FileField(
        label=_("Bestand"),
        max_length=500,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Dit bestand is leeg. Kies het document opnieuw."),
            "invalid": _("Dit is geen bestand. Kies een document."),
            "max_length": _("De naam van het bestand is te lang (hoogstens %(max)d tekens)."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, afbeelding of kantoordocument, hoogstens %(max)s MB.") % {
            "max": max_bytes() // (1024 * 1024)
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > max_bytes():
            raise forms.ValidationError(too_large_message(upload.size))
        return upload
