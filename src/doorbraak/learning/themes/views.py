"""Pages for system-barrier themes, policy proposals and learning sessions under /leren/. Thin.

Policy officers and leads see them (others get 404); themes and decisions are for the policy officer only (403).
Cases are only counted (suppressed), never named or linked, so no personal data is read and nothing is logged.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from doorbraak.core.access import RoleForbidden, deny
from doorbraak.core.views_forms import form_page

from ..models import PolicyProposal
from ..permissions import may_see_learning
from . import selectors, services
from .forms import DecisionForm, ProposalForm, SessionForm, ThemeForm


def _learning_only(request):
    if not may_see_learning(request.user):
        raise deny(request)


def _policy_only(request):
    _learning_only(request)
    if not selectors.may_manage_themes(request.user):
        raise RoleForbidden


def _form_page(
    request,
    *,
    form,
    title,
    save,
    done_message,
    back_url,
    back_label,
    intro="",
    extra=None,
    template="learning/themes/form.html",
):
    """A learning form page; `save` returns where to go after success, a replay goes back to `back_url`."""
    return form_page(
        request,
        form,
        template=template,
        context={"title": title, "intro": intro, "back_url": back_url, "back_label": back_label, **(extra or {})},
        save=lambda form: save(form.cleaned_data),
        done_message=done_message,
        redirect_to=lambda target: target,
        replay_to=back_url,
    )


# --- themes -----------------------------------------------------------------------------------------------


@login_required
def theme_list(request):
    _learning_only(request)
    municipality = request.user.municipality
    return render(
        request,
        "learning/themes/list.html",
        {
            "rows": selectors.themes_overview(request.user),
            "unthemed": selectors.unthemed_codes(municipality),
            "may_manage": selectors.may_manage_themes(request.user),
            "statuses": PolicyProposal.Status.labels,
        },
    )


@login_required
def theme_create(request):
    _policy_only(request)
    form = ThemeForm(request.POST or None, municipality=request.user.municipality)

    def save(d):
        theme = services.save_theme(
            request.user, name=d["name"], description=d["description"], codes=d["codes"], token=d["form_token"]
        )
        return reverse("learning:theme_detail", args=[theme.pk])

    return _form_page(
        request,
        form=form,
        title=_("Nieuw thema"),
        save=save,
        done_message=_("Het thema is opgeslagen."),
        back_url=reverse("learning:themes"),
        back_label=_("Terug naar de thema’s"),
        intro=_(
            "Een thema bundelt blokkades die professionals noemen bij de evaluatie van een "
            "casusplatform. Zo ziet u hoeveel casussen tegen dezelfde regel aanlopen."
        ),
    )


@login_required
def theme_edit(request, pk):
    _policy_only(request)
    theme = selectors.get_theme_for(request.user, pk)
    form = ThemeForm(request.POST or None, municipality=request.user.municipality, theme=theme)

    def save(d):
        services.save_theme(
            request.user,
            theme=theme,
            name=d["name"],
            description=d["description"],
            codes=d["codes"],
            token=d["form_token"],
        )
        return reverse("learning:theme_detail", args=[theme.pk])

    return _form_page(
        request,
        form=form,
        title=_("Thema bewerken: %(name)s") % {"name": theme.name},
        save=save,
        done_message=_("Het thema is opgeslagen."),
        back_url=reverse("learning:theme_detail", args=[theme.pk]),
        back_label=_("Terug naar het thema"),
    )


@login_required
def theme_detail(request, pk):
    theme = selectors.get_theme_for(request.user, pk)
    context = {
        "theme": theme,
        **selectors.theme_detail(request.user, theme),
        "may_manage": selectors.may_manage_themes(request.user, theme),
    }
    return render(request, "learning/themes/detail.html", context)


# --- proposals --------------------------------------------------------------------------------------------


@login_required
def proposal_create(request, pk):
    theme = selectors.get_theme_for(request.user, pk)
    form = ProposalForm(request.POST or None)
    back = reverse("learning:theme_detail", args=[theme.pk])

    def save(d):
        services.propose(request.user, theme, text=d["text"], token=d["form_token"])
        return back

    return _form_page(
        request,
        form=form,
        title=_("Beleidsvoorstel voor thema %(name)s") % {"name": theme.name},
        save=save,
        done_message=_("Het voorstel is vastgelegd met de status Voorgesteld."),
        back_url=back,
        back_label=_("Terug naar het thema"),
        intro=_("De beleidsmedewerker besluit of het voorstel wordt overgenomen of afgewezen."),
    )


@login_required
def proposal_decide(request, pk):
    _policy_only(request)
    proposal = selectors.get_proposal_for(request.user, pk)
    back = reverse("learning:theme_detail", args=[proposal.theme_id])
    extra = {"proposal": proposal}
    if proposal.status != PolicyProposal.Status.PROPOSED and request.method != "POST":
        return render(request, "learning/themes/decided.html", {"proposal": proposal, "back_url": back})
    form = DecisionForm(request.POST or None)

    def save(d):
        services.decide(
            request.user,
            proposal,
            status=d["status"],
            decided_on=d["decided_on"],
            note=d["decision_note"],
            token=d["form_token"],
        )
        return back

    return _form_page(
        request,
        form=form,
        title=_("Besluit over een beleidsvoorstel"),
        save=save,
        done_message=_("Het besluit is vastgelegd."),
        back_url=back,
        back_label=_("Terug naar het thema"),
        extra=extra,
    )


# --- learning sessions ------------------------------------------------------------------------------------


@login_required
def session_list(request):
    _learning_only(request)
    return render(request, "learning/sessions/list.html", {"sessions": selectors.learning_sessions(request.user)})


@login_required
def session_create(request):
    _learning_only(request)
    theme = None
    if request.GET.get("thema", "").isdigit():
        theme = selectors.get_theme_for(request.user, int(request.GET["thema"]))
    form = SessionForm(request.POST or None, municipality=request.user.municipality, theme=theme)

    def save(d):
        session = services.record_session(
            request.user,
            held_on=d["held_on"],
            topic=d["topic"],
            theme=d["theme"],
            stories=list(d["stories"]),
            attendees=d["attendees"],
            takeaways=d["takeaways"],
            needs=d["needs"],
            token=d["form_token"],
        )
        return reverse("learning:session_detail", args=[session.pk])

    return _form_page(
        request,
        form=form,
        title=_("Leersessie vastleggen"),
        save=save,
        done_message=_("De leersessie is vastgelegd."),
        back_url=reverse("learning:sessions"),
        back_label=_("Terug naar de leersessies"),
        intro=_(
            "Professionals kiezen zelf het onderwerp. Bespreek alleen geanonimiseerde verhalen en "
            "noem geen namen van cliënten."
        ),
    )


@login_required
def session_detail(request, pk):
    session = selectors.get_session_for(request.user, pk)
    return render(
        request,
        "learning/sessions/detail.html",
        {"session": session, "stories": selectors.session_stories(request.user, session)},
    )
