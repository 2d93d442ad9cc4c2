"""The case list's platform marker and filter (issue 16, point 2), plugged into cases.selectors_list through
settings.CASE_LIST_EXTENSION (cases does not import platforms; this top-layer app may).

Both read Case.open_platform_since, the convening date of the case's oldest platform still at the table (no
breakthrough yet), which platforms.models.refresh_open_platform stores on the case whenever a platform changes:
`overdue_condition` is a plain condition on the case row (walked through the partial indexes of cases 0011, only
the cases with a platform at the table, in the list's order), `mark` computes the days from the row. The list stays
page-first and its query count does not change."""

import datetime

from django.db.models import Q
from django.utils import timezone

from doorbraak.platforms.models import BREAKTHROUGH_DAYS

OVERDUE = "voorbij"


def overdue_condition() -> Q:
    """Cases with a platform at the table convened more than three weeks ago."""
    return Q(open_platform_since__lt=timezone.localdate() - datetime.timedelta(days=BREAKTHROUGH_DAYS))


def mark(rows) -> None:
    """Days at the table and the "drie weken voorbij" marker for the rows of a page."""
    today = timezone.localdate()
    for row in rows:
        convened = row.open_platform_since
        row.platform_days = (today - convened).days if convened else None
        row.platform_overdue = bool(convened) and row.platform_days > BREAKTHROUGH_DAYS
