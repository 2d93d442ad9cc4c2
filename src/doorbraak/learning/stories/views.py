"""Anonymised stories: drafting from a closed case, editing, four-eyes approval (under /casussen/<id>/verhaal/),
the approved stories for policy staff and leads (/leren/verhalen/), and the public precedent register
(/precedenten/). Thin: parse, call a service or selector, render. Unseen cases and stories answer 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorbraak.core import permissions as rulebook
from doorbraak.core.access import deny, log_forbidden
from doorbraak.core.audit import log_access
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent
from doorbraak.core.seek import page_links

from ..models import Story
from ..permissions import may_see_learning
from . import second_eyes, selectors, services
from .forms import PrecedentSearchForm, SharedStoryFilterForm, StoryForm

PURPOSE = "learning_stories"


def _log(request, event, story_or_case, action=AccessEvent.Action.READ):
    case = story_or_case.case if isinstance(story_or_case, Story) else story_or_case
    log_access(
        request, event, action=action, obj=story_or_case, subject=("household", case.household_id), purpose=PURPOSE
    )


def _labelled(story, tags=None):
    story.labels = selectors.tag_labels(story.tags.all() if tags is None else tags)
    return story


# --- on the case: /casussen/<case_id>/verhaal/ (namespace "story") ---------------------------------------------


@login_required
def case_stories(request, case_id):
    case = selectors.get_story_case_for(request.user, case_id)
    _log(request, "story.case_read", case)
    stories = list(selectors.stories_of_case(case))
    return render(
        request,
        "learning/stories/case_stories.html",
        {
            "case": case,
            "stories": stories,
            "closed": case.status == case.Status.CLOSED,
            "sees_case": selectors.sees_case(request.user, case),
        },
    )


@login_required
@require_POST
def story_create(request, case_id):
    case = selectors.get_story_case_for(request.user, case_id)
    try:
        story = services.create_story_draft(request.user, case)
    except RuleError as exc:
        messages.error(request, str(exc))
        return redirect("story:case", case_id=case.pk)
    _log(request, "story.create", story, action=AccessEvent.Action.CREATE)
    messages.success(
        request,
        _(
            "Het concept is gemaakt. Lees het goed na: staat er nog iets in waaraan iemand "
            "de persoon kan herkennen? Pas het dan aan."
        ),
    )
    return redirect("story:edit", case_id=case.pk, pk=story.pk)


def _eyes(story) -> dict:
    """The second pair of eyes for a page: check state, flags, and the story's fields with flagged spans marked."""
    eyes = second_eyes.state(story)
    flags = eyes["open_flags"] + eyes["kept_flags"]
    eyes["pieces"] = {
        field: second_eyes.marked(getattr(story, field), [f for f in flags if f.field == field])
        for field in second_eyes.FIELDS
    }
    return eyes


def _case_story_page(request, case, story, status=200, flag_error=None):
    return render(
        request,
        "learning/stories/case_story_detail.html",
        {
            "case": case,
            "story": story,
            "eyes": _eyes(story),
            "flag_error": flag_error,
            "may_approve": selectors.may_approve_story(request.user, story),
            "wrote_last": request.user.pk == selectors.last_editor_id(story),
        },
        status=status,
    )


@login_required
def story_detail(request, case_id, pk):
    case = selectors.get_story_case_for(request.user, case_id)
    story = _labelled(selectors.story_of_case(case, pk, request.user))
    _log(request, "story.read", story)
    return _case_story_page(request, case, story)


@login_required
@require_POST
def story_flag_keep(request, case_id, pk, flag_id):
    """Keep a flagged span with a reason; a refusal shows the page again with the typed reason (400)."""
    case = selectors.get_story_case_for(request.user, case_id)
    story = selectors.story_of_case(case, pk, request.user)
    reason = request.POST.get("reason", "")
    try:
        services.keep_flag(request.user, story, flag_id, reason)
    except RuleError as exc:
        story = _labelled(story)
        error = {"flag_id": flag_id, "message": str(exc), "reason": reason}
        return _case_story_page(request, case, story, status=400, flag_error=error)
    _log(request, "story.flag_keep", story, action=AccessEvent.Action.UPDATE)
    messages.success(request, _("Vastgelegd: dit woord blijft staan. Wie het verhaal goedkeurt, leest uw reden."))
    return redirect("story:detail", case_id=case.pk, pk=story.pk)


@login_required
def story_edit(request, case_id, pk):
    case = selectors.get_story_case_for(request.user, case_id)
    story = selectors.story_of_case(case, pk, request.user)
    form = StoryForm.for_story(story, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            story, replaced = services.update_story(
                request.user,
                story,
                title=d["title"],
                text=d["text"],
                solution=d["solution"],
                solution_kind=d["solution_kind"],
                blockers=d["blockers"],
                laws=d["laws"],
            )
        except RuleError as exc:
            form.add_error(None, str(exc))
        else:
            _log(request, "story.update", story, action=AccessEvent.Action.UPDATE)
            messages.success(request, _("Het verhaal is opgeslagen als concept. Iemand anders keurt het goed."))
            if replaced:
                messages.warning(
                    request,
                    _("Wij hebben gegevens weggehaald die naar een persoon kunnen wijzen: %(what)s. Lees de tekst na.")
                    % {"what": "; ".join(replaced)},
                )
            return redirect("story:detail", case_id=case.pk, pk=story.pk)
    else:
        _log(request, "story.read", story)
    return render(
        request,
        "learning/stories/story_form.html",
        {"case": case, "story": story, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def story_approve(request, case_id, pk):
    case = selectors.get_story_case_for(request.user, case_id)
    story = selectors.story_of_case(case, pk, request.user)
    try:
        services.approve_story(request.user, story)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        _log(request, "story.approve", story, action=AccessEvent.Action.UPDATE)
        messages.success(
            request,
            _(
                "Het verhaal is goedgekeurd. Beleidsmedewerkers en doorbraakregisseurs "
                "kunnen het nu lezen, zonder namen."
            ),
        )
    return redirect("story:detail", case_id=case.pk, pk=story.pk)


# --- /leren/verhalen/ (namespace "learning") --------------------------------------------------------------------


# The positions in the two lists of /leren/verhalen/ (core.seek): the approved stories and the drafts.
STORIES_AFTER, STORIES_BEFORE = "na", "voor"
DRAFTS_AFTER, DRAFTS_BEFORE = "concepten_na", "concepten_voor"


@login_required
def shared_list(request):
    user = request.user
    if not rulebook.allowed("learning.view_stories", user):
        raise deny(request)
    context = {"sees_shared": may_see_learning(user), "works_on_cases": selectors.works_on_cases(user)}
    get = request.GET.get
    if context["sees_shared"]:
        form = SharedStoryFilterForm(request.GET or None)
        status = form.cleaned_data.get("status", "") if form.is_bound and form.is_valid() else ""
        page, count = selectors.shared_story_page(
            user, status=status, after=get(STORIES_AFTER), before=get(STORIES_BEFORE)
        )
        for story in page.rows:
            _labelled(story)
        context.update(
            form=form,
            stories=page,
            story_count=count,
            story_count_capped=count > selectors.STORY_COUNT_CAP,
            story_count_cap=selectors.STORY_COUNT_CAP,
            story_links=page_links(request.GET, page, STORIES_AFTER, STORIES_BEFORE, "verhalen"),
        )
    if context["works_on_cases"]:
        context.update(selectors.story_worklist(user, after=get(DRAFTS_AFTER), before=get(DRAFTS_BEFORE)))
        context["draft_links"] = page_links(request.GET, context["drafts"], DRAFTS_AFTER, DRAFTS_BEFORE, "concepten")
        log_access(
            request, "story.worklist", action=AccessEvent.Action.EXECUTE, object_type="cases.case", purpose=PURPOSE
        )
    return render(
        request,
        "learning/stories/list.html",
        context,
        status=400 if context.get("form") is not None and context["form"].errors else 200,
    )


@login_required
def shared_detail(request, pk):
    story = _labelled(selectors.shared_story(request.user, pk))
    return render(
        request,
        "learning/stories/detail.html",
        {
            "story": story,
            "eyes": _eyes(story),
            "may_publish": rulebook.allowed("learning.publish_story", request.user, story),
        },
    )


def _policy_action(request, pk, action, done):
    story = selectors.shared_story(request.user, pk)
    try:
        action(request.user, story)
    except RuleError as exc:
        messages.error(request, str(exc))
    except PermissionDenied as exc:
        log_forbidden(request, exc)  # a refused publish or withdraw is a denied access event too
        messages.error(request, _("Alleen een beleidsmedewerker kan een verhaal openbaar maken of terughalen."))
    else:
        messages.success(request, done)
    return redirect("learning:story_detail", pk=story.pk)


@login_required
@require_POST
def shared_publish(request, pk):
    return _policy_action(
        request, pk, services.publish_story, _("Het verhaal staat nu in het openbare precedentenregister.")
    )


@login_required
@require_POST
def shared_withdraw(request, pk):
    return _policy_action(
        request,
        pk,
        services.withdraw_story,
        _("Het verhaal is uit het openbare register gehaald. Het blijft goedgekeurd."),
    )


# --- /precedenten/ (namespace "precedents"): public, no login -----------------------------------------------------


def precedent_list(request):
    form = PrecedentSearchForm(request.GET or None)
    filters = form.filters()
    page = selectors.public_precedents(request.GET.get("pagina"), **filters)
    for story in page.object_list:
        _labelled(story, story.public_tags)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "learning/precedents/list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "querystring": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )


def precedent_detail(request, pk):
    story = selectors.public_precedent(pk)
    _labelled(story, story.public_tags)
    return render(request, "learning/precedents/detail.html", {"story": story})
