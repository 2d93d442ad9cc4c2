"""Password strength (ASVS V6.2): zxcvbn's offline estimator and a common-password list of ~40,000 entries
(Django's 20k list plus zxcvbn's own 30k password frequency list), both shipped with the packages."""

import functools
import gzip
from pathlib import Path

import django
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@functools.cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    django_list = Path(django.__file__).parent / "contrib" / "auth" / "common-passwords.txt.gz"
    with gzip.open(django_list, "rt", encoding="utf-8") as handle:
        words = {line.strip().lower() for line in handle if line.strip()}
    words.update(word.lower() for word in FREQUENCY_LISTS["passwords"])
    return frozenset(words)


class LargeCommonPasswordValidator:
    """Refuses a password (case-insensitive) that is on the combined list of common and breached passwords."""

    def validate(self, password, user=None):
        if password.lower().strip() in common_passwords():
            raise ValidationError(
                _("Dit wachtwoord komt voor op een lijst van veelgebruikte of gelekte wachtwoorden. Kies een ander."),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Uw wachtwoord mag geen veelgebruikt of gelekt wachtwoord zijn.")


# zxcvbn's dictionaries are English; these Dutch and app words are common in Dutch passwords.
DUTCH_WORDS = (
    "doorbraak",
    "wachtwoord",
    "welkom",
    "gemeente",
    "sociaal",
    "wijkteam",
    "geheim",
    "hallo",
    "zomer",
    "winter",
    "lente",
    "herfst",
    "voorjaar",
    "najaar",
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "nederland",
    "holland",
    "amsterdam",
    "rotterdam",
    "utrecht",
    "ajax",
    "feyenoord",
    "liefde",
    "schat",
    "poes",
    "hond",
    "kabouter",
    "voetbal",
    "fiets",
    "koffie",
    "eigenwijs",
)


class ZxcvbnValidator:
    """Refuses passwords that zxcvbn scores below `min_score` (0–4); the user's own names count as guessable."""

    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password, user=None):
        from zxcvbn import zxcvbn

        own_words = []
        if user is not None:
            own_words = [
                str(getattr(user, name, "") or "") for name in ("username", "first_name", "last_name", "email")
            ]
            own_words = [word for word in own_words if word]
        result = zxcvbn(password[:100], user_inputs=[*own_words, *DUTCH_WORDS])  # zxcvbn is slow on very long input
        if result["score"] < self.min_score:
            raise ValidationError(
                _(
                    "Dit wachtwoord is te makkelijk te raden. Maak het langer, bijvoorbeeld met vier of meer losse "
                    "woorden die niet bij elkaar horen."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self):
        return _("Uw wachtwoord moet moeilijk te raden zijn; een zin van vier of meer losse woorden werkt goed.")
