"""Budget pages. Thin: resolve the case through the selectors (404 if not visible), call a service, render."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorbraak.cases.selectors import case_id_subject
from doorbraak.core import permissions
from doorbraak.core.access import deny, get_visible_or_404
from doorbraak.core.audit import log_access
from doorbraak.core.errors import RuleError
from doorbraak.core.form_tokens import DuplicateSubmission
from doorbraak.core.models import AccessEvent, Team
from doorbraak.core.money import format_euro_input
from doorbraak.core.pdf import pdf_response, render_pdf
from doorbraak.core.views_forms import form_page

from . import calculations as calc
from . import selectors, services
from .forms import (
    AgreementForm,
    CatalogueAddForm,
    CatalogueChangeForm,
    FundForm,
    PlanLineForm,
    PlanSettingsForm,
    RealisedCostForm,
    ReturnForm,
    SharesForm,
)
from .models import CatalogueItem, Plan, PlanLine, Scenario


def _log(request, case, event, action=AccessEvent.Action.READ):
    log_access(
        request, event, obj=case, subject=("household", case.household_id), purpose="case_management", action=action
    )


def _plan_or_404(request, case_id):
    return selectors.plan_for(request.user, case_id)


def _row_or_404(request, model, pk, plan):
    """A loan or reclaim of this plan; a row of another plan (or municipality) is a logged refusal."""
    return get_visible_or_404(
        request,
        model.objects.all(),
        pk,
        plan=plan,
        subject=lambda row: case_id_subject(
            Plan._base_manager.filter(pk=row.plan_id).values_list("case_id", flat=True).first()
        ),
    )


def _form_error(form, err: RuleError):
    field = err.field if err.field in form.fields else None
    form.add_error(field, err.message)


def _booked(request, result, done):
    """The success message, or the honest one when the one-time token was used before (nothing booked again)."""
    if getattr(result, "replayed", False):
        messages.info(request, services.REPLAY_MESSAGE)
    else:
        messages.success(request, done)


class _Rebooked(DuplicateSubmission):
    """A money form whose one-time key was used before: the entry booked then is returned, nothing is booked again."""

    message = services.REPLAY_MESSAGE


def _not_rebooked(result):
    if getattr(result, "replayed", False):
        raise _Rebooked
    return result


def _back(case):
    return redirect("plan:detail", case_id=case.pk)


def _plan_url(case, anchor=""):
    return reverse("plan:detail", kwargs={"case_id": case.pk}) + anchor


def _plan_form(request, case, plan, form, *, title, save, done_message, anchor="", **context):
    """A form page of a plan (budget/plan_form.html): back to the plan after success or a replay."""
    return form_page(
        request,
        form,
        template="budget/plan_form.html",
        context={"case": case, "plan": plan, "title": title, **context},
        save=save,
        done_message=done_message,
        redirect_to=_plan_url(case, anchor),
        replay_to=_plan_url(case),
    )


def _do(request, case, action, success_message):
    """Run one service call for a plan page: a success message, or the service's Dutch error; back to the plan."""
    try:
        action()
        messages.success(request, success_message)
    except RuleError as err:
        messages.error(request, err.message)
    return _back(case)


# --------------------------------------------------------------------------------------------------
# Plan
# --------------------------------------------------------------------------------------------------


@login_required
def plan_detail(request, case_id):
    case = selectors.case_for(request.user, case_id)
    plan = selectors.plan_for_page(case)
    _log(request, case, "plan.read")
    context = {"case": case, "plan": plan}
    if plan is not None:
        context.update(_plan_context(request, plan))
    return render(request, "budget/plan_detail.html", context)


def _plan_context(request, plan, **forms):
    """Everything the plan page shows. `forms` replaces a form of the page by a bound one (after an error on the
    page itself the page is shown again with what was typed and the message next to the field)."""
    from .views_funds import money_context  # issue 12: the money views live in views_funds

    user = request.user
    approved = plan.status == Plan.Status.APPROVED
    context = {
        "summary": selectors.plan_summary(plan),
        "ledger": selectors.plan_ledger(plan),
        "events": selectors.plan_events(plan),
        "can_edit": plan.status == Plan.Status.DRAFT and permissions.allowed("budget.edit_plan", user, plan),
        "can_edit_agreements": permissions.allowed("budget.edit_plan", user, plan),
        "can_pay": plan.status == Plan.Status.APPROVED and permissions.allowed("budget.pay", user, plan),
        "can_record_costs": (
            plan.status == Plan.Status.APPROVED and permissions.allowed("budget.record_cost", user, plan)
        ),
        "realised_history": (history := selectors.realised_cost_history(plan) if approved else []),
        "realised": selectors.realised_vs_projected(plan, history=history),
        "mandate": (mandate := selectors.mandate_of(user)),
        "within_mandate": selectors.within_mandate(user, plan, mandate),
        "return_form": forms.get("return_form") or ReturnForm(),
        **money_context(request, plan, **forms),  # issue 12: the money parts (budget/_plan_funding.html)
        "agreement_form": forms.get("agreement_form") or AgreementForm(),
        "agreement_share_id": forms.get("agreement_share_id"),
    }
    return context


def _plan_page_again(request, case, plan, anchor_form: str, form, **extra):
    """The plan page again after an error in one of its own forms (status 400): that form keeps what was typed and
    shows its Dutch message; the others are empty. `anchor_form` names the form in the context; `extra` says which
    loan or share it belongs to."""
    _log(request, case, "plan.read")
    plan = selectors.plan_for_page(case)  # as the service left it
    context = {"case": case, "plan": plan, **_plan_context(request, plan, **{anchor_form: form, **extra})}
    return render(request, "budget/plan_detail.html", context, status=400)


@login_required
@require_POST
def plan_start(request, case_id):
    case = selectors.case_for(request.user, case_id)
    try:
        services.start_plan(request.user, case)
    except RuleError as err:
        messages.error(request, err.message)
    return _back(case)


@login_required
def plan_settings(request, case_id):
    case, plan = _plan_or_404(request, case_id)
    form = PlanSettingsForm(request.POST or None, instance=plan)
    return _plan_form(
        request,
        case,
        plan,
        form,
        title=_("Plan, uitkomsten en onderbouwing"),
        save=lambda form: services.update_plan(request.user, Plan.objects.get(pk=plan.pk), **form.cleaned_data),
        done_message=_("Het plan is bijgewerkt."),
    )


def _line_initial(line) -> dict:
    return {
        "scenario": line.scenario,
        "catalogue_item": line.catalogue_item_id,
        "description": line.description,
        "unit": line.unit,
        "amount": format_euro_input(line.amount_cents),
        "quantity": line.quantity,
        "rhythm": line.rhythm,
        "start_month": line.start_month + 1,
        "end_month": line.end_month + 1 if line.end_month is not None else None,
        "duration": line.duration if line.end_month is None and line.rhythm != "once" else None,
        "funder": line.funder,
    }


def _line_form(request, case, plan, line=None):
    """Add or change a cost line. "Bereken" shows what the line costs per month, per year and in total (the same
    rules as saving), without saving; "Opslaan" saves."""
    if line is None:
        initial = {"scenario": request.GET.get("scenario", "custom")}
    else:
        initial = _line_initial(line)
    form = PlanLineForm(
        request.POST or None,
        municipality=case.municipality,
        funder_choices=selectors.funder_choices(plan.municipality_id, keep=line.funder if line else None),
        initial=initial,
    )
    title = _("Kostenregel wijzigen") if line else _("Kostenregel toevoegen")

    def fields(form):
        item = form.cleaned_data["catalogue_item"]
        return form.line_fields(item_price=selectors.indexed_price(item) if item else None)

    if request.method == "POST" and "bereken" in request.POST:
        preview = None
        if form.is_valid():
            try:
                preview = services.preview_line(request.user, plan, **fields(form))
            except RuleError as err:
                _form_error(form, err)
        context = {"case": case, "plan": plan, "title": title, "form": form, "preview": preview, "line_form": True}
        return render(request, "budget/plan_form.html", context, status=400 if form.errors else 200)

    def save(form):
        if line is None:
            return services.add_line(request.user, plan, **fields(form))
        return services.change_line(request.user, plan, line.pk, **fields(form))

    return _plan_form(
        request,
        case,
        plan,
        form,
        title=title,
        save=save,
        done_message=_("De kostenregel is gewijzigd.") if line else _("De kostenregel is toegevoegd."),
        anchor="#sc-"
        + (line.scenario if line else initial["scenario"] if initial["scenario"] in Scenario.values else "custom"),
        line_form=True,
    )


@login_required
def line_add(request, case_id):
    case, plan = _plan_or_404(request, case_id)
    return _line_form(request, case, plan)


def _line_or_404(request, plan, line_id):
    return get_visible_or_404(
        request,
        PlanLine.objects.filter(plan=plan),
        line_id,
        subject=lambda row: case_id_subject(plan.case_id),
    )


@login_required
def line_change(request, case_id, line_id):
    case, plan = _plan_or_404(request, case_id)
    return _line_form(request, case, plan, _line_or_404(request, plan, line_id))


@login_required
def line_remove(request, case_id, line_id):
    """GET: ask for confirmation (what the line is and costs); POST: delete it."""
    case, plan = _plan_or_404(request, case_id)
    line = _line_or_404(request, plan, line_id)
    if request.method == "POST":
        return _do(
            request, case, lambda: services.remove_line(request.user, plan, line.pk), _("De kostenregel is verwijderd.")
        )
    permissions.require("budget.edit_plan", request.user, plan, _("U mag dit plan niet wijzigen."))
    _log(request, case, "plan.read")
    preview = calc.preview(selectors.as_line(line), plan.horizon_years)
    return render(request, "budget/line_remove.html", {"case": case, "plan": plan, "line": line, "preview": preview})


@login_required
def plan_shares(request, case_id):
    """Type the split of the custom plan over funders (percentages or amounts); the proposal is the suggestion."""
    case, plan = _plan_or_404(request, case_id)
    summary = selectors.plan_summary(plan)
    kinds = selectors.funder_kinds(plan.municipality_id)
    choices = selectors.funder_choices(plan.municipality_id)
    codes = [c for c, _label in choices]
    # The funders of the custom plan and those who save come first.
    first = list(summary["custom"].per_funder_total) + [r["code"] for r in summary["cofunding"]]
    ordered = sorted(choices, key=lambda c: (c[0] not in first, codes.index(c[0])))
    external = {c for c in codes if kinds.get(c) == "external"}
    shares = {s.funder: s for s in plan.shares.all()}
    initial = {"mode": "amount" if any(s.amount_cents is not None for s in shares.values()) else "percent"}
    for code, share in shares.items():
        if share.basis_points is not None:
            initial[f"share_{code}"] = str(Decimal(share.basis_points) / 100).replace(".", ",")
        elif share.amount_cents is not None:
            initial[f"share_{code}"] = format_euro_input(share.amount_cents)
        initial[f"pre_{code}"] = share.prefinanced
    if not shares:
        for row in summary["cofunding"]:
            initial[f"share_{row['code']}"] = row["percent"]
    form = SharesForm(request.POST or None, funders=ordered, external=external, initial=initial)
    if request.method == "GET":
        _log(request, case, "plan.read")
    return _plan_form(
        request,
        case,
        plan,
        form,
        title=_("Verdeling over financiers"),
        save=lambda form: services.set_shares(
            request.user,
            plan,
            mode=form.cleaned_data["mode"],
            values=form.cleaned_data["values"],
            prefinanced=form.cleaned_data["prefinanced"],
        ),
        done_message=_("De verdeling over de financiers is vastgelegd."),
        anchor="#verdeling",
        summary=summary,
        shares_form=True,
    )


@login_required
@require_POST
def share_agreement(request, case_id, share_id):
    case, plan = _plan_or_404(request, case_id)
    form = AgreementForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_agreement(
                request.user, plan, share_id, status=d["status"], on=d["on"], reference=d["reference"]
            )
            messages.success(request, _("De cofinancieringsafspraak is bijgewerkt."))
            return redirect(_plan_url(case, "#verdeling"))
        except RuleError as err:
            _form_error(form, err)
    return _plan_page_again(request, case, plan, "agreement_form", form, agreement_share_id=share_id)


@login_required
@require_POST
def plan_cofunding(request, case_id):
    case, plan = _plan_or_404(request, case_id)
    if request.POST.get("action") == "clear":
        return _do(
            request, case, lambda: services.clear_cofunding(request.user, plan), _("De verdeling is verwijderd.")
        )
    return _do(
        request,
        case,
        lambda: services.adopt_cofunding(request.user, plan),
        _("De verdeling over de financiers is vastgelegd."),
    )


@login_required
@require_POST
def plan_submit(request, case_id):
    case, plan = _plan_or_404(request, case_id)
    return _do(
        request, case, lambda: services.submit_plan(request.user, plan), _("Het plan is ingediend voor goedkeuring.")
    )


@login_required
@require_POST
def plan_return(request, case_id):
    case, plan = _plan_or_404(request, case_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_plan(request.user, plan, form.cleaned_data["reason"])
            messages.success(request, _("Het plan is teruggestuurd."))
            return _back(case)
        except RuleError as err:
            _form_error(form, err)
    return _plan_page_again(request, case, plan, "return_form", form)


@login_required
def plan_realised(request, case_id):
    case, plan = _plan_or_404(request, case_id)
    if request.method == "GET":
        _log(request, case, "plan.read")
    form = RealisedCostForm(request.POST or None)

    def save(form):
        d = form.cleaned_data
        services.record_realised_cost(
            request.user,
            plan,
            funder=d["funder"],
            amount_cents=d["amount"],
            up_to=d["up_to"],
            note=d["note"],
            token=d["form_token"],
        )

    return _plan_form(
        request,
        case,
        plan,
        form,
        title=_("Werkelijke kosten vastleggen"),
        save=save,
        done_message=_("De werkelijke kosten zijn vastgelegd."),
        anchor="#werkelijk",
        intro=_(
            "Leg per financier vast wat de casus vanaf de start van het plan werkelijk heeft "
            "gekost. Het plan zet dat naast wat voor dezelfde maanden was verwacht."
        ),
    )


@login_required
def plan_pdf(request, case_id):
    case, plan = _plan_or_404(request, case_id)
    _log(request, case, "plan.print", action=AccessEvent.Action.EXECUTE)
    pdf = render_pdf(
        "budget/plan_print.html", {"case": case, "plan": plan, "summary": selectors.plan_summary(plan)}, request=request
    )
    return pdf_response(pdf, f"maatwerkplan-{case.pk}.pdf")


# --------------------------------------------------------------------------------------------------
# Ledger overview and catalogue
# --------------------------------------------------------------------------------------------------


@login_required
def overview(request):
    if not permissions.allowed("budget.view_overview", request.user):
        raise deny(request)
    form = FundForm(teams=Team.objects.filter(municipality_id=request.user.municipality_id))
    return _overview(request, form)


def _overview(request, form, status=200):
    # The lists name cases (titles): one search-style row in the access log for the whole overview.
    log_access(
        request,
        "budget.overview",
        object_type="budget.plan",
        action=AccessEvent.Action.EXECUTE,
        purpose="case_management",
    )
    context = {
        "funds": selectors.fund_overview(request.user),
        "awaiting": selectors.awaiting_page(request.user, request.GET.get("na")),
        "approved": selectors.running_plans(request.user, 20),
        "fund_form": form if permissions.allowed("budget.manage_funds", request.user) else None,
        "mandate": selectors.mandate_of(request.user),
        "can_manage_mandates": permissions.allowed("budget.manage_mandates", request.user),
    }
    return render(request, "budget/overview.html", context, status=status)


@login_required
@require_POST
def fund_create(request):
    if not permissions.allowed("budget.view_overview", request.user):
        raise deny(request)
    form = FundForm(request.POST, teams=Team.objects.filter(municipality_id=request.user.municipality_id))
    if form.is_valid():
        d = form.cleaned_data
        try:
            fund = services.create_fund(
                request.user,
                team=d["team"],
                year=d["year"],
                name=d["name"],
                amount_cents=d["amount"],
                idempotency_key=d["token"],
            )
            _booked(request, fund, _("Het budget is toegekend."))
            return redirect("budget:overview")
        except RuleError as err:
            _form_error(form, err)
    return _overview(request, form, status=400)


@login_required
def catalogue(request):
    if not permissions.allowed("budget.read_catalogue", request.user):
        raise deny(request)
    services.ensure_default_catalogue(request.user.municipality)
    return render(
        request,
        "budget/catalogue.html",
        {
            "groups": selectors.catalogue_rows(request.user),
            "year": selectors.current_year(),
            "stale_after": selectors.STALE_AFTER_YEARS,
            "can_edit": permissions.allowed("budget.edit_catalogue", request.user),
        },
    )


@login_required
def catalogue_change(request, pk):
    if not permissions.allowed("budget.edit_catalogue", request.user):
        raise deny(request)
    item = get_visible_or_404(
        request,
        CatalogueItem.objects.filter(municipality_id=request.user.municipality_id),
        pk,
        purpose="budget_catalogue",
    )
    initial = {
        "amount": format_euro_input(item.amount_cents),
        "price_year": item.price_year,
        "source": item.source,
        "source_type": item.source_type,
        "confidence": item.confidence,
    }
    form = CatalogueChangeForm(request.POST or None, initial=initial)

    def save(form):
        d = form.cleaned_data
        services.change_catalogue_item(
            request.user,
            item,
            amount_cents=d["amount"],
            price_year=d["price_year"],
            source=d["source"],
            source_type=d["source_type"],
            confidence=d["confidence"],
            reason=d["reason"],
        )

    return form_page(
        request,
        form,
        template="budget/catalogue_change.html",
        context={"item": item, "revisions": item.revisions.select_related("changed_by")},
        save=save,
        done_message=_("Het kostenkengetal is gewijzigd. De oude waarde staat in de geschiedenis."),
        redirect_to="budget:catalogue",
    )


@login_required
def catalogue_add(request):
    if not permissions.allowed("budget.edit_catalogue", request.user):
        raise deny(request)
    form = CatalogueAddForm(request.POST or None)

    def save(form):
        d = dict(form.cleaned_data)
        d["amount_cents"] = d.pop("amount")
        services.add_catalogue_item(request.user, **d)

    return form_page(
        request,
        form,
        template="budget/catalogue_change.html",
        context={"item": None},
        save=save,
        done_message=_("Het kostenkengetal is toegevoegd."),
        redirect_to="budget:catalogue",
    )
