"""Money typed by people, in Dutch notation only, and its inverse for form inputs.

One rule, no guessing: an optional euro sign, ASCII digits, a dot between thousands in groups of three, a comma
before one or two cent digits. So ``3.000`` and ``3.000,00`` are three thousand euros, ``3,5`` is three euros fifty;
``3.00``, ``3,000`` and ``3.0000`` are refused (they mean different things to different readers). Digits outside
0-9 (Arabic-Indic, full-width: ``str.isdigit()`` accepts them) are refused too.
"""

import re

from django.utils.translation import gettext_lazy as _

# EUR 100 million: the bound of every amount column (budget.models.MAX_AMOUNT_CENTS has the same value).
MAX_EURO_CENTS = 100_000_000_00
MAX_INPUT_LENGTH = 40  # longer text is never a sane amount; refused before any parsing

_EURO = re.compile(r"(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]{1,2}))?", re.ASCII)
_SPACES = re.compile(r"[ \u00a0\u202f]")  # a space, a no-break space and a narrow no-break space (as in "€ 3")

NOTATION_ERROR = _(
    "Gebruik een komma voor de centen, bijvoorbeeld 3,50; een punt alleen tussen duizendtallen, bijvoorbeeld 3.000,00."
)
INVALID_ERROR = _("Vul een bedrag in euro's in, bijvoorbeeld 3.000,00.")
NEGATIVE_ERROR = _("Een bedrag kan niet negatief zijn.")
ZERO_ERROR = _("Het bedrag moet groter dan € 0,00 zijn.")
TOO_HIGH_ERROR = _("Dit bedrag is onwaarschijnlijk hoog (meer dan € 100.000.000,00). Controleer het bedrag.")


class MoneyError(ValueError):
    """The text is not an amount in Dutch notation (or out of bounds); `message` is Dutch and shown to the user."""

    def __init__(self, message, code="invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code


def parse_euro(text, *, allow_negative: bool = False, allow_zero: bool = True, max_cents: int = MAX_EURO_CENTS) -> int:
    """'€ 3.000,50' -> 300050 (cents). Raises MoneyError with a Dutch message; never another exception."""
    if not isinstance(text, str):
        raise MoneyError(INVALID_ERROR)
    text = text.strip()
    if not text or len(text) > MAX_INPUT_LENGTH:
        raise MoneyError(INVALID_ERROR)
    negative = False
    if text.startswith("-"):
        negative, text = True, _SPACES.sub("", text[1:], count=1) if text[1:2] != "€" else text[1:]
    if text.startswith("€"):
        text = text[1:].lstrip(" \u00a0\u202f")
    if text.startswith("-") and not negative:
        negative, text = True, text[1:]
    match = _EURO.fullmatch(text)
    if match is None:
        if re.fullmatch(r"[0-9.,]+", text, re.ASCII):
            raise MoneyError(NOTATION_ERROR, "notation")
        raise MoneyError(INVALID_ERROR)
    whole, _sep, frac = text.partition(",")
    cents = int(whole.replace(".", "")) * 100 + int((frac or "0").ljust(2, "0"))
    if negative and cents:
        if not allow_negative:
            raise MoneyError(NEGATIVE_ERROR, "negative")
        cents = -cents
    if cents == 0 and not allow_zero:
        raise MoneyError(ZERO_ERROR, "zero")
    if abs(cents) > max_cents:
        raise MoneyError(TOO_HIGH_ERROR, "too_high")
    return cents


def format_euro_input(cents) -> str:
    """The inverse of parse_euro for a form input: 300050 -> '3.000,50', -150 -> '-1,50', None -> ''."""
    if cents is None or cents == "":
        return ""
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{frac:02d}"
