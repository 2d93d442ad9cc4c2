"""Case-platform pages under /casussen/<case_id>/platform/. Thin; unseen cases answer 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorbraak.cases.selectors import case_id_subject, get_case_for, sharing_overview
from doorbraak.core.access import RoleForbidden, get_visible_or_404
from doorbraak.core.audit import log_access
from doorbraak.core.permissions import allowed
from doorbraak.core.views_forms import form_page

from . import selectors, services
from .forms import (
    ActionForm,
    BreakthroughForm,
    ConveneForm,
    DecisionForm,
    EscalationForm,
    EscalationOutcomeForm,
    EvaluationForm,
    ExternalParticipantForm,
    InviteForm,
)
from .models import Escalation, Platform, PlatformAction


def _platform_subject(platform_id):
    case_id = Platform._base_manager.filter(pk=platform_id).values_list("case_id", flat=True).first()
    return case_id_subject(case_id) if case_id is not None else None


def _is_lead(user, case):
    return allowed("cases.lead_of", user, case)


@login_required
def index(request, case_id):
    case = get_case_for(request.user, case_id)
    platforms = list(case.platforms.all())
    return render(
        request, "platforms/index.html", {"case": case, "platforms": platforms, "is_lead": _is_lead(request.user, case)}
    )


def _form_page(request, *, case, platform, form, title, save, done_message, intro="", sharing=None):
    """A platform form: back to the platform (a new platform: the one `save` returned; a replay of it: the list)."""
    index = reverse("platforms:index", kwargs={"case_id": case.pk})

    def detail(target):
        return reverse("platforms:detail", kwargs={"case_id": case.pk, "pk": target.pk})

    return form_page(
        request,
        form,
        template="platforms/form.html",
        context={"case": case, "platform": platform, "title": title, "intro": intro, "sharing": sharing},
        save=lambda form: save(form.cleaned_data),
        done_message=done_message,
        redirect_to=lambda result: detail(platform or result) if (platform or result) is not None else index,
        replay_to=detail(platform) if platform is not None else index,
    )


@login_required
def convene(request, case_id):
    case = get_case_for(request.user, case_id)
    _lead_only(request, case)
    form = ConveneForm(request.POST or None, user=request.user)

    def save(d):
        return services.convene(
            request.user,
            case,
            convened_on=d["convened_on"],
            first_problem=d["first_problem"],
            client_present=d["client_present"],
            experience_expert_present=d["experience_expert_present"],
            invited=list(d["invited"]),
            token=d["form_token"],
        )

    return _form_page(
        request,
        case=case,
        platform=None,
        form=form,
        title=_("Casusplatform bijeenroepen"),
        save=save,
        done_message=_("Het casusplatform is bijeengeroepen."),
        intro=_(
            "Professionals van een organisatie die nog niet bij de casus betrokken is, kunt u "
            "alleen uitnodigen als de cliënt toestemming heeft gegeven om met die organisatie "
            "te delen."
        ),
        sharing=sharing_overview(case),
    )


@login_required
def detail(request, case_id, pk):
    platform = selectors.get_platform_for(request.user, case_id, pk)
    case = platform.case
    log_access(
        request, "platform.read", obj=platform, subject=("household", case.household_id), purpose="case_management"
    )
    shown = selectors.platform_detail(platform)  # first: the rules below read its prefetched participants
    context = {
        "case": case,
        "platform": platform,
        **shown,
        "is_lead": _is_lead(request.user, case),
        "is_participant": services.is_participant_or_lead(request.user, platform),
    }
    return render(request, "platforms/detail.html", context)


def _lead_only(request, case, rule="platforms.start"):
    if not allowed(rule, request.user, case):
        raise RoleForbidden


@login_required
def invite(request, case_id, pk):
    platform = selectors.get_platform_for(request.user, case_id, pk)
    _lead_only(request, platform.case, "platforms.invite")
    form = InviteForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        case=platform.case,
        platform=platform,
        form=form,
        title=_("Professional uitnodigen"),
        save=lambda d: services.invite(request.user, platform, d["user"], d["role"], token=d["form_token"]),
        done_message=_("De professional is uitgenodigd."),
        sharing=sharing_overview(platform.case),
    )


@login_required
def external_add(request, case_id, pk):
    """Issue 16: someone at the table without an account."""
    platform = selectors.get_platform_for(request.user, case_id, pk)
    _lead_only(request, platform.case, "platforms.add_external")
    form = ExternalParticipantForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        case=platform.case,
        platform=platform,
        form=form,
        title=_("Deelnemer zonder account toevoegen"),
        save=lambda d: services.add_external_participant(
            request.user,
            platform,
            organisation=d["organisation"],
            role=d["role"],
            contact=d["contact"],
            name=d["name"],
            may_be_named=d["may_be_named"],
            client_agreed=d["client_agreed"],
            token=d["form_token"],
        ),
        done_message=_("De deelnemer zonder account zit aan tafel. U kunt hem of haar nu een actie geven."),
        intro=_(
            "Voor wie geen account heeft, zoals de beoordelaar van het noodfonds of de wijkagent. Ook voor hen geldt "
            "de toestemming van de cliënt: hun organisatie is al betrokken of de cliënt gaf toestemming om met die "
            "organisatie te delen. Zit iemand niet namens een organisatie aan tafel, zoals een familielid of een buur, "
            "dan laat u de organisatie leeg en vraagt u de cliënt om instemming. Een naam legt u alleen vast als de "
            "deelnemer daarmee instemt."
        ),
        sharing=sharing_overview(platform.case),
    )


@login_required
def action_add(request, case_id, pk):
    platform = selectors.get_platform_for(request.user, case_id, pk)
    form = ActionForm(request.POST or None, platform=platform)
    return _form_page(
        request,
        case=platform.case,
        platform=platform,
        form=form,
        title=_("Actie toevoegen"),
        save=lambda d: services.add_action(
            request.user, platform, what=d["what"], owner=d["owner"], due_on=d["due_on"], token=d["form_token"]
        ),
        done_message=_("De actie is toegevoegd."),
    )


@login_required
@require_POST
def action_done(request, case_id, pk, action_id):
    platform = selectors.get_platform_for(request.user, case_id, pk)
    action = get_visible_or_404(
        request,
        PlatformAction.objects.all(),
        action_id,
        platform=platform,
        subject=lambda row: _platform_subject(row.platform_id),
    )
    action.platform = platform
    services.mark_action_done(request.user, action)
    messages.success(request, _("De actie staat op gedaan."))
    return redirect("platforms:detail", case_id=platform.case.pk, pk=platform.pk)


@login_required
def decision_add(request, case_id, pk):
    platform = selectors.get_platform_for(request.user, case_id, pk)
    form = DecisionForm(request.POST or None, allow_lead_decision=_is_lead(request.user, platform.case))
    return _form_page(
        request,
        case=platform.case,
        platform=platform,
        form=form,
        title=_("Besluit vastleggen"),
        save=lambda d: services.add_decision(
            request.user, platform, text=d["text"], by_lead=d.get("by_lead", False), token=d["form_token"]
        ),
        done_message=_("Het besluit is vastgelegd."),
    )


@login_required
def breakthrough(request, case_id, pk):
    platform = selectors.get_platform_for(request.user, case_id, pk)
    form = BreakthroughForm(request.POST or None, platform=platform)
    return _form_page(
        request,
        case=platform.case,
        platform=platform,
        form=form,
        title=_("Doorbraak vastleggen"),
        save=lambda d: services.record_breakthrough(
            request.user,
            platform,
            breakthrough_on=d["breakthrough_on"],
            breakthrough=d["breakthrough"],
            solution_kind=d["solution_kind"],
            token=d["form_token"],
        ),
        done_message=_("De doorbraak is vastgelegd."),
    )


@login_required
def evaluation(request, case_id, pk):
    platform = selectors.get_platform_for(request.user, case_id, pk)
    form = EvaluationForm(request.POST or None)
    return _form_page(
        request,
        case=platform.case,
        platform=platform,
        form=form,
        title=_("Casusplatform evalueren"),
        save=lambda d: services.evaluate(
            request.user,
            platform,
            helped=d["helped"],
            blocked=d["blocked"],
            blocker_tags=d["blocker_tags"],
            client_satisfaction=d["client_satisfaction"],
            professional_satisfaction=d["professional_satisfaction"],
            token=d["form_token"],
        ),
        done_message=_("De evaluatie is opgeslagen."),
    )


@login_required
def escalate(request, case_id, pk):
    platform = selectors.get_platform_for(request.user, case_id, pk)
    _lead_only(request, platform.case, "platforms.escalate")
    form = EscalationForm(request.POST or None)
    return _form_page(
        request,
        case=platform.case,
        platform=platform,
        form=form,
        title=_("Opschalen"),
        save=lambda d: services.escalate(
            request.user, platform, level=d["level"], reason=d["reason"], token=d["form_token"]
        ),
        done_message=_("De opschaling is vastgelegd."),
        intro=_(
            "Drie weken na het casusplatform is er nog geen doorbraak. Schaal stap voor stap op: "
            "lokaal, regionaal en daarna het Landelijk Maatwerkloket Multiproblematiek."
        ),
    )


@login_required
def escalation_outcome(request, case_id, pk, escalation_id):
    platform = selectors.get_platform_for(request.user, case_id, pk)
    _lead_only(request, platform.case, "platforms.record_escalation_outcome")
    escalation = get_visible_or_404(
        request,
        Escalation.objects.all(),
        escalation_id,
        platform=platform,
        subject=lambda row: _platform_subject(row.platform_id),
    )
    escalation.platform = platform
    form = EscalationOutcomeForm(request.POST or None)
    return _form_page(
        request,
        case=platform.case,
        platform=platform,
        form=form,
        title=_("Uitkomst van de opschaling"),
        save=lambda d: services.record_escalation_outcome(
            request.user, escalation, outcome=d["outcome"], outcome_on=d["outcome_on"], token=d["form_token"]
        ),
        done_message=_("De uitkomst is vastgelegd."),
    )


@login_required
def summary(request, case_id, pk):
    platform = selectors.printable_platform_for(request.user, case_id, pk)
    case = platform.case
    log_access(
        request, "platform.print", obj=platform, subject=("household", case.household_id), purpose="case_management"
    )
    return render(
        request, "platforms/summary.html", {"case": case, "platform": platform, **selectors.platform_detail(platform)}
    )
