"""The sane ranges of every date people type, in one place, for forms and services alike.

A range is relative to today (in the active time zone) except the database's hard bounds, which the
CheckConstraints use: no stored date is before 1900-01-01 or after 2100-12-31, so date arithmetic on stored
dates (a platform's deadline, follow-up months) can never overflow.
"""

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DB_EARLIEST = datetime.date(1900, 1, 1)
DB_LATEST = datetime.date(2100, 12, 31)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (29 February -> 28 February), clamped to the database bounds."""
    try:
        moved = day.replace(year=day.year + years)
    except ValueError:
        try:
            moved = day.replace(year=day.year + years, day=28)
        except ValueError:  # beyond year 1..9999
            return DB_LATEST if years > 0 else DB_EARLIEST
    return min(max(moved, DB_EARLIEST), DB_LATEST)


def safe_add_days(day: datetime.date, days: int) -> datetime.date:
    """`day + days` that never raises OverflowError (clamps to date.min / date.max)."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def dutch(day: datetime.date) -> str:
    """The one short Dutch date style for messages: 1-12-2026 (pages use the `date` filter, "1 december 2026")."""
    return f"{day.day}-{day.month}-{day.year}"


# --- Month arithmetic (the one copy; issue 11) ---------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier); the month's last day when that day does not exist
    (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after `day`'s month."""
    return add_months(month_start(day), 1)


def last_day_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_from_to(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of every month from `first`'s month to `last`'s month, both included."""
    out, current, end = [], month_start(first), month_start(last)
    while current <= end:
        out.append(current)
        current = next_month(current)
    return out


def months_between(first: datetime.date, later: datetime.date) -> int:
    """Whole calendar months from `first`'s month to `later`'s month (same month: 0)."""
    return (later.year - first.year) * 12 + later.month - first.month


@dataclass(frozen=True)
class DateRange:
    """Allowed dates from earliest(today) to latest(today), both included."""

    code: str
    earliest: Callable[[datetime.date], datetime.date]
    latest: Callable[[datetime.date], datetime.date]

    def bounds(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        today = today or timezone.localdate()
        return self.earliest(today), self.latest(today)

    def problem(self, value, future_message=None) -> str | None:
        """None if `value` is a date inside the range, else the Dutch message naming the allowed range."""
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            return str(gettext_lazy("Vul een datum in, bijvoorbeeld 2026-03-31."))
        today = timezone.localdate()
        low, high = self.bounds(today)
        if low <= value <= high:
            return None
        if value > high and high == today and future_message:
            return str(future_message)
        if high == today:
            return _("Kies een datum van %(low)s tot en met vandaag (%(high)s).") % {
                "low": dutch(low),
                "high": dutch(high),
            }
        return _("Kies een datum van %(low)s tot en met %(high)s.") % {"low": dutch(low), "high": dutch(high)}


def _today(t):
    return t


BIRTH = DateRange("birth", lambda t: DB_EARLIEST, _today)
LONG_PAST = DateRange("long_past", lambda t: DB_EARLIEST, _today)  # e.g. "stuck since"
RECENT_PAST = DateRange("recent_past", lambda t: add_years(t, -10), _today)  # consent, breakthrough, measurement
NEAR = DateRange("near", lambda t: add_years(t, -5), lambda t: add_years(t, 5))  # meetings, deadlines, follow-up
LOAN_DEADLINE = DateRange("loan_deadline", lambda t: t + datetime.timedelta(days=1), lambda t: add_years(t, 10))

RANGES = {r.code: r for r in (BIRTH, LONG_PAST, RECENT_PAST, NEAR, LOAN_DEADLINE)}


class BoundedDateField(forms.DateField):
    """A DateField that refuses dates outside its DateRange with a Dutch message naming the range. (No min/max
    attributes on the input: the browser would block the submit without our Dutch message.)"""

    def __init__(self, *args, date_range: DateRange, future_message=None, **kwargs):
        self.date_range = date_range
        self.future_message = future_message
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid", gettext_lazy("Vul een datum in, bijvoorbeeld 2026-03-31."))
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        message = self.date_range.problem(value, self.future_message)
        if message:
            raise forms.ValidationError(message, code="date_range")
