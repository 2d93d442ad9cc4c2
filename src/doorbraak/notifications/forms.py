from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice per kind of notification: in the app only, e-mail immediately, or the daily digest."""

    def __init__(self, *args, current: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=current.get(kind.value),
                error_messages={
                    "required": _("Kies hoe u deze melding wilt ontvangen."),
                    "invalid_choice": _("Kies een van de mogelijkheden."),
                },
            )
