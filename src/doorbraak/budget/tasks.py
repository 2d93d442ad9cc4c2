"""Background tasks of the budget (docs/tasks.md).

CPI indexation: prices are indexed when they are shown (selectors.catalogue_rows: the item's price year to the
current year through the CPI series in budget/data/catalogue.toml), so the yearly job changes no amounts. It
checks that the CPI series covers the new year; when it does not, every indexed price silently stops at the last
year of the series, so the task fails and the failure shows in the admin (Beheer > Taakresultaten) until the
series in the data file is updated."""

from django.utils import timezone

from doorbraak.core.tasks import retried_task

from .catalogue_data import cpi_index


class CpiSeriesOutdated(Exception):
    """The CPI series has no figure for the year prices are indexed to."""


def check_cpi_series(year: int | None = None) -> dict:
    year = year or timezone.localdate().year
    cpi = cpi_index()
    if year not in cpi:
        raise CpiSeriesOutdated(
            f"The CPI series ([cpi.index] in budget/data/catalogue.toml) has no figure for {year}; "
            f"the last year is {max(cpi)}. Add the CBS figure."
        )
    return {"year": year, "index": cpi[year]}


@retried_task(max_attempts=1)
def cpi_indexation(year: int | None = None) -> dict:
    return check_cpi_series(year)
