"""Keyset ("seek") pages of a list ordered by a date-time column and the id (issue 15 point 4).

A page is read after (or, walking back, before) the position of a row: "<date-time in microseconds>-<id>"
("n-<id>" for a row whose date-time is empty). The query seeks in an index on (..., column, id), so the
hundredth page is as fast as the first, and nothing is counted; one row more than the page tells whether there
is a next (or previous) page. A malformed position shows the first page. Used by the approver's queue
(budget.selectors_funds.queue_page), the approved stories and the story drafts (/leren/verhalen/) and the
moderation queue of the initiative registry.

Rows with an empty date-time (`nullable=True`) come last in the list's order, by id; they are read by a second
query only when a page reaches them (so a list shorter than a page takes one query more).
"""

import datetime
from dataclasses import dataclass

PAGE_SIZE = 25

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)
_NULL = "n"


@dataclass(frozen=True)
class SeekPage:
    rows: list
    after: str | None  # the position this page was read after (None: not read forwards from a position)
    next_after: str | None  # the position of the next page (None: this is the last page)
    previous_before: str | None = None  # the position of the previous page (None: this is the first page)

    @property
    def is_first(self) -> bool:
        return self.previous_before is None

    @property
    def has_other_pages(self) -> bool:
        return self.next_after is not None or self.previous_before is not None


def position(row, field: str) -> str:
    """The position of `row` in a list ordered by (`field`, id)."""
    value = getattr(row, field)
    return f"{_NULL if value is None else (value - _EPOCH) // _MICROSECOND}-{row.pk}"


def parse_position(text) -> tuple[datetime.datetime | None, int] | None:
    """(date-time or None, id) of a position, or None for anything malformed."""
    if not text or not isinstance(text, str) or len(text) > 40:
        return None
    micros, sep, pk = text.partition("-")
    if not sep or not pk.isdigit() or not (micros.isdigit() or micros == _NULL):
        return None
    pk = int(pk)
    if pk > 2**63 - 1:
        return None
    if micros == _NULL:
        return None, pk
    try:
        return _EPOCH + int(micros) * _MICROSECOND, pk
    except OverflowError:
        return None


def _order(field, down):
    return [f"-{field}" if down else field, "-id" if down else "id"]


def _beyond(qs, field, key, down):
    """Rows strictly beyond (value, id) when walking down (descending) or up (ascending); value not None (and
    so rows without a value are never beyond)."""
    value, pk = key
    if down:
        return qs.filter(**{f"{field}__lte": value}).exclude(**{field: value, "id__gte": pk})
    return qs.filter(**{f"{field}__gte": value}).exclude(**{field: value, "id__lte": pk})


def _walk(qs, field, descending, key, *, forwards, nullable, limit):
    """Up to `limit` rows strictly beyond `key` (None: from the start) in the list's order (`forwards`) or against
    it, in the order walked. Rows without a value (`nullable`) are read apart, by id: the databases sort NULL
    differently and SQLite's indexes cannot say NULLS LAST."""
    down = descending == forwards
    nulls = qs.filter(**{f"{field}__isnull": True}) if nullable else qs.none()
    valued = qs.filter(**{f"{field}__isnull": False}) if nullable else qs
    if key is None:
        rows = list(valued.order_by(*_order(field, down))[:limit])
    elif key[0] is None:  # among the rows without a value (the list's end)
        rows = list(nulls.filter(**{"id__lt" if down else "id__gt": key[1]}).order_by("-id" if down else "id")[:limit])
        if not forwards and len(rows) < limit:  # walking back past them into the valued rows
            rows += list(valued.order_by(*_order(field, down))[: limit - len(rows)])
        return rows
    else:
        rows = list(_beyond(qs, field, key, down).order_by(*_order(field, down))[:limit])
    if forwards and nullable and len(rows) < limit:  # the valued rows end on this page: then those without
        rows += list(nulls.order_by("-id" if down else "id")[: limit - len(rows)])
    return rows


def seek_page(qs, field: str, *, after=None, before=None, descending=False, nullable=False, size=PAGE_SIZE) -> SeekPage:
    """One page of `qs` in the order (`field`, id), ascending or `descending`: the first page, the page after
    position `after` (the next link) or the one before position `before` (the previous link). `qs` carries the
    filters, not the order. Two queries at most (one more only when a page reaches the empty values)."""
    after_key, before_key = parse_position(after), parse_position(before)
    if before_key and not after_key:
        rows = _walk(qs, field, descending, before_key, forwards=False, nullable=nullable, limit=size + 1)
        more = len(rows) > size
        rows = rows[:size][::-1]
        return SeekPage(
            rows,
            None,
            position(rows[-1], field) if rows else None,
            position(rows[0], field) if more and rows else None,
        )
    rows = _walk(qs, field, descending, after_key, forwards=True, nullable=nullable, limit=size + 1)
    more = len(rows) > size
    rows = rows[:size]
    previous = None
    if after_key:  # a previous page holds at least the row at `after`
        previous = position(rows[0], field) if rows else after
    return SeekPage(rows, after if after_key else None, position(rows[-1], field) if more else None, previous)


def page_links(query, page: SeekPage, after_param: str, before_param: str | None = None, anchor: str = "") -> dict:
    """The next, previous and first-page links ("?…#anchor") of one seek-paged list on a page: `query` (a QueryDict:
    the filters, another list's position) with this list's position replaced; "" where there is no such link."""

    def link(param=None, value=None):
        q = query.copy()
        q.pop(after_param, None)
        if before_param:
            q.pop(before_param, None)
        if param:
            q[param] = value
        return f"?{q.urlencode()}#{anchor}" if anchor else f"?{q.urlencode()}"

    return {
        "next": link(after_param, page.next_after) if page.next_after else "",
        "previous": link(before_param, page.previous_before) if before_param and page.previous_before else "",
        "first": link() if not page.is_first else "",
    }
