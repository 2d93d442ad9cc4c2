from django import template

register = template.Library()


@register.filter
def absolute(value):
    return abs(value)


@register.filter
def nth(values, index):
    """values|nth:1 -> the first item (1-based), for per-year lists."""
    try:
        return values[int(index) - 1]
    except (IndexError, TypeError, ValueError):
        return ""
