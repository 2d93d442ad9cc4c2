"""The case list and search (issue 15): page first, names and counts after.

The page's rows are chosen from the visible set (`Case.objects.visible_to`, the one gate) in the list's order
(newest opened first), so PostgreSQL walks an index that matches the order ((municipality, opened_at, id);
(team, opened_at, id) and (status, team, opened_at, id) when filtered) and stops after 26 rows. The main person's
name and the number of active professionals are then read for those rows only. Filters on other tables are
semi-joins (`IN`/`EXISTS`), never a join with DISTINCT, so nothing is grouped over the whole team.

Paging: keyset ("seek") cursors for next and previous (`na` / `voor` = opened_at in microseconds and id of the
last / first row shown), page numbers by OFFSET only up to MAX_OFFSET_PAGE. The total is exact up to COUNT_CAP,
above it the page says "meer dan 1.000".
"""

import datetime
import functools
import importlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from doorbraak.core.db.expressions import PerRowExists
from doorbraak.core.fields import bsn_hash, normalise_bsn
from doorbraak.core.validators import is_valid_bsn

from .models import Case, DomainScore, Involvement, Person

PAGE_SIZE = 25
COUNT_CAP = 1000  # the total is exact up to here; above it "meer dan 1.000"
MAX_OFFSET_PAGE = 200  # ?pagina=N by OFFSET up to here (5,000 rows); beyond it only next/previous
SEARCH_COUNT_CAP = 100  # the same for a search text: "meer dan 100"
SEARCH_CANDIDATE_LIMIT = 500  # more cases matching a search text than this: check each walked case instead


@functools.cache
def extension():
    """The platform marker and filter (settings.CASE_LIST_EXTENSION, a module with `overdue_condition()` and
    `mark(rows)`; issue 16): cases imports no platforms, the top layer supplies them."""
    path = getattr(settings, "CASE_LIST_EXTENSION", "")
    return importlib.import_module(path) if path else None


def filtered_cases(user, *, q="", status="", domain="", team=None, stuck_weeks=None, platform=""):
    """The visible cases matching the filters, without annotations or order (each filter a plain condition or a
    semi-join, so no DISTINCT is needed)."""
    qs = Case.objects.visible_to(user)
    ext = extension()
    if platform and ext is not None:  # "voorbij": a platform past three weeks without a breakthrough
        qs = qs.filter(ext.overdue_condition())
    if q:
        qs = qs.filter(_search_condition(user, q))
    if status:
        qs = qs.filter(status=status)
    if domain:
        qs = qs.filter(Exists(DomainScore.objects.filter(case_id=OuterRef("pk"), domain=domain)))
    if team is not None:
        qs = qs.filter(team=team)
    if stuck_weeks is not None:
        qs = qs.filter(stuck_since__lte=timezone.localdate() - datetime.timedelta(weeks=stuck_weeks))
    return qs


def _search_condition(user, q):
    """Title, question, a member's first or last name (or a valid BSN, through its keyed hash); two shapes, the same
    rows. A rare text (up to SEARCH_CANDIDATE_LIMIT candidate cases, counted through the pg_trgm indexes of
    migration 0008 with a LIMIT): the candidates' ids drive the query (a handful of primary-key lookups, then the
    gate and the order). A common one (a frequent surname, a word in many questions): each case walked in the
    list's order is checked itself, title and question inline and its household's members by an EXISTS kept per
    row, so a page of matches is found after a few hundred cases instead of reading every match."""
    people = Q(first_name__icontains=q) | Q(last_name__icontains=q)
    if is_valid_bsn(normalise_bsn(q)):  # a BSN is found through its keyed hash, never the ciphertext
        people |= Q(bsn_hash=bsn_hash(q))
    municipality_cases = Case.objects.filter(municipality_id=user.municipality_id).order_by()
    matching = Person.objects.filter(people, municipality_id=user.municipality_id).order_by()
    parts = [
        municipality_cases.filter(title__icontains=q).values("pk"),
        municipality_cases.filter(question__icontains=q).values("pk"),
        municipality_cases.filter(household_id__in=matching.values("household_id")).values("pk"),
    ]
    # At least as many candidates as matching cases: cases by title, by question, and matching people (1 or more per
    # household); UNION ALL under a LIMIT, so the count stops early.
    candidates = parts[0].union(parts[1], matching.values("pk"), all=True)
    if candidates[: SEARCH_CANDIDATE_LIMIT + 1].count() <= SEARCH_CANDIDATE_LIMIT:
        return Q(pk__in=parts[0].union(*parts[1:]))
    return (
        Q(title__icontains=q)
        | Q(question__icontains=q)
        | PerRowExists(matching.filter(household_id=OuterRef("household_id")))
    )


def count_cap(filters) -> int:
    """The total is exact up to this many cases: COUNT_CAP, or SEARCH_COUNT_CAP for a search (counting the matches
    of a common name means checking the members of every case walked)."""
    return SEARCH_COUNT_CAP if (filters or {}).get("q") else COUNT_CAP


def with_row_details(qs):
    """Team, main person's name and number of active professionals, as correlated subqueries: evaluated only for
    the rows fetched."""
    main_person = Person.objects.filter(household_id=OuterRef("household_id"), relation=Person.Relation.MAIN)
    active = (
        Involvement.objects.with_scopes_disabled()
        .filter(case_id=OuterRef("pk"), ended_at__isnull=True)
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.select_related("team").annotate(
        active_involved=Coalesce(Subquery(active, output_field=IntegerField()), 0),
        main_first_name=Subquery(main_person.order_by("id").values("first_name")[:1]),
        main_last_name=Subquery(main_person.order_by("id").values("last_name")[:1]),
    )


# ------------------------------------------------------------------------------------------------ cursors


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def encode_cursor(case) -> str:
    micros = (case.opened_at - EPOCH) // datetime.timedelta(microseconds=1)
    return f"{micros}-{case.pk}"


def decode_cursor(text) -> tuple[datetime.datetime, int] | None:
    """(opened_at, id) from a cursor, or None for anything malformed (the list then starts at the first page)."""
    if not text or not isinstance(text, str) or len(text) > 40:
        return None
    micros, sep, pk = text.partition("-")
    if not sep or not micros.isdigit() or not pk.isdigit():
        return None
    pk = int(pk)
    if pk > 2**63 - 1:
        return None
    try:  # exact microseconds (no float division)
        opened = EPOCH + datetime.timedelta(microseconds=int(micros))
    except OverflowError:
        return None
    return opened, pk


def _before(qs, cursor):
    """Rows after `cursor` in the list's order (older, or as old with a lower id)."""
    opened, pk = cursor
    return qs.filter(opened_at__lte=opened).exclude(opened_at=opened, pk__gte=pk)


def _after(qs, cursor):
    """Rows before `cursor` in the list's order (newer, or as new with a higher id)."""
    opened, pk = cursor
    return qs.filter(opened_at__gte=opened).exclude(opened_at=opened, pk__lte=pk)


# ------------------------------------------------------------------------------------------------ the page


@dataclass
class CasePage:
    object_list: list
    number: int
    count: int  # exact when not count_capped, else cap + 1
    count_capped: bool
    cap: int = COUNT_CAP
    next_cursor: str | None = None
    previous_cursor: str | None = None
    num_pages: int | None = None  # only when the count is exact
    has_previous: bool = False
    has_next: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next

    @property
    def paginator(self):
        """Django's Page API: `page.paginator.count` / `.num_pages` (the count is capped, see `count_capped`)."""
        return self

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return max(1, self.number - 1)


def _page_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_OFFSET_PAGE)


def case_page(user, filters: dict | None = None, *, after=None, before=None, page=None) -> CasePage:
    """One page of the case list: two queries (the 25 rows with their details, an exact count up to COUNT_CAP),
    three with a search text (how many people match the name).

    `after` / `before`: a keyset cursor (the next / previous page); `page`: a page number (OFFSET, up to
    MAX_OFFSET_PAGE; with a cursor only the number shown)."""
    base = filtered_cases(user, **(filters or {}))
    number = _page_number(page)
    after_c, before_c = decode_cursor(after), decode_cursor(before)
    if after_c:
        window = _before(base, after_c).order_by("-opened_at", "-pk")[: PAGE_SIZE + 1]
    elif before_c:
        window = _after(base, before_c).order_by("opened_at", "pk")[: PAGE_SIZE + 1]
    else:
        offset = (number - 1) * PAGE_SIZE
        window = base.order_by("-opened_at", "-pk")[offset : offset + PAGE_SIZE + 1]
    # The page's ids first (an index walk that stops after 26 rows), then the details of those rows only.
    rows = list(with_row_details(Case.objects.filter(pk__in=Subquery(window.values("pk")))))
    rows.sort(key=lambda c: (c.opened_at, c.pk), reverse=True)
    more = len(rows) > PAGE_SIZE
    backwards = bool(before_c) and not after_c
    # Walking backwards the extra row is the newest one (first in the list's order); otherwise the last.
    rows = rows[-PAGE_SIZE:] if backwards else rows[:PAGE_SIZE]
    if extension() is not None:
        extension().mark(rows)
    cap = count_cap(filters)
    count = base.order_by().values("pk")[: cap + 1].count()
    capped = count > cap
    if not rows and number > 1 and not (after_c or before_c):  # a page number past the end: the last page
        last = max(1, min(MAX_OFFSET_PAGE, -(-count // PAGE_SIZE)))
        if last < number:
            return case_page(user, filters, page=last)
    if backwards:
        has_previous, has_next = more, bool(rows)
        if not more:
            number = 1
    else:
        has_previous, has_next = bool(after_c) or number > 1, more
    return CasePage(
        object_list=rows,
        number=number,
        count=count,
        count_capped=capped,
        cap=cap,
        next_cursor=encode_cursor(rows[-1]) if has_next and rows else None,
        previous_cursor=encode_cursor(rows[0]) if has_previous and rows else None,
        num_pages=None if capped else max(1, -(-count // PAGE_SIZE)),
        has_previous=has_previous,
        has_next=has_next,
    )
