"""Case-file pages. Thin: parse, call a service or selector, render. Unseen cases answer 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorbraak.core.access import RoleForbidden, get_visible_or_404
from doorbraak.core.audit import log_access
from doorbraak.core.dates import dutch
from doorbraak.core.errors import RuleError
from doorbraak.core.permissions import allowed
from doorbraak.core.views_forms import form_page

from . import selectors, services
from .forms import (
    CaseCreateForm,
    ConsentForm,
    FollowUpMomentForm,
    FollowUpScheduleForm,
    HoldFollowUpForm,
    InvolvementForm,
    MeasurementForm,
    MemberForm,
    ScoreForm,
)
from .models import Case, Consent, FollowUpMoment, Involvement


def _require_case_role(user):
    if not allowed("cases.search", user):
        raise RoleForbidden


@login_required
def case_create(request):
    if not allowed("cases.open_case", request.user):
        raise RoleForbidden
    form = CaseCreateForm(request.POST or None, user=request.user)

    def save(form):
        d = form.cleaned_data
        return services.open_case(
            request.user,
            title=d["title"],
            team=d["team"],
            area=d["area"],
            question=d["question"],
            tried=d["tried"],
            stuck_since=d["stuck_since"],
            funders=d["funders"],
            scores=form.scores(),
            member={
                "first_name": d["first_name"],
                "last_name": d["last_name"],
                "date_of_birth": d["date_of_birth"],
                "bsn": d["bsn"],
            },
            token=d["form_token"],
        )

    return form_page(
        request,
        form,
        template="cases/case_form.html",
        save=save,
        done_message=_("De casus is geopend."),
        redirect_to=lambda case: reverse("cases:detail", kwargs={"case_id": case.pk}),
        replay_to="cases:list",
    )


@login_required
def case_detail(request, case_id):
    case = selectors.get_case_for(request.user, case_id)
    log_access(request, "case.read", obj=case, subject=("household", case.household_id), purpose="case_management")
    context = {
        "case": case,
        **selectors.case_detail(case),
        "is_lead": allowed("cases.lead_of", request.user, case),
        "is_closed": case.status == Case.Status.CLOSED,
    }
    return render(request, "cases/case_detail.html", context)


def _case_form_view(
    request,
    case_id,
    form_class,
    template,
    title,
    save,
    needs_user=False,
    form_kwargs=None,
    intro="",
    done=None,
    anchor="",
):
    case = selectors.get_case_for(request.user, case_id)
    kwargs = {"user": request.user} if needs_user else {}
    if form_kwargs is not None:
        kwargs.update(form_kwargs(case))
    form = form_class(request.POST or None, **kwargs)
    target = reverse("cases:detail", kwargs={"case_id": case.pk}) + anchor
    return form_page(
        request,
        form,
        template=template,
        context={"case": case, "title": title, "intro": intro},
        save=lambda form: save(case, form.cleaned_data, form),
        done_message=done or _("Opgeslagen."),
        redirect_to=target,
    )


@login_required
def member_add(request, case_id):
    def save(case, d, form):
        services.add_member(
            request.user,
            case,
            first_name=d["first_name"],
            last_name=d["last_name"],
            date_of_birth=d["date_of_birth"],
            bsn=d["bsn"],
            relation=d["relation"],
            token=d["form_token"],
        )

    return _case_form_view(request, case_id, MemberForm, "cases/case_subform.html", _("Gezinslid toevoegen"), save)


@login_required
def scores_add(request, case_id):
    def save(case, d, form):
        services.rescore(request.user, case, form.scores(), token=d["form_token"])

    return _case_form_view(
        request, case_id, ScoreForm, "cases/case_subform.html", _("Zelfredzaamheid opnieuw scoren"), save
    )


@login_required
def involvement_add(request, case_id):
    def save(case, d, form):
        services.involve(request.user, case, d["user"], d["role_in_case"], token=d["form_token"])

    return _case_form_view(
        request, case_id, InvolvementForm, "cases/case_subform.html", _("Professional toevoegen"), save, needs_user=True
    )


@login_required
def consent_add(request, case_id):
    def save(case, d, form):
        services.record_consent(
            request.user,
            case,
            organisation=d["organisation"],
            scope=d["scope"],
            given_on=d["given_on"],
            token=d["form_token"],
        )

    return _case_form_view(
        request, case_id, ConsentForm, "cases/case_subform.html", _("Toestemming vastleggen"), save, needs_user=True
    )


@login_required
@require_POST
def involvement_end(request, case_id, pk):
    case = selectors.get_case_for(request.user, case_id)
    involvement = get_visible_or_404(
        request,
        Involvement.objects.select_related("user"),
        pk,
        case=case,
        subject=lambda row: selectors.case_id_subject(row.case_id),
    )
    try:
        services.end_involvement(request.user, case, involvement)
    except RuleError as exc:
        messages.error(request, str(exc))
        return redirect("cases:detail", case_id=case.pk)
    messages.success(request, _("De betrokkenheid is beëindigd."))
    if selectors.visible_cases(request.user).filter(pk=case.pk).exists():
        return redirect("cases:detail", case_id=case.pk)
    return redirect("cases:list")


@login_required
@require_POST
def consent_withdraw(request, case_id, pk):
    case = selectors.get_case_for(request.user, case_id)
    consent = get_visible_or_404(
        request,
        Consent.objects.select_related("organisation"),
        pk,
        case=case,
        subject=lambda row: selectors.case_id_subject(row.case_id),
    )
    services.withdraw_consent(request.user, case, consent)  # a second click changes nothing
    messages.success(request, _("De toestemming is ingetrokken."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
def case_close(request, case_id):
    """Closing with care (issue 16): the page lists what is still open (planned evaluations, open actions, unpaid
    commitments, loans with terms to come) and asks for each whether it lapses or stays; the button closes."""
    case = selectors.get_case_for(request.user, case_id)
    if request.method == "POST":
        items = services.close_review(request.user, case)
        decisions = {item.key: request.POST.get(f"decision-{item.key}", "") for item in items}
        try:
            services.close_with_care(request.user, case, decisions)
        except RuleError as exc:
            if case.status == Case.Status.CLOSED or not items:  # closed already (a double click): nothing changes
                messages.info(request, str(exc))
                return redirect("cases:detail", case_id=case.pk)
            return _close_page(request, case, services.close_review(request.user, case), decisions, str(exc))
        messages.success(request, _("De casus is afgesloten."))
        return redirect("cases:list")
    if case.status == Case.Status.CLOSED:
        messages.info(request, _("Deze casus is al afgesloten."))
        return redirect("cases:detail", case_id=case.pk)
    items = services.close_review(request.user, case)
    log_access(
        request, "case.close_review", obj=case, subject=("household", case.household_id), purpose="case_management"
    )
    return _close_page(request, case, items, {}, "")


def _close_page(request, case, items, decisions, error):
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.group, []).append({"item": item, "chosen": decisions.get(item.key, "")})
    context = {"case": case, "groups": groups, "error": error, "count": len(items)}
    return render(request, "cases/close.html", context, status=400 if error else 200)


# --------------------------------------------------------------------------------------------------
# Follow-up (nazorg)
# --------------------------------------------------------------------------------------------------


@login_required
def follow_up_plan(request, case_id):
    def save(case, d, form):
        services.plan_follow_up(
            request.user,
            case,
            start=d["start"],
            interval_weeks=d["interval_weeks"],
            months=d["months"],
            token=d["form_token"],
        )

    return _case_form_view(
        request,
        case_id,
        FollowUpScheduleForm,
        "cases/case_subform.html",
        _("Evaluaties plannen"),
        save,
        form_kwargs=lambda case: {"default_start": services.default_follow_up_start(case)},
        intro=_("Standaard elke vier weken een evaluatie, gedurende de eerste drie maanden na de doorbraak."),
        done=_("De evaluaties zijn gepland."),
        anchor="#nazorg",
    )


@login_required
def follow_up_add(request, case_id):
    def save(case, d, form):
        services.add_follow_up(request.user, case, due_on=d["due_on"], token=d["form_token"])

    return _case_form_view(
        request,
        case_id,
        FollowUpMomentForm,
        "cases/case_subform.html",
        _("Evaluatiemoment toevoegen"),
        save,
        done=_("Het evaluatiemoment is gepland."),
        anchor="#nazorg",
    )


@login_required
def follow_up_hold(request, case_id, pk):
    case = selectors.get_case_for(request.user, case_id)
    moment = get_visible_or_404(
        request, FollowUpMoment.objects.all(), pk, case=case, subject=lambda row: selectors.case_id_subject(row.case_id)
    )

    def save(case, d, form):
        services.hold_follow_up(request.user, case, moment, done_on=d["done_on"], note=d["note"], token=d["form_token"])

    title = _("Evaluatie van %(d)s vastleggen") % {"d": dutch(moment.due_on)}
    return _case_form_view(
        request,
        case.pk,
        HoldFollowUpForm,
        "cases/case_subform.html",
        title,
        save,
        done=_("De evaluatie staat op gehouden."),
        anchor="#nazorg",
    )


@login_required
def measurement_add(request, case_id):
    def form_kwargs(case):
        kwargs = {"case": case}
        moment = request.GET.get("moment")
        if request.method == "GET" and moment and moment.isdigit():
            kwargs["initial"] = {"follow_up": int(moment)}
        return kwargs

    def save(case, d, form):
        services.record_measurement(
            request.user,
            case,
            measured_on=d["measured_on"],
            participation_step=d["participation_step"],
            client_satisfaction=d["client_satisfaction"],
            professional_satisfaction=d["professional_satisfaction"],
            note=d["note"],
            scores=form.scores(),
            follow_up=d["follow_up"],
            token=d["form_token"],
        )

    return _case_form_view(
        request,
        case_id,
        MeasurementForm,
        "cases/case_subform.html",
        _("Uitkomstmeting vastleggen"),
        save,
        form_kwargs=form_kwargs,
        intro=_(
            "Vul in wat u nu weet. Scores per levensdomein zijn niet verplicht: een "
            "ingevulde score komt als nieuwe score bij de zelfredzaamheid."
        ),
        done=_("De uitkomstmeting is vastgelegd."),
        anchor="#uitkomsten",
    )
