"""Thin views of the public registry and the moderation queue."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from doorbraak.core import permissions
from doorbraak.core.errors import RuleError
from doorbraak.core.seek import page_links
from doorbraak.core.views_forms import form_page

from . import selectors, services
from .forms import CommentForm, CommentModerationForm, SearchForm, SubmissionForm, SubmissionModerationForm
from .models import Comment, Initiative, Moderation, Submission
from .protection import release_slot, take_slot


def _is_moderator(user) -> bool:
    return permissions.allowed("initiatives.moderate", user)


def moderator_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not _is_moderator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


TOO_MANY = gettext_lazy(
    "Vanaf uw internetadres zijn in korte tijd te veel berichten verstuurd. Wacht tien minuten en "
    "verstuur het dan opnieuw. Wat u hebt ingevuld, staat hieronder nog."
)


def _too_many(form):
    """Keep what the visitor typed, with a Dutch message; the caller answers 429."""
    form.is_valid()
    form.add_error(None, TOO_MANY)
    return form


# --- Public -----------------------------------------------------------------------------------


def initiative_list(request):
    form = SearchForm(request.GET or None)
    filters = selectors.Filters()
    if form.is_bound and form.is_valid():
        filters = selectors.Filters(**form.cleaned_data)
    qs = selectors.filter_initiatives(filters)
    paginator = Paginator(qs, selectors.PAGE_SIZE, allow_empty_first_page=True)
    page = paginator.get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    filtered = any(getattr(filters, f) for f in ("q", "group", "region", "target_group", "status"))
    return render(
        request,
        "initiatives/list.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "filtered": filtered,
            "querystring": query.urlencode(),
        },
    )


def _detail_context(request, initiative, comment_form):
    return {
        "initiative": initiative,
        "research": getattr(initiative, "research", None) if hasattr(initiative, "research") else None,
        "comment_form": comment_form,
        "is_moderator": _is_moderator(request.user),
    }


@require_http_methods(["GET", "POST"])
def initiative_detail(request, slug):
    initiative = selectors.initiative_for_page(slug, request.user)
    if initiative is None:
        raise Http404
    if request.method == "POST" and initiative.is_published:
        form = CommentForm(request.POST)
        if not take_slot(request, "comment"):  # counts this post at once (atomic in Redis)
            context = _detail_context(request, initiative, _too_many(form))
            return render(request, "initiatives/detail.html", context, status=429)
        if form.is_bot:
            messages.success(request, _("Bedankt voor uw reactie. Een moderator kijkt ernaar."))
            return redirect(reverse("initiatives:detail", args=[slug]) + "#reacties")
        if form.is_valid():
            services.create_comment(
                initiative=initiative,
                form_token=form.cleaned_data["form_token"],
                body=form.cleaned_data["body"],
                submitter_name=form.cleaned_data["submitter_name"],
                submitter_email=form.cleaned_data["submitter_email"],
            )
            messages.success(
                request,
                _("Bedankt voor uw reactie. Een moderator kijkt ernaar. Daarna ziet u de reactie op deze pagina."),
            )
            return redirect(reverse("initiatives:detail", args=[slug]) + "#reacties")
        release_slot(request, "comment")  # forms with typos do not count
        return render(request, "initiatives/detail.html", _detail_context(request, initiative, form), status=400)
    return render(request, "initiatives/detail.html", _detail_context(request, initiative, CommentForm()))


@require_http_methods(["GET", "POST"])
def submit(request):
    if request.method == "POST":
        form = SubmissionForm(request.POST)
        if not take_slot(request, "submission"):  # counts this post at once (atomic in Redis)
            return render(request, "initiatives/submit.html", {"form": _too_many(form)}, status=429)
        if form.is_bot:
            return redirect("initiatives:submit_thanks")
        if form.is_valid():
            data = form.cleaned_data
            services.create_submission(
                form_token=data["form_token"],
                name=data["name"],
                place=data["place"],
                description=data["description"],
                link=data["link"],
                submitter_name=data["submitter_name"],
                submitter_email=data["submitter_email"],
            )
            return redirect("initiatives:submit_thanks")
        release_slot(request, "submission")  # forms with typos do not count
        return render(request, "initiatives/submit.html", {"form": form}, status=400)
    return render(request, "initiatives/submit.html", {"form": SubmissionForm()})


def submit_thanks(request):
    return render(request, "initiatives/submit_thanks.html")


def report_pdf(request, pk):
    report = selectors.report_with_pdf(pk, request.user)
    if report is None:
        raise Http404
    response = FileResponse(report.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapport-{report.pk}.pdf"'
    return response


# --- Moderation -------------------------------------------------------------------------------


# The queue's positions (core.seek): each section pages on its own; a decision returns to the same place.
COMMENTS_AFTER, SUBMISSIONS_AFTER = "reacties_na", "aanmeldingen_na"


def _queue_query(params) -> str:
    """The queue's positions from `params` (the queue's or a decision page's query string), malformed ones left
    out, URL-encoded."""
    query = QueryDict(mutable=True)
    for name in (COMMENTS_AFTER, SUBMISSIONS_AFTER):
        value = selectors.queue_position(params.get(name))
        if value:
            query[name] = value
    return query.urlencode()


def _queue_url(request) -> str:
    """Back to the moderation queue at the place the moderator came from."""
    query = _queue_query(request.GET)
    return reverse("initiatives:moderation") + (f"?{query}" if query else "")


@moderator_required
def moderation(request):
    context = selectors.moderation_queue(
        request.user,
        comments_after=request.GET.get(COMMENTS_AFTER),
        submissions_after=request.GET.get(SUBMISSIONS_AFTER),
    )
    here = QueryDict(_queue_query(request.GET), mutable=True)
    context.update(
        here=here.urlencode(),
        comment_links=page_links(here, context["comments"], COMMENTS_AFTER, anchor="reacties-kop"),
        submission_links=page_links(here, context["submissions"], SUBMISSIONS_AFTER, anchor="aanmeldingen-kop"),
    )
    return render(request, "initiatives/moderation.html", context)


_DECISIONS = {"approve": Moderation.APPROVED, "reject": Moderation.REJECTED, "spam": Moderation.SPAM}
_DONE = {
    Moderation.APPROVED: gettext_lazy("Goedgekeurd."),
    Moderation.REJECTED: gettext_lazy("Afgewezen."),
    Moderation.SPAM: gettext_lazy("Gemarkeerd als spam."),
}


def _decision(request, form):
    """The moderator's button (approve, reject, spam); a rejection needs a reason. Refused as a RuleError."""
    decision = _DECISIONS.get(request.POST.get("action", ""))
    if decision is None:
        raise RuleError(_("Kies goedkeuren, afwijzen of spam."))
    if decision == Moderation.REJECTED and not form.cleaned_data.get("reason", "").strip():
        raise RuleError(_("Geef een reden om af te wijzen."), field="reason")
    return decision


@moderator_required
@require_http_methods(["GET", "POST"])
def moderate_comment(request, pk):
    comment = Comment.objects.select_related("initiative").filter(pk=pk, moderation=Moderation.PENDING).first()
    if comment is None:
        raise Http404
    if request.method == "POST":
        form = CommentModerationForm(request.POST)
    else:
        form = CommentModerationForm(initial={"body": comment.body})

    def save(form):
        decision = _decision(request, form)
        services.decide_comment(
            request.user, comment.pk, decision, body=form.cleaned_data["body"], reason=form.cleaned_data["reason"]
        )
        return decision

    return form_page(
        request,
        form,
        template="initiatives/moderate_comment.html",
        context={"comment": comment},
        save=save,
        done_message=lambda decision: _("Reactie: %(done)s") % {"done": _DONE[decision]},
        redirect_to=_queue_url(request),
    )


@moderator_required
@require_http_methods(["GET", "POST"])
def moderate_submission(request, pk):
    submission = Submission.objects.filter(pk=pk, moderation=Moderation.PENDING).first()
    if submission is None:
        raise Http404
    if request.method == "POST":
        form = SubmissionModerationForm(request.POST)
    else:
        form = SubmissionModerationForm(
            initial={"name": submission.name, "place": submission.place, "description": submission.description}
        )

    def save(form):
        decision = _decision(request, form)
        d = form.cleaned_data
        done = services.decide_submission(
            request.user,
            submission.pk,
            decision,
            name=d["name"],
            place=d["place"],
            description=d["description"],
            reason=d["reason"],
        )
        return decision, done

    def done_message(result):
        decision, done = result
        if done.initiative_id:
            return _("Goedgekeurd. Er is een conceptpagina gemaakt: %(name)s.") % {"name": done.name}
        return _("Aanmelding: %(done)s") % {"done": _DONE[decision]}

    return form_page(
        request,
        form,
        template="initiatives/moderate_submission.html",
        context={"submission": submission},
        save=save,
        done_message=done_message,
        redirect_to=_queue_url(request),
    )


@moderator_required
@require_POST
def publish(request, pk):
    initiative = Initiative.objects.filter(pk=pk, is_published=False).first()
    if initiative is None:
        raise Http404
    try:
        services.publish_initiative(request.user, initiative.pk)
    except RuleError as exc:  # a second click: already published
        messages.info(request, exc.message)
        return redirect("initiatives:detail", slug=initiative.slug)
    messages.success(request, _("%(name)s staat nu in het openbare register.") % {"name": initiative.name})
    return redirect("initiatives:detail", slug=initiative.slug)
