"""Thin views of programme meetings: public pages (no login) and the organiser's pages (role moderator)."""

import io
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from doorbraak.core import permissions
from doorbraak.core.access import deny
from doorbraak.core.errors import RuleError
from doorbraak.core.views_forms import form_page
from doorbraak.initiatives.protection import release_slot, take_slot

from . import selectors, services
from .forms import (
    MODERATION_ACTIONS,
    AttendanceForm,
    DocumentForm,
    FollowUpForm,
    FollowUpStatusForm,
    MeetingForm,
    RegistrationForm,
    ReportForm,
    SearchForm,
    TakeawayForm,
    TakeawayModerationForm,
)
from .models import NEED_FIELDS, FollowUp, Meeting, MeetingDocument, Registration, Takeaway

TOO_MANY = gettext_lazy(
    "Vanaf uw internetadres zijn in korte tijd te veel berichten verstuurd. Wacht tien minuten en "
    "verstuur het dan opnieuw. Wat u hebt ingevuld, staat hieronder nog."
)


def organiser_required(view):
    """Anonymous: to the login page; logged in without the organiser rule: a logged 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.allowed("meetings.organise", request.user):
            raise deny(request, purpose="programme")
        return view(request, *args, **kwargs)

    return wrapper


def _meeting_or_404(pk) -> Meeting:
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def _public_meeting_or_404(pk) -> Meeting:
    meeting = selectors.meeting_for_page(pk)
    if meeting is None:
        raise Http404
    return meeting


# --- Public ------------------------------------------------------------------------------------------------


def meeting_list(request):
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    lists = selectors.meeting_lists(q)
    past = list(lists["past"][: selectors.PAGE_SIZE * 5])
    return render(
        request,
        "meetings/list.html",
        {"form": form, "q": q, "upcoming": lists["upcoming"], "past": past},
    )


def meeting_detail(request, pk):
    meeting = _public_meeting_or_404(pk)
    now = timezone.now()
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "seats_left": selectors.seats_left(meeting),
            "registration_open": now <= meeting.registration_deadline,
            "has_begun": meeting.starts_at <= now,
            "is_past": meeting.ends_at < now,
            "is_organiser": permissions.allowed("meetings.organise", request.user),
        },
    )


def _protected_post(request, form, scope, template, context, on_valid, bot_redirect):
    """The registry's protections around a public form: a slot of the rate limit first (429 when used up, with
    what was typed), the honeypot (a bot sees the normal result, nothing stored), then the form and the service."""
    if not take_slot(request, scope):
        form.is_valid()
        form.add_error(None, TOO_MANY)
        return render(request, template, {**context, "form": form}, status=429)
    if form.is_bot:
        return redirect(bot_redirect)
    if form.is_valid():
        try:
            return on_valid(form.cleaned_data)
        except RuleError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    release_slot(request, scope)  # forms with typos or refusals do not count
    return render(request, template, {**context, "form": form}, status=400)


@require_http_methods(["GET", "POST"])
def register(request, pk):
    meeting = _public_meeting_or_404(pk)
    context = {
        "meeting": meeting,
        "seats_left": selectors.seats_left(meeting),
        "days": settings.MEETINGS_REGISTRANT_RETENTION_DAYS,
    }
    if request.method != "POST":
        return render(request, "meetings/register.html", {**context, "form": RegistrationForm()})

    def on_valid(d):
        done = services.register(
            meeting,
            form_token=d["form_token"],
            name=d["name"],
            email=d["email"],
            organisation=d["organisation"],
            role=d["role"],
            needs=d["needs"],
            on_attendee_list=d["on_attendee_list"],
        )
        if done.waiting:
            messages.warning(
                request,
                _(
                    "De bijeenkomst is vol. U staat op de wachtlijst (plaats %(n)s). Komt er een plaats vrij, dan "
                    "krijgt u die vanzelf en sturen we u een e-mail."
                )
                % {"n": services.waiting_position(done.registration)},
            )
        else:
            messages.success(
                request,
                _("U bent aangemeld. We hebben u een e-mail gestuurd met de uitnodiging en een link om af te melden."),
            )
        return redirect("meetings:detail", pk=meeting.pk)

    return _protected_post(
        request,
        RegistrationForm(request.POST),
        "registration",
        "meetings/register.html",
        context,
        on_valid,
        reverse("meetings:detail", args=[meeting.pk]),
    )


@require_http_methods(["GET", "POST"])
def cancel(request, cancel_token):
    token = cancel_token
    registration = services.registration_for_token(token)
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return render(request, "meetings/cancel_invalid.html", status=404)
    if request.method == "POST":
        try:
            services.cancel(token)
        except RuleError as exc:
            return render(
                request, "meetings/cancel.html", {"registration": registration, "error": exc.message}, status=400
            )
        return render(request, "meetings/cancel_done.html", {"meeting": registration.meeting})
    return render(request, "meetings/cancel.html", {"registration": registration})


@require_http_methods(["GET", "POST"])
def takeaway(request, pk):
    meeting = _public_meeting_or_404(pk)
    context = {"meeting": meeting, "not_yet": meeting.starts_at > timezone.now()}
    if request.method != "POST":
        return render(request, "meetings/takeaway.html", {**context, "form": TakeawayForm()})

    def on_valid(d):
        services.submit_takeaway(
            meeting,
            form_token=d["form_token"],
            takeaway=d["takeaway"],
            need=d["need"],
            tags=d["tags"],
            initiative_ids=[int(v) for v in d["initiatives"]],
            consent_to_publish=d["consent_to_publish"],
            show_name=d["show_name"] == "name",
            name=d["name"],
            organisation=d["organisation"],
        )
        messages.success(
            request,
            _(
                "Bedankt. Een moderator leest wat u schreef. Gaf u toestemming, dan verschijnt het daarna "
                "op deze pagina."
            ),
        )
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#opbrengsten")

    return _protected_post(
        request,
        TakeawayForm(request.POST),
        "takeaway",
        "meetings/takeaway.html",
        context,
        on_valid,
        reverse("meetings:detail", args=[meeting.pk]),
    )


def download(request, pk):
    document = MeetingDocument.objects.select_related("meeting").filter(pk=pk, meeting__is_published=True).first()
    if document is None or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{document.get_kind_display().lower()}-{document.pk}.pdf",
        content_type="application/pdf",
    )


# --- Organiser ---------------------------------------------------------------------------------------------


@organiser_required
def organise(request):
    return render(request, "meetings/organise.html", {"meetings": selectors.organiser_meetings(request.user)})


@organiser_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    form = MeetingForm(request.POST or None)

    def save(form):
        starts, ends, deadline = form.moments()
        d = form.cleaned_data
        return services.create_meeting(
            request.user,
            title=d["title"],
            summary=d["summary"],
            starts_at=starts,
            ends_at=ends,
            registration_deadline=deadline,
            capacity=d["capacity"],
            place=d["place"],
            online_link=d["online_link"],
            organiser_name=d["organiser_name"],
        )

    return form_page(
        request,
        form,
        template="meetings/meeting_form.html",
        save=save,
        done_message=_("De bijeenkomst staat op de website."),
        redirect_to=lambda meeting: reverse("meetings:detail", args=[meeting.pk]),
        replay_to="meetings:organise",
    )


@organiser_required
@require_http_methods(["GET", "POST"])
def attendees(request, pk):
    meeting = _meeting_or_404(pk)
    rows = services.attendee_rows(request.user, meeting, request=request)
    confirmed = [r for r in rows if r.status == Registration.Status.CONFIRMED]
    initial = {"present": [str(r.pk) for r in confirmed if r.attended]}
    form = AttendanceForm(request.POST or None, registrations=confirmed, initial=initial)
    return form_page(
        request,
        form,
        template="meetings/attendees.html",
        context={"meeting": meeting, "rows": rows},
        save=lambda f: services.record_attendance(
            request.user, meeting, {int(v) for v in f.cleaned_data["present"]}, request=request
        ),
        done_message=_("De aanwezigheid is opgeslagen."),
        redirect_to=reverse("meetings:attendees", args=[meeting.pk]),
    )


@organiser_required
def attendees_csv(request, pk):
    meeting = _meeting_or_404(pk)
    out = io.StringIO()
    services.export_attendees_csv(request.user, meeting, out, request=request)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deelnemers-{meeting.pk}.csv"'
    return response


@organiser_required
@require_http_methods(["GET", "POST"])
def documents(request, pk):
    meeting = _meeting_or_404(pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        template="meetings/documents.html",
        context={"meeting": meeting, "documents": list(meeting.documents.all())},
        save=lambda f: services.add_document(
            request.user,
            meeting,
            kind=f.cleaned_data["kind"],
            title=f.cleaned_data["title"],
            uploaded=f.cleaned_data["file"],
        ),
        done_message=_("Het document is toegevoegd."),
        redirect_to=reverse("meetings:documents", args=[meeting.pk]),
    )


@organiser_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    meeting = _meeting_or_404(pk)
    form = ReportForm(request.POST or None, initial={"report": meeting.report})
    return form_page(
        request,
        form,
        template="meetings/report_form.html",
        context={"meeting": meeting},
        save=lambda f: services.update_report(request.user, meeting, f.cleaned_data["report"]),
        done_message=_("Het verslag is opgeslagen."),
        redirect_to=reverse("meetings:detail", args=[meeting.pk]),
    )


@organiser_required
def moderation(request):
    return render(request, "meetings/moderation.html", {"takeaways": selectors.moderation_queue(request.user)})


@organiser_required
@require_http_methods(["GET", "POST"])
def moderate(request, pk):
    item = Takeaway.objects.select_related("meeting").filter(pk=pk).first()
    if item is None:
        raise Http404
    form = TakeawayModerationForm(request.POST or None)

    def save(f):
        decision = MODERATION_ACTIONS.get(request.POST.get("action", ""))
        if decision is None:
            raise RuleError(_("Kies publiceren, afwijzen of spam."))
        services.decide_takeaway(request.user, item.pk, decision, reason=f.cleaned_data["reason"])
        return decision

    return form_page(
        request,
        form,
        template="meetings/moderate.html",
        context={"item": item},
        save=save,
        done_message=lambda decision: {
            "approved": _("Gepubliceerd."),
            "rejected": _("Afgewezen."),
            "spam": _("Gemarkeerd als spam."),
        }[decision],
        redirect_to="meetings:moderation",
    )


@organiser_required
def needs(request):
    groups = selectors.takeaways_by_need(request.user, request=request)
    for group in groups:
        if group["tag"] and group["open"]:
            group["form"] = FollowUpForm(
                initial={"need": group["tag"]}, takeaways=group["open"], auto_id=f"id_{group['tag']}_%s"
            )
    return render(
        request,
        "meetings/needs.html",
        {"groups": groups, "follow_ups": selectors.follow_ups(request.user), "status_choices": FollowUp.Status.choices},
    )


@organiser_required
@require_POST
def follow_up_create(request):
    need = request.POST.get("need", "")
    field = NEED_FIELDS.get(need)
    pool = list(Takeaway.objects.filter(**{field: True}, follow_up=None)) if field else []
    form = FollowUpForm(request.POST, takeaways=pool)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.create_follow_up(
                request.user,
                kind=d["kind"],
                need=d["need"],
                title=d["title"],
                takeaway_ids=[int(v) for v in d["takeaways"]],
            )
        except RuleError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Het vervolg is aangemaakt."))
    else:
        messages.error(
            request, _("Het vervolg is niet aangemaakt: %(errors)s") % {"errors": " ".join(_flat_errors(form))}
        )
    return redirect("meetings:needs")


def _flat_errors(form):
    return [str(e) for errors in form.errors.values() for e in errors]


@organiser_required
@require_POST
def follow_up_status(request, pk):
    form = FollowUpStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een status."))
        return redirect("meetings:needs")
    try:
        services.set_follow_up_status(request.user, pk, form.cleaned_data["status"])
    except RuleError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, _("De status is bijgewerkt."))
    return redirect("meetings:needs")


@organiser_required
def programme(request):
    return render(request, "meetings/programme.html", selectors.programme_figures(request.user))
