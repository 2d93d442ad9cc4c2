from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand (CSV of XLSX)"),
        help_text=_(
            "Eén rij per persoon. Verplichte kolommen: extern_id, huishouden, relatie, voornaam, achternaam, "
            "geboortedatum, bsn, team, titel, hulpvraag; optioneel: geprobeerd, wijk."
        ),
        error_messages={"required": _("Kies een bestand."), "empty": _("Het bestand is leeg.")},
        allow_empty_file=True,  # the service says "leeg" in its own words
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
