from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def is_valid_bsn(value: str) -> bool:
    """The BSN eleven-test: 9 digits, sum(d_i * w_i) with weights 9..2 and -1 is divisible by 11."""
    # isascii(): str.isdigit() also accepts Arabic-Indic and full-width digits, which the database refuses (a 500).
    if not value or not value.isascii() or not value.isdigit() or len(value) != 9 or value == "000000000":
        return False
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(value, weights, strict=True)) % 11 == 0


def validate_bsn(value: str) -> None:
    if not is_valid_bsn(value):
        raise ValidationError(
            _("Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en de elfproef doorstaan."), code="invalid_bsn"
        )


# --------------------------------------------------------------------------------------------------
# Text: no invisible control characters (issue 10, part 5)
# --------------------------------------------------------------------------------------------------

# Embeddings, overrides and isolates: they reorder what a reader sees ("Trojan Source"); never in our texts.
BIDI_EMBEDDINGS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Plus the directional marks: allowed in free text (mixed-script sentences), not in names.
BIDI_MARKS = frozenset("\u200e\u200f\u061c")
TEXT_WHITESPACE = frozenset("\n\r\t")

NAME_CHARACTERS_ERROR = _(
    "Gebruik geen onzichtbare stuurtekens in een naam (zoals tekens die de leesrichting "
    "omdraaien). Typ de naam opnieuw."
)
TEXT_CHARACTERS_ERROR = _(
    "De tekst bevat onzichtbare stuurtekens (zoals tekens die de leesrichting omdraaien). "
    "Typ de tekst opnieuw of plak hem als platte tekst."
)


def _control(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch) in {"Cc", "Cs", "Zl", "Zp"}


def unsafe_name_character(value) -> bool:
    """True if a one-line name holds a bidi control, a directional mark or any control character."""
    if not isinstance(value, str):
        return False
    return any(ch in BIDI_EMBEDDINGS or ch in BIDI_MARKS or _control(ch) for ch in value)


def unsafe_text_character(value) -> bool:
    """True if free text holds a bidi embedding/override/isolate or a control character other than newline/tab."""
    if not isinstance(value, str):
        return False
    return any(ch in BIDI_EMBEDDINGS or (_control(ch) and ch not in TEXT_WHITESPACE) for ch in value)


def validate_name_characters(value) -> None:
    if unsafe_name_character(value):
        raise ValidationError(NAME_CHARACTERS_ERROR, code="name_characters")


def validate_text_characters(value) -> None:
    if unsafe_text_character(value):
        raise ValidationError(TEXT_CHARACTERS_ERROR, code="text_characters")
