"""Pages of the notifications app: the work inbox (the home page, through settings.HOME_VIEW), the notifications,
the preferences per kind, the calendar feed and the .ics downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorbraak.core.access import RoleForbidden
from doorbraak.core.audit import log_access
from doorbraak.core.models import AccessEvent
from doorbraak.core.permissions import allowed
from doorbraak.core.views_forms import form_page
from doorbraak.platforms.selectors import get_platform_for

from . import calendar, selectors, services
from .forms import PreferencesForm
from .models import Kind, Preference


def _require(request):
    if not allowed("notifications.manage_own", request.user):
        raise RoleForbidden


@login_required
def inbox(request):
    """The home page: the work inbox of the user's role. Users without a municipality (a superuser) get the plain
    list of links."""
    if not allowed("notifications.view_inbox", request.user):
        return render(request, "core/home.html")
    sections = selectors.inbox_for(request.user)
    log_access(request, "notifications.inbox.read", object_type="inbox", object_id=request.user.pk)
    total = selectors.work_count(sections)
    cache.set(services.nav_cache_key(request.user.pk), total, services.NAV_CACHE_SECONDS)
    return render(request, "notifications/inbox.html", {"sections": sections, "total": total})


@login_required
def notification_list(request):
    _require(request)
    rows = selectors.notification_page(request.user)
    return render(request, "notifications/list.html", {"rows": rows, "kinds": dict(Kind.choices)})


@login_required
@require_POST
def mark_read(request, pk=None):
    _require(request)
    services.mark_read(request.user, pk)
    messages.success(request, _("De melding is gemarkeerd als gelezen.") if pk else _("Alle meldingen zijn gelezen."))
    return redirect("notifications:list")


@login_required
def preferences(request):
    _require(request)
    current = dict(Preference.objects.filter(user_id=request.user.pk).values_list("kind", "delivery"))
    initial = {kind: current.get(kind, services.DEFAULT_DELIVERY) for kind in Kind.values}
    form = PreferencesForm(request.POST or None, current=initial)
    return form_page(
        request,
        form,
        template="notifications/preferences.html",
        save=lambda f: services.set_preferences(request.user, f.cleaned_data),
        done_message=_("Uw instellingen voor meldingen zijn opgeslagen."),
        redirect_to="notifications:preferences",
    )


@login_required
def calendar_page(request):
    _require(request)
    from .models import CalendarFeed

    feed = CalendarFeed.objects.filter(user_id=request.user.pk).first()
    secret = None
    if request.method == "POST":
        if "intrekken" in request.POST:
            services.revoke_calendar_feed(request.user)
            messages.success(request, _("De agendakoppeling is ingetrokken. De oude link werkt niet meer."))
            return redirect("notifications:calendar")
        secret = services.new_calendar_secret(request.user)
        feed = CalendarFeed.objects.filter(user_id=request.user.pk).first()
    feed_url = request.build_absolute_uri(reverse("notifications:feed", kwargs={"secret": secret})) if secret else None
    upcoming = selectors.upcoming_for_calendar(request.user)
    log_access(request, "notifications.calendar.read", object_type="calendar", object_id=request.user.pk)
    return render(request, "notifications/calendar.html", {"feed": feed, "feed_url": feed_url, "upcoming": upcoming})


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def platform_ics(request, case_id, pk):
    platform = get_platform_for(request.user, case_id, pk)
    log_access(request, "notifications.ics.platform", obj=platform, object_type="platforms.platform", object_id=pk)
    return _ics(calendar.platform_ics(platform), "casusplatform.ics")


@login_required
def moment_ics(request, case_id, pk):
    moment = selectors.moment_for(request.user, case_id, pk)
    log_access(request, "notifications.ics.evaluation", object_type="cases.followupmoment", object_id=pk)
    return _ics(calendar.moment_ics(moment), "evaluatiemoment.ics")


def feed(request, secret):
    """The personal calendar feed (no login: the secret in the URL is the key; only its hash is stored)."""
    user = services.feed_user(secret)
    if user is None:
        raise Http404
    from django_scopes import scope

    with scope(municipality=user.municipality_id):
        content = calendar.feed_ics(user)
    log_access(
        user, "notifications.calendar_feed.read", action=AccessEvent.Action.READ, object_type="user", object_id=user.pk
    )
    return _ics(content, "doorbraak.ics")
