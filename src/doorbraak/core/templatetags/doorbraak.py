"""Template helpers shared by every app: NL Design System widgets, Dutch money and dates."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms, template

register = template.Library()

_WIDGET_CLASSES = [
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.SelectMultiple, "utrecht-select utrecht-select--html-select"),
    (forms.RadioSelect, "utrecht-radio-button utrecht-radio-button--html-input"),
    (forms.CheckboxSelectMultiple, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.widgets.Input, "utrecht-textbox utrecht-textbox--html-input"),
]


@register.simple_tag
def db_widget(field):
    """Render a bound field's widget with Utrecht classes and aria-describedby for help and errors."""
    widget = field.field.widget
    css = next((c for cls, c in _WIDGET_CLASSES if isinstance(widget, cls)), "")
    if field.errors and "textbox" in css:
        css += " utrecht-textbox--invalid"
    attrs = {"class": f"{css} {widget.attrs.get('class', '')}".strip()}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


def format_euro_cents(cents, decimals: bool = True) -> str:
    """12345678 -> '€ 123.456,78' (Dutch notation). Accepts int cents or Decimal cents."""
    if cents is None or cents == "":
        return ""
    # Whole euros are rounded (half away from zero), never cut off: € 1.234,56 -> € 1.235.
    step = Decimal("0.01") if decimals else Decimal("1")
    value = (Decimal(cents) / 100).quantize(step, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole, frac = f"{value:.2f}".split(".")  # frac is "00" when rounded to whole euros
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups)
    return f"{sign}€ {text},{frac}" if decimals else f"{sign}€ {text}"


@register.filter
def euro(cents):
    return format_euro_cents(cents)


@register.filter
def euro_whole(cents):
    return format_euro_cents(cents, decimals=False)
