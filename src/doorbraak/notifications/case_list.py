"""The case list's platform marker and filter (issue 16, point 2), plugged into cases.selectors_list through
settings.CASE_LIST_EXTENSION (cases does not import platforms; this top-layer app may).

`annotate` adds the convening date of the case's oldest platform still at the table (no breakthrough yet) as a
correlated subquery, evaluated only for the page's rows; `overdue_condition` is a semi-join on the platforms past
three weeks, so the list stays page-first and its query count does not change."""

import datetime

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from doorbraak.platforms.models import BREAKTHROUGH_DAYS, Platform

OVERDUE = "voorbij"


def annotate(qs):
    at_table = Platform.objects.filter(case_id=OuterRef("pk"), status=Platform.Status.CONVENED).order_by(
        "convened_on", "id"
    )
    return qs.annotate(platform_convened_on=Subquery(at_table.values("convened_on")[:1]))


def overdue_condition() -> Q:
    cutoff = timezone.localdate() - datetime.timedelta(days=BREAKTHROUGH_DAYS)
    overdue = Platform.objects.filter(status=Platform.Status.CONVENED, convened_on__lt=cutoff).order_by()
    return Q(pk__in=overdue.values("case_id"))


def mark(rows) -> None:
    """Days at the table and the "drie weken voorbij" marker for the rows of a page."""
    today = timezone.localdate()
    for row in rows:
        convened = getattr(row, "platform_convened_on", None)
        row.platform_days = (today - convened).days if convened else None
        row.platform_overdue = bool(convened) and row.platform_days > BREAKTHROUGH_DAYS
