"""Pages of /gegevens/ (issue 17, points 5-6): the overview, the import (upload, dry run, confirm) and the exports.
Views only call transfer.services / transfer.exporting and show their errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorbraak.cases.forms import CaseFilterForm
from doorbraak.cases.views_list import SEARCH_SESSION_KEY, URL_FILTERS
from doorbraak.core.access import RoleForbidden
from doorbraak.core.errors import RuleError
from doorbraak.core.pdf import pdf_response, render_pdf
from doorbraak.core.permissions import allowed

from . import exporting, services
from .forms import UploadForm
from .models import ImportBatch


def _require_view(request):
    if not allowed("transfer.view", request.user):
        raise RoleForbidden


@login_required
def home(request):
    _require_view(request)
    return render(
        request,
        "transfer/home.html",
        {
            "may_import": allowed("transfer.import", request.user),
            "may_export": allowed("transfer.export_list", request.user),
            "batches": services.recent_batches(request.user),
        },
    )


@login_required
def upload(request):
    if not allowed("transfer.import", request.user):
        raise RoleForbidden
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                batch = services.upload(request.user, form.cleaned_data["file"])
            except RuleError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, _("Het bestand is ontvangen en wordt gecontroleerd."))
                return redirect("transfer:import_status", batch.pk)
        status = 400
    return render(request, "transfer/upload.html", {"form": form}, status=status)


@login_required
def import_status(request, batch_id):
    batch = services.get_batch(request.user, batch_id)
    if request.GET.get("formaat") == "json":
        return JsonResponse({"status": batch.poll_state, "pending": batch.pending})
    only_problems = request.GET.get("alleen") == "geweigerd"
    return render(
        request,
        "transfer/import_status.html",
        {
            "batch": batch,
            "rows": services.rows_of(request.user, batch, only_problems=only_problems)
            if batch.status not in ImportBatch.PENDING
            else [],
            "only_problems": only_problems,
            "needs_second": services.needs_second(batch),
            "may_confirm": batch.status == ImportBatch.Status.CHECKED and batch.uploaded_by_id == request.user.pk,
            "may_second_confirm": batch.status == ImportBatch.Status.AWAITING_SECOND
            and allowed("transfer.second_confirm", request.user, batch),
        },
    )


@login_required
@require_POST
def import_confirm(request, batch_id):
    try:
        batch = services.confirm(request.user, batch_id)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        if batch.status == ImportBatch.Status.AWAITING_SECOND:
            messages.info(request, _("Bevestigd. Een tweede doorbraakregisseur moet deze import nog bevestigen."))
        else:
            messages.success(request, _("Bevestigd. De gegevens worden ingelezen."))
    return redirect("transfer:import_status", batch_id)


@login_required
@require_POST
def import_cancel(request, batch_id):
    try:
        services.cancel(request.user, batch_id)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De import is geannuleerd en het bestand is verwijderd."))
    return redirect("transfer:import_status", batch_id)


def _list_filters(request):
    """The case list's filters: the URL's codes and the search text the case list keeps in the session."""
    data = {name: request.GET[name] for name in URL_FILTERS if name in request.GET}
    search = request.session.get(SEARCH_SESSION_KEY, "")
    if search:
        data["q"] = search
    form = CaseFilterForm(data or None, user=request.user)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return form, {k: d[k] for k in ("q", "status", "domain", "team", "stuck_weeks")}
    return form, {}


@login_required
def export(request):
    if not allowed("transfer.export_list", request.user):
        raise RoleForbidden
    case_value = request.GET.get("casus", "").strip()[:12]
    case_error = ""
    if "casus" in request.GET:
        if case_value.isascii() and case_value.isdigit() and 0 < int(case_value) < 2**63:
            return redirect("transfer:case_file", int(case_value))
        case_error = _("Vul een casusnummer in (alleen cijfers).")
    form, filters = _list_filters(request)
    query = QueryDict(mutable=True)
    for name in URL_FILTERS:
        if name in request.GET and form.is_bound and not form.errors:
            query[name] = request.GET[name]
    return render(
        request,
        "transfer/export.html",
        {
            "form": form,
            "query": query.urlencode(),
            "searching": bool(filters.get("q")),
            "invalid": form.is_bound and bool(form.errors),
            "case_value": case_value,
            "case_error": case_error,
        },
        status=400 if case_error else 200,
    )


@login_required
def export_cases_csv(request):
    if not allowed("transfer.export_list", request.user):
        raise RoleForbidden
    _form, filters = _list_filters(request)
    rows = exporting.case_list_rows(request.user, filters)
    exporting.log_list_export(request, "csv")
    response = StreamingHttpResponse(exporting.csv_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="casussen.csv"'
    return response


@login_required
def export_cases_xlsx(request):
    if not allowed("transfer.export_list", request.user):
        raise RoleForbidden
    _form, filters = _list_filters(request)
    handle = exporting.xlsx_file(exporting.case_list_rows(request.user, filters))
    exporting.log_list_export(request, "xlsx")
    return FileResponse(
        handle,
        as_attachment=True,
        filename="casussen.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def case_file(request, case_id):
    """The access-request page of one case: what the export holds, and the two downloads."""
    from doorbraak.cases import selectors as case_selectors

    case = case_selectors.get_case_for(request.user, case_id)
    return render(
        request,
        "transfer/case_file.html",
        {"case": case, "may_export": allowed("transfer.export_case_file", request.user, case)},
    )


@login_required
def case_file_json(request, case_id):
    data = exporting.case_file(request.user, case_id)
    response = FileResponse(
        iter([exporting.case_file_json(data)]),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="inzage-casus-{int(case_id)}.json"'
    return response


@login_required
def case_file_pdf(request, case_id):
    data = exporting.case_file(request.user, case_id)
    pdf = render_pdf("transfer/case_file_pdf.html", {"data": data}, request=request)
    return pdf_response(pdf, f"inzage-casus-{int(case_id)}.pdf", attachment=True)
