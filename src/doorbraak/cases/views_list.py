"""The case list page (issue 15): page first, keyset paging, a total exact up to a cap."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from doorbraak.core.access import RoleForbidden
from doorbraak.core.audit import log_access
from doorbraak.core.models import AccessEvent
from doorbraak.core.permissions import allowed

from . import selectors, selectors_list
from .forms import CaseFilterForm

FOLLOW_UP_PAGE_SIZE = 10
SEARCH_SESSION_KEY = "cases.list.q"  # the free-text search (often a client's name) lives here, never in a URL
URL_FILTERS = (
    "status",
    "domain",
    "team",
    "stuck_weeks",
    "platform",
)  # filters without personal data may stay in the URL
PAGING = ("pagina", "na", "voor")  # page number and keyset cursors (opened_at in microseconds and case id)


MAX_FOLLOW_UP_PAGE = 100


@dataclass
class FollowUpPage:
    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1


def follow_up_page(qs, value) -> FollowUpPage:
    """One page of the evaluations due, without counting them all (a lead's team can have thousands): one row more
    than the page tells whether there is a next page. A number past the end shows the first page."""
    try:
        number = min(max(int(value), 1), MAX_FOLLOW_UP_PAGE)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * FOLLOW_UP_PAGE_SIZE
    rows = list(qs[offset : offset + FOLLOW_UP_PAGE_SIZE + 1])
    if not rows and number > 1:
        return follow_up_page(qs, 1)
    return FollowUpPage(rows[:FOLLOW_UP_PAGE_SIZE], number, len(rows) > FOLLOW_UP_PAGE_SIZE)


def _filter_query(cleaned) -> str:
    """The URL query of the filters that hold no personal data (codes, a team id, a number of weeks)."""
    query = QueryDict(mutable=True)
    for name in URL_FILTERS:
        value = cleaned.get(name)
        if value not in (None, ""):
            query[name] = value.pk if hasattr(value, "pk") else value
    return query.urlencode()


@login_required
def case_list(request):
    """The case list. The search text is posted (CSRF-protected) and kept in the session, so a client's name never
    appears in a URL, a Location header, a pagination link or the server's access log (issue 10)."""
    if not allowed("cases.search", request.user):
        raise RoleForbidden
    if request.method == "POST":
        form = CaseFilterForm(request.POST, user=request.user)
        if form.is_valid():
            request.session[SEARCH_SESSION_KEY] = "" if "wissen" in request.POST else form.cleaned_data["q"]
            query = _filter_query(form.cleaned_data)
            return redirect(reverse("cases:list") + (f"?{query}" if query else ""))
        return _render_list(request, form, {}, status=400)
    if "q" in request.GET:  # an old bookmark or a hand-made URL: drop the text, do not search with it
        query = request.GET.copy()
        query.pop("q")
        return redirect(reverse("cases:list") + (f"?{query.urlencode()}" if query else ""))
    data = {name: request.GET[name] for name in URL_FILTERS if name in request.GET}
    search = request.session.get(SEARCH_SESSION_KEY, "")
    if search:
        data["q"] = search
    form = CaseFilterForm(data or None, user=request.user)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"],
            "status": data["status"],
            "domain": data["domain"],
            "team": data["team"],
            "stuck_weeks": data["stuck_weeks"],
            "platform": data.get("platform", ""),
        }
    return _render_list(request, form, filters)


def _render_list(request, form, filters, status=200):
    page = selectors_list.case_page(
        request.user,
        filters,
        after=request.GET.get("na"),
        before=request.GET.get("voor"),
        page=request.GET.get("pagina"),
    )
    log_access(
        request, "case.search", action=AccessEvent.Action.EXECUTE, object_type="cases.case", purpose="case_management"
    )
    follow_ups = follow_up_page(selectors.follow_ups_for(request.user), request.GET.get("evaluaties"))
    query = request.GET.copy()
    for name in PAGING:
        query.pop(name, None)
    follow_up_query = request.GET.copy()
    follow_up_query.pop("evaluaties", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "follow_ups": follow_ups,
            "searching": bool(filters.get("q")),
            "follow_up_query": follow_up_query.urlencode(),
        },
        status=status,
    )
