"""Money pages: approval on a chosen fund, payments (payee, IBAN, once), loans with a schedule, reclaims, the fund
page with its ledger and CSV, SEPA export, closing a plan's funding, mandate levels. Thin: selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorbraak.core import csv_safe, permissions
from doorbraak.core.access import deny, get_visible_or_404
from doorbraak.core.audit import log_access
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent
from doorbraak.core.money import format_euro_input
from doorbraak.core.templatetags.doorbraak import format_euro_cents
from doorbraak.core.views_forms import form_page

from . import selectors, selectors_funds, services
from .forms_funds import (
    ApproveForm,
    EntryFilterForm,
    FundIbanForm,
    LoanForm,
    LoanOutcomeForm,
    MandateLevelForm,
    PaymentForm,
    ReclaimForm,
    RepaymentForm,
    WriteOffForm,
)
from .models import Loan, Plan, Reclaim, SepaExport
from .views import (
    _back,
    _booked,
    _do,
    _form_error,
    _log,
    _not_rebooked,
    _plan_form,
    _plan_or_404,
    _plan_page_again,
    _row_or_404,
)


def money_context(request, plan, **forms) -> dict:
    """What the plan page's money parts need (`budget/_plan_funding.html` and the loan/reclaim forms); `forms`
    replaces one of them by a bound form after an error (`repay_loan_id`/`write_off_loan_id`: the loan it is for)."""
    user = request.user
    funding = selectors_funds.plan_funding(plan)
    return {
        "funding": funding,
        "approve_form": ApproveForm(funds=funding["options"]),
        "outcome_form": LoanOutcomeForm(),
        "repay_form": RepaymentForm(),
        "repay_form_bound": forms.get("repay_form"),
        "repay_loan_id": forms.get("repay_loan_id"),
        "write_off_form": WriteOffForm(),
        "write_off_form_bound": forms.get("write_off_form"),
        "write_off_loan_id": forms.get("write_off_loan_id"),
        "reclaim_form": forms.get("reclaim_form") or ReclaimForm(),
        "can_close_funding": (
            funding["funding"] is not None
            and funding["funding"].closed_at is None
            and permissions.allowed("budget.close_funding", user, plan)
        ),
    }


# --- Plan: approval, payments, loans, reclaims, closing ---------------------------------------------------


@login_required
@require_POST
def plan_approve(request, case_id):
    case, plan = _plan_or_404(request, case_id)
    funds = selectors_funds.funds_for(plan)
    form = ApproveForm(request.POST, funds=funds)
    fund = None
    if "fund" in request.POST:
        if not form.is_valid():
            messages.error(request, _("Kies een budget van het team van deze casus voor dit jaar."))
            return _back(case)
        fund = next(f for f in funds if f.pk == form.cleaned_data["fund"])
    return _do(request, case, lambda: services.approve_plan(request.user, plan, fund), _("Het plan is goedgekeurd."))


def _money_form(request, case_id, form_class, title, action, done, **extra):
    case, plan = _plan_or_404(request, case_id)
    if request.method == "GET":
        _log(request, case, "plan.read")
    remaining = selectors.plan_money(plan)["remaining"] if plan.status == Plan.Status.APPROVED else 0
    initial = {"amount": format_euro_input(remaining)} if remaining else {}
    form = form_class(request.POST or None, initial=initial)
    return _plan_form(
        request,
        case,
        plan,
        form,
        title=title,
        save=lambda form: _not_rebooked(action(plan, form.cleaned_data)),
        done_message=done,
        remaining=remaining,
        **extra,
    )


@login_required
def plan_pay(request, case_id):
    def action(plan, data):
        return services.pay(
            request.user,
            plan,
            data["amount"],
            description=data["description"],
            idempotency_key=data["token"],
            payee_name=data["payee_name"],
            iban=data["iban"],
            pay_again=data["pay_again"],
        )

    return _money_form(
        request,
        case_id,
        PaymentForm,
        _("Betaling vastleggen"),
        action,
        _("De betaling is vastgelegd. Ze gaat mee in het volgende betaalbestand (SEPA)."),
        intro=_("Een betaling gaat naar één begunstigde met een IBAN; de financiële administratie maakt haar over."),
    )


@login_required
def plan_loan(request, case_id):
    def action(plan, data):
        return services.grant_loan(
            request.user,
            plan,
            data["amount"],
            condition=data["condition"],
            deadline=data["deadline"],
            idempotency_key=data["token"],
            route_when_met=data["route_when_met"],
            instalment_cents=data["instalment"],
            terms=data["terms"],
            first_due=data["first_due"],
        )

    return _money_form(request, case_id, LoanForm, _("Lening verstrekken"), action, _("De lening is verstrekt."))


@login_required
@require_POST
def loan_outcome(request, case_id, loan_id):
    case, plan = _plan_or_404(request, case_id)
    loan = _row_or_404(request, Loan, loan_id, plan)
    form = LoanOutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.loan_outcome(request.user, loan, form.cleaned_data["outcome"])
            messages.success(request, _("De uitkomst van de lening is vastgelegd."))
        except RuleError as err:
            messages.error(request, err.message)
    else:
        messages.error(request, _("Kies een uitkomst."))
    return _back(case)


@login_required
@require_POST
def loan_repay(request, case_id, loan_id):
    case, plan = _plan_or_404(request, case_id)
    loan = _row_or_404(request, Loan, loan_id, plan)
    form = RepaymentForm(request.POST)
    if form.is_valid():
        try:
            entry = services.repay_loan(
                request.user, loan, form.cleaned_data["amount"], idempotency_key=form.cleaned_data["token"]
            )
            _booked(request, entry, _("De aflossing is vastgelegd."))
            return _back(case)
        except RuleError as err:
            _form_error(form, err)
    return _plan_page_again(request, case, plan, "repay_form", form, repay_loan_id=loan.pk)


@login_required
@require_POST
def loan_write_off(request, case_id, loan_id):
    case, plan = _plan_or_404(request, case_id)
    loan = _row_or_404(request, Loan, loan_id, plan)
    if request.POST.get("action") == "approve":
        return _do(
            request, case, lambda: services.approve_write_off(request.user, loan), _("De lening is afgeschreven.")
        )
    form = WriteOffForm(request.POST)
    if form.is_valid():
        try:
            services.request_write_off(request.user, loan, form.cleaned_data["reason"])
            messages.success(request, _("Het afschrijven is aangevraagd; een collega moet het goedkeuren."))
            return _back(case)
        except RuleError as err:
            _form_error(form, err)
    return _plan_page_again(request, case, plan, "write_off_form", form, write_off_loan_id=loan.pk)


@login_required
@require_POST
def reclaim_add(request, case_id):
    case, plan = _plan_or_404(request, case_id)
    form = ReclaimForm(request.POST)
    if form.is_valid():
        try:
            reclaim = services.expect_reclaim(
                request.user,
                plan,
                form.cleaned_data["funder"],
                form.cleaned_data["amount"],
                idempotency_key=form.cleaned_data["token"],
                purpose=form.cleaned_data["purpose"],
            )
            _booked(request, reclaim, _("De terugvordering is vastgelegd."))
            return _back(case)
        except RuleError as err:
            _form_error(form, err)
    return _plan_page_again(request, case, plan, "reclaim_form", form)


@login_required
@require_POST
def reclaim_move(request, case_id, reclaim_id):
    case, plan = _plan_or_404(request, case_id)
    reclaim = _row_or_404(request, Reclaim, reclaim_id, plan)
    return _do(
        request,
        case,
        lambda: services.move_reclaim(request.user, reclaim, request.POST.get("status", "")),
        _("De terugvordering is bijgewerkt."),
    )


@login_required
@require_POST
def funding_close(request, case_id):
    case, plan = _plan_or_404(request, case_id)
    try:
        released = services.close_funding(request.user, plan)
        messages.success(
            request,
            _("De financiering is afgesloten. Terug naar het budget: %(a)s.") % {"a": format_euro_cents(released)},
        )
    except RuleError as err:
        messages.error(request, err.message)
    return _back(case)


# --- Fund page, CSV, SEPA -----------------------------------------------------------------------------------


def _fund(request, fund_id):
    return selectors_funds.visible_fund(request.user, fund_id)


def _filters(request):
    form = EntryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, {"kind": data.get("kind", ""), "since": data.get("since"), "until": data.get("until")}


@login_required
def fund_detail(request, fund_id):
    fund = _fund(request, fund_id)
    form, filters = _filters(request)
    page = selectors_funds.entry_page(selectors_funds.fund_entries(fund, **filters), request.GET.get("na"))
    log_access(request, "budget.fund", obj=fund, action=AccessEvent.Action.READ, purpose="budget_management")
    query = request.GET.copy()
    query.pop("na", None)
    context = {
        "fund": fund,
        "page": page,
        "filter_form": form,
        "query": query.urlencode(),
        "exports": list(SepaExport.objects.filter(fund=fund)[:10]),
        "open_orders": selectors_funds.open_orders(fund),
        "can_export": permissions.allowed("budget.export_sepa", request.user, fund),
        "iban_form": FundIbanForm(initial={"iban": fund.iban}),
    }
    return render(
        request, "budget/fund_detail.html", context, status=200 if form.is_valid() or not request.GET else 400
    )


@login_required
def fund_csv(request, fund_id):
    """All entries of the fund (with the page's filters) as CSV, streamed row by row through core.csv_safe."""
    fund = _fund(request, fund_id)
    _form, filters = _filters(request)
    log_access(request, "budget.fund_export", obj=fund, action=AccessEvent.Action.EXECUTE, purpose="budget_management")
    entries = selectors_funds.fund_entries(fund, **filters).select_related("created_by").iterator(chunk_size=2000)

    class Echo:
        def write(self, value):
            return value

    writer = csv_safe.SafeWriter(Echo(), delimiter=";", lineterminator="\r\n")

    def rows():
        yield "\ufeff" + writer.writerow(["datum", "soort", "bedrag_euro", "plan", "omschrijving", "door"])
        for e in entries:
            yield writer.writerow(
                [
                    e.created_at.date().isoformat(),
                    e.get_kind_display(),
                    f"{e.amount_cents / 100:.2f}".replace(".", ","),
                    e.plan_id or "",
                    e.description,
                    str(e.created_by) if e.created_by_id else "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budget-{fund.pk}.csv"'
    return response


@login_required
@require_POST
def fund_iban(request, fund_id):
    fund = _fund(request, fund_id)
    form = FundIbanForm(request.POST)
    if form.is_valid():
        try:
            services.set_fund_iban(request.user, fund, form.cleaned_data["iban"])
            messages.success(request, _("Het IBAN van dit budget is opgeslagen."))
        except RuleError as err:
            messages.error(request, err.message)
    else:
        messages.error(request, _("Vul het IBAN van de gemeente in."))
    return redirect("budget:fund_detail", fund_id=fund.pk)


@login_required
@require_POST
def sepa_export(request, fund_id):
    fund = _fund(request, fund_id)
    try:
        export = services.export_sepa(request.user, fund)
    except RuleError as err:
        messages.error(request, err.message)
        return redirect("budget:fund_detail", fund_id=fund.pk)
    if export is None:
        messages.info(request, _("Er zijn geen betalingen die nog niet in een betaalbestand staan."))
        return redirect("budget:fund_detail", fund_id=fund.pk)
    messages.success(
        request,
        _("Betaalbestand gemaakt: %(n)s betalingen, samen %(a)s.")
        % {"n": export.count, "a": format_euro_cents(export.total_cents)},
    )
    return redirect("budget:fund_detail", fund_id=fund.pk)


@login_required
def sepa_download(request, fund_id, export_id):
    fund = _fund(request, fund_id)
    if not permissions.allowed("budget.export_sepa", request.user, fund):
        raise deny(request)
    export = get_visible_or_404(request, SepaExport.objects.filter(fund=fund), export_id, purpose="budget_management")
    log_access(
        request, "budget.sepa_download", obj=export, action=AccessEvent.Action.EXECUTE, purpose="budget_management"
    )
    response = HttpResponse(export.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sepa-{export.message_id}.xml"'
    return response


# --- Mandate levels -----------------------------------------------------------------------------------------


@login_required
def mandates(request):
    if not permissions.allowed("budget.manage_mandates", request.user):
        raise deny(request)
    form = MandateLevelForm(request.POST or None)

    def save(form):
        services.set_mandate_level(
            request.user, name=form.cleaned_data["name"], ceiling_cents=form.cleaned_data["ceiling"]
        )

    return form_page(
        request,
        form,
        template="budget/mandates.html",
        context={"levels": selectors_funds.mandate_levels(request.user.municipality_id)},
        save=save,
        done_message=_("Het mandaatniveau is opgeslagen."),
        redirect_to=reverse("budget:mandates"),
    )
