"""The case list's platform marker and filter (issue 16, point 2), plugged into cases.selectors_list through
settings.CASE_LIST_EXTENSION (cases does not import platforms; this top-layer app may).

`annotate` adds the convening date of the case's oldest platform still at the table (no breakthrough yet) as a
correlated subquery, evaluated only for the page's rows; `overdue_condition` is an EXISTS per walked case on its
platforms past three weeks, so the list stays page-first and its query count does not change."""

import datetime

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from doorbraak.cases.selectors_list import PerRowExists
from doorbraak.platforms.models import BREAKTHROUGH_DAYS, Platform

OVERDUE = "voorbij"


def annotate(qs):
    at_table = Platform.objects.filter(case_id=OuterRef("pk"), status=Platform.Status.CONVENED).order_by(
        "convened_on", "id"
    )
    return qs.annotate(platform_convened_on=Subquery(at_table.values("convened_on")[:1]))


def overdue_condition() -> Q:
    """Cases with a platform convened more than three weeks ago and still at the table: an EXISTS per case, kept
    per row (`PerRowExists`), so PostgreSQL walks the visible cases in the list's order, checks each case's
    platforms by case_id and stops after the page (or the count's cap); the semi-join `pk IN (overdue platforms'
    case_id)` it replaces (the same rows) let PostgreSQL hash every overdue platform (issue 15). What remains is
    the walk: the newest cases are rarely three weeks at the table, so a lead's first page at 1M walks the
    municipality's newest ~27,000 cases (~5,600 of them the lead's) to find 26."""
    cutoff = timezone.localdate() - datetime.timedelta(days=BREAKTHROUGH_DAYS)
    overdue = Platform.objects.filter(
        case_id=OuterRef("pk"), status=Platform.Status.CONVENED, convened_on__lt=cutoff
    ).order_by()
    return Q(PerRowExists(overdue))


def mark(rows) -> None:
    """Days at the table and the "drie weken voorbij" marker for the rows of a page."""
    today = timezone.localdate()
    for row in rows:
        convened = getattr(row, "platform_convened_on", None)
        row.platform_days = (today - convened).days if convened else None
        row.platform_overdue = bool(convened) and row.platform_days > BREAKTHROUGH_DAYS
