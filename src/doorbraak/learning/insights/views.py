"""Learning pages: dashboard, patterns, council report and open data (under /leren/, policy staff and leads),
and the public open-data downloads (under /open-data/). Thin: figures come from insights.analytics and
insights.report, always suppressed; access is the rule learning.view_insights (learning/permissions.py)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_scopes import scope

from doorbraak.core import charts
from doorbraak.core import permissions as rulebook
from doorbraak.core.access import deny
from doorbraak.core.models import Municipality
from doorbraak.learning.templatetags.learning_tags import cell

from .. import tasks
from . import analytics, council_reports, protection
from . import report as reports
from .protected import WHOLE, Breakdown


def _learning_user(request):
    """The user's municipality if learning.view_insights allows them; a logged 404 otherwise."""
    return analytics.insights_municipality(request.user)


def _month(value: str) -> datetime.date | None:
    try:
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)
    except (ValueError, AttributeError):
        return None


def period_from(request) -> tuple[analytics.Period, list[str]]:
    """The grid period of ?periode=2025 | 2025-K3 | 2025-07 (or ?van=&tot= when they make exactly one month,
    quarter or year); a clear Dutch error and the current year otherwise: a range off the grid is not offered,
    because its figures could be differenced with the grid's."""
    default = analytics.default_period()
    code = request.GET.get("periode", "")
    raw_start, raw_end = request.GET.get("van", ""), request.GET.get("tot", "")
    if code:
        cell = protection.parse_code(code)
        if cell is None or cell.grain == protection.ALL:
            return default, [_("Kies een maand, een kwartaal of een jaar uit de lijst.")]
        return analytics.from_grid(cell), []
    if not raw_start and not raw_end:
        return default, []
    start, end = _month(raw_start) if raw_start else None, _month(raw_end) if raw_end else None
    if start is None or end is None or not (2000 <= start.year <= 2100 and 2000 <= end.year <= 2100):
        return default, [_("Vul de maanden in als jaar en maand, bijvoorbeeld 2025-03.")]
    if end < start:
        return default, [_("De laatste maand ligt vóór de eerste maand.")]
    if protection.grid_cell(start, end) is None:
        return default, [
            _(
                "Kies een maand, een kwartaal of een heel jaar: andere periodes geven we niet, "
                "om niemand herkenbaar te maken."
            )
        ]
    return analytics.Period(start, end), []


def breakdown_from(request, municipality) -> tuple[Breakdown, list[str]]:
    """The breakdown of ?uitsplitsing=team:5 (one dimension at a time); the whole municipality and a Dutch error
    when the value is not offered."""
    code = request.GET.get("uitsplitsing", "")
    breakdown = analytics.parse_breakdown(municipality, code)
    if breakdown is None:
        return WHOLE, [_("Deze uitsplitsing bestaat niet of heeft te weinig casussen; we tonen de hele gemeente.")]
    return breakdown, []


LEARNING_NAV = [
    ("learning:home", _lazy("Overzicht")),
    ("learning:patterns", _lazy("Patronen")),
    ("learning:themes", _lazy("Thema's en voorstellen")),
    ("learning:stories", _lazy("Verhalen")),
    ("learning:sessions", _lazy("Leersessies")),
    ("learning:report", _lazy("Raadsrapportage")),
    ("learning:open_data", _lazy("Open data")),
]


def learning_nav(request) -> list[dict]:
    items = []
    for name, label in LEARNING_NAV:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": request.path == url})
    return items


def _period_context(request, municipality=None, *, with_breakdown: bool = False):
    period, errors = period_from(request)
    breakdown, breakdown_errors = (
        breakdown_from(request, municipality) if with_breakdown and municipality is not None else (WHOLE, [])
    )
    query = f"periode={period.code}"
    if breakdown != WHOLE:
        query += "&" + urlencode({"uitsplitsing": analytics.breakdown_code(breakdown)})
    context = {
        "period": period,
        "period_errors": errors,
        "breakdown_errors": breakdown_errors,
        "period_query": query,
        "learning_nav": learning_nav(request),
        "period_code": period.code,
        "period_choices": analytics.period_choices(municipality) if municipality is not None else [],
        "breakdown": breakdown,
        "breakdown_code": analytics.breakdown_code(breakdown),
        "breakdown_options": analytics.breakdown_options(municipality)
        if with_breakdown and municipality is not None
        else [],
        "explanation": analytics.EXPLANATION,
    }
    if breakdown != WHOLE:
        context["breakdown_label"] = analytics.breakdown_label(municipality, breakdown)
    return period, breakdown, context


@login_required
def dashboard(request):
    municipality = _learning_user(request)
    period, breakdown, context = _period_context(request, municipality, with_breakdown=True)
    data = analytics.dashboard_for(request.user, period, breakdown)
    context.update(
        data=data,
        can_refresh=rulebook.allowed("learning.refresh", request.user),
        refresh=tasks.refresh_state(municipality),
        monthly_chart=charts.vertical_bars(
            [(r["label"], [r["opened"], r["broke"]]) for r in data["monthly"]["rows"]], ["db-chart-f0", "db-chart-f2"]
        ),
        barrier_chart=charts.horizontal_bars([(b["label"], b["cases"]) for b in data["barriers"]["codes"]], label=cell),
        domain_chart=charts.diverging_bars([(d["label"], d["mean"]) for d in data["domains"]]),
    )
    return render(request, "learning/dashboard.html", context)


@login_required
def patterns(request):
    period, _breakdown, context = _period_context(request, _learning_user(request))
    context["result"] = analytics.patterns_for(request.user, period)
    return render(request, "learning/patterns.html", context)


@login_required
@require_POST
def refresh(request):
    """Enqueue a facts refresh and return at once; a worker does the work (learning.tasks)."""
    _learning_user(request)
    if not rulebook.allowed("learning.refresh", request.user):
        raise deny(request)
    if tasks.request_refresh(request.user).created:
        messages.success(
            request,
            _("Het bijwerken van de cijfers staat in de wachtrij. De nieuwe cijfers staan hier zodra het klaar is."),
        )
    else:
        messages.info(request, _("Het bijwerken van de cijfers staat al in de wachtrij."))
    return redirect("learning:home")


@login_required
def report(request):
    municipality = _learning_user(request)
    period, _breakdown, context = _period_context(request, municipality)
    context.update(reports.report_context(municipality, period))
    context["council_reports"] = council_reports.recent_reports(request.user)
    return render(request, "learning/report.html", context)


@login_required
@require_POST
def report_request(request):
    """Ask for the PDF of the chosen period: a worker makes it; the next page says when it is ready."""
    _learning_user(request)
    period, errors = period_from(request)
    if errors:
        for error in errors:
            messages.error(request, error)
        return redirect("learning:report")
    report, created = council_reports.request_report(request.user, period)
    if not created:
        messages.info(request, _("Deze rapportage wordt al gemaakt; u hoeft niet opnieuw te vragen."))
    return redirect("learning:report_status", report.pk)


@login_required
def report_status(request, pk):
    """The report's state; `?formaat=json` (the page's own polling) answers just the state."""
    _learning_user(request)
    report = council_reports.get_report(request.user, pk)
    if request.GET.get("formaat") == "json":
        return JsonResponse({"status": report.status, "pending": report.pending})
    period = analytics.Period(report.period_start, report.period_end)
    return render(
        request,
        "learning/report_status.html",
        {
            "report": report,
            "period": period,
            "learning_nav": learning_nav(request),
            "period_query": f"van={period.start:%Y-%m}&tot={period.end:%Y-%m}",
            "expires_at": council_reports.expires_at(report),
            "attempts_left": report.error and report.pending,
        },
    )


@login_required
def report_download(request, pk):
    _learning_user(request)
    report, handle = council_reports.open_report(request.user, pk)
    return FileResponse(handle, content_type="application/pdf", filename=council_reports.file_name(report))


def _open_data_context(request, municipality):
    period, breakdown, context = _period_context(request, municipality, with_breakdown=True)
    context.update(
        municipality=municipality,
        datasets=reports.DATASETS.values(),
        rules=reports.RULES,
        common=reports.COMMON,
        table=protection.table_rows(),
    )
    return period, breakdown, context


@login_required
def open_data(request):
    municipality = _learning_user(request)
    _period, _breakdown, context = _open_data_context(request, municipality)
    return render(request, "learning/open_data.html", context)


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _dataset_csv(request, municipality, dataset: str) -> HttpResponse:
    if dataset == "woordenboek":
        return _csv_response(reports.dictionary_csv(), "woordenboek.csv")
    if dataset == "verstoringstabel":
        return _csv_response(reports.perturbation_table_csv(), "verstoringstabel.csv")
    if dataset not in reports.DATASETS:
        raise Http404
    period, _errors = period_from(request)
    breakdown, _errors = breakdown_from(request, municipality)
    text = reports.open_data_csv(municipality, dataset, period=period, breakdown=breakdown)
    suffix = f"-{breakdown.dimension}-{breakdown.value}" if breakdown.dimension else ""
    return _csv_response(text, f"{municipality.code}-{dataset}-{period.code}{slugify(suffix)}.csv")


@login_required
def open_data_csv(request, dataset):
    return _dataset_csv(request, _learning_user(request), dataset)


# --- Public open data (no login): the same suppressed aggregates --------------------------------------------


def public_open_data(request, code):
    municipality = get_object_or_404(Municipality, code=code)
    with scope(municipality=municipality.pk):
        _period, _breakdown, context = _open_data_context(request, municipality)
        context["public"] = True
        return render(request, "learning/open_data.html", context)


def public_open_data_csv(request, code, dataset):
    municipality = get_object_or_404(Municipality, code=code)
    with scope(municipality=municipality.pk):
        return _dataset_csv(request, municipality, dataset)
