"""Formatting of (suppressed) figures on the learning pages."""

from django import template
from django.utils.translation import gettext as _

from doorbraak.core.templatetags.doorbraak import format_euro_cents

register = template.Library()


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def cell(value):
    """A count: 1234 -> "1.234"; "<10" and "x" as they are; nothing -> "–"."""
    if value is None or value == "":
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if _is_number(value):
        return f"{value:,}".replace(",", ".") if isinstance(value, int) else f"{value:.1f}".replace(".", ",")
    return value


@register.filter
def money(value):
    """An amount in cents, or why it is not shown."""
    if value is None or value == "":
        return "–"
    if _is_number(value):
        return format_euro_cents(value, decimals=False)
    return _("niet getoond (<10 casussen)")


@register.filter
def signed(value):
    """+0,42 / -0,10 for a mean change; "–" when there is none."""
    if value is None:
        return "–"
    return f"{value:+.2f}".replace(".", ",")
