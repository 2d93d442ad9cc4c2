"""Notifications (issue 16, point 3): stored in the app, delivered by e-mail per the user's preference.

`notify()` is called by the receivers (receivers.py) and the daily scan (tasks.py); it stores one row per user,
kind and key and, for "e-mail immediately", queues the e-mail after the transaction commits. Nothing heavy happens in
the request: with the database task backend the worker sends (`tasks.send_notification_email`, retried with
backoff); with TASKS_EMAIL_INLINE the e-mail is sent after commit in the request and a failure only leaves the row
queued for the retry job. E-mails carry a neutral subject (the kind's label) and a link, never a client name or
case content; an invitation carries an .ics with a neutral title."""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from doorbraak.core.audit import log_access
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent
from doorbraak.core.permissions import require

from .models import CalendarFeed, Delivery, EmailStatus, Kind, Notification, Preference

logger = logging.getLogger(__name__)

DEFAULT_DELIVERY = Delivery.IMMEDIATE
NAV_CACHE_SECONDS = 600


def nav_cache_key(user_id) -> str:
    return f"notifications:nav:{user_id}"


def delivery_for(user, kind: str) -> str:
    row = Preference.objects.filter(user_id=user.pk, kind=kind).values_list("delivery", flat=True).first()
    return row or DEFAULT_DELIVERY


def notify(user, kind: str, *, link: str, key: str, platform_id: int | None = None) -> Notification | None:
    """Store a notification for `user` (once per kind and key) and queue its e-mail as the user prefers. Returns
    the new row, or None when there was one already (or the user cannot receive it)."""
    if user is None or not user.is_active or not user.municipality_id:
        return None
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind: {kind}")
    delivery = delivery_for(user, kind)
    status = EmailStatus.NONE
    if user.email and delivery == Delivery.IMMEDIATE:
        status = EmailStatus.QUEUED
    elif user.email and delivery == Delivery.DIGEST:
        status = EmailStatus.DIGEST
    notification, created = Notification.objects.get_or_create(
        user=user,
        kind=kind,
        key=key[:80],
        defaults={
            "municipality_id": user.municipality_id,
            "link": link[:300],
            "platform_id": platform_id,
            "email_status": status,
        },
    )
    if not created:
        return None
    cache.delete(nav_cache_key(user.pk))
    if status == EmailStatus.QUEUED:
        transaction.on_commit(lambda: dispatch(notification.pk))
    return notification


def dispatch(notification_id: int) -> None:
    """Send now (TASKS_EMAIL_INLINE) or hand to a worker."""
    from .tasks import send_notification_email

    if settings.TASKS_EMAIL_INLINE:
        try:
            deliver(notification_id)
        except Exception:  # noqa: BLE001 - the row stays queued; the retry job sends it later
            logger.warning("notification e-mail not sent (id %s); stays queued", notification_id, exc_info=True)
    else:
        send_notification_email.enqueue(notification_id)


def absolute(link: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{link}" if settings.SITE_URL else link


def email_for(notification: Notification) -> EmailMessage:
    subject = str(Kind(notification.kind).label)
    body = "\n\n".join(
        [
            _("Goedendag,"),
            subject + ".",
            _("Bekijk het in Doorbraak: %(link)s") % {"link": absolute(notification.link)},
            _(
                "U krijgt dit bericht omdat u dit soort meldingen per e-mail wilt ontvangen. U kunt dat wijzigen bij "
                "Meldingen > Instellingen in Doorbraak."
            ),
            _("Dit bericht is automatisch verstuurd door Doorbraak."),
        ]
    )
    message = EmailMessage(
        subject=f"Doorbraak: {subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.user.email],
    )
    if notification.kind == Kind.INVITED and notification.platform_id:
        from .calendar import platform_invitation

        ics = platform_invitation(notification.platform_id, notification.user)
        if ics is not None:
            message.attach("casusplatform.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
    return message


def deliver(notification_id: int) -> str:
    """Send one queued notification e-mail. An SMTP failure is recorded (attempts, the exception's class) and
    re-raised, so the task is retried; the row stays queued until it is sent or the last attempt failed."""
    with scopes_disabled():
        notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
        if notification is None or notification.email_status != EmailStatus.QUEUED:
            return "nothing to send"
        if not notification.user.email or not notification.user.is_active:
            Notification.objects.filter(pk=notification_id).update(email_status=EmailStatus.NONE)
            return "no address"
        try:
            email_for(notification).send(fail_silently=False)
        except Exception as exc:
            attempts = notification.email_attempts + 1
            status = EmailStatus.FAILED if attempts >= settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS else EmailStatus.QUEUED
            Notification.objects.filter(pk=notification_id).update(
                email_attempts=F("email_attempts") + 1, email_error=type(exc).__name__[:120], email_status=status
            )
            raise
        Notification.objects.filter(pk=notification_id, email_status=EmailStatus.QUEUED).update(
            email_status=EmailStatus.SENT,
            email_sent_at=timezone.now(),
            email_attempts=F("email_attempts") + 1,
            email_error="",
        )
        return "sent"


def retry_queued(older_than_seconds: int = 300) -> int:
    """Send again every e-mail still queued after `older_than_seconds` (a worker or mail server that was down):
    the periodic job `retry_notification_emails`. Returns how many were sent."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    with scopes_disabled():
        ids = list(
            Notification.objects.filter(email_status=EmailStatus.QUEUED, created_at__lte=cutoff)
            .order_by("created_at")
            .values_list("pk", flat=True)[:500]
        )
    sent = 0
    for pk in ids:
        try:
            sent += deliver(pk) == "sent"
        except Exception:  # noqa: BLE001 - recorded on the row; the next round tries again
            logger.warning("notification e-mail retry failed (id %s)", pk, exc_info=True)
    return sent


def send_digests() -> int:
    """One e-mail per user with notifications waiting for the daily digest: how many of each kind and a link to
    the inbox (no content). Marks them sent; on an SMTP failure they wait for the next day. Returns e-mails sent."""
    sent = 0
    with scopes_disabled():
        user_ids = list(
            Notification.objects.filter(email_status=EmailStatus.DIGEST)
            .order_by()
            .values_list("user_id", flat=True)
            .distinct()
        )
        for user_id in user_ids:
            rows = list(
                Notification.objects.filter(user_id=user_id, email_status=EmailStatus.DIGEST).select_related("user")
            )
            user = rows[0].user
            if not user.email or not user.is_active:
                continue
            counts: dict[str, int] = {}
            for row in rows:
                counts[row.kind] = counts.get(row.kind, 0) + 1
            lines = [f"- {Kind(kind).label}: {n}" for kind, n in sorted(counts.items())]
            body = "\n\n".join(
                [
                    _("Goedendag,"),
                    _("Dit zijn uw meldingen van de afgelopen dag:"),
                    "\n".join(lines),
                    _("Bekijk ze in Doorbraak: %(link)s") % {"link": absolute(reverse("core:home"))},
                    _("Dit bericht is automatisch verstuurd door Doorbraak."),
                ]
            )
            try:
                EmailMessage(
                    _("Doorbraak: uw dagelijkse overzicht"), body, settings.DEFAULT_FROM_EMAIL, [user.email]
                ).send(fail_silently=False)
            except Exception:  # noqa: BLE001 - stays in the digest; tried again with the next digest
                logger.warning("digest e-mail not sent (user %s)", user_id, exc_info=True)
                continue
            Notification.objects.filter(pk__in=[r.pk for r in rows], email_status=EmailStatus.DIGEST).update(
                email_status=EmailStatus.SENT, email_sent_at=timezone.now(), email_attempts=F("email_attempts") + 1
            )
            sent += 1
    return sent


# ------------------------------------------------------------------------------------------- the user's own


def set_preferences(user, choices: dict[str, str]) -> None:
    """Store the user's delivery per kind (`choices`: kind -> Delivery value)."""
    require("notifications.manage_own", user, message=_("U kunt geen meldingen instellen."))
    for kind, delivery in choices.items():
        if kind not in Kind.values:
            raise RuleError(_("Onbekend soort melding."))
        if delivery not in Delivery.values:
            raise RuleError(_("Kies hoe u deze melding wilt ontvangen."), kind)
    with transaction.atomic():
        for kind, delivery in choices.items():
            Preference.objects.update_or_create(
                user=user, kind=kind, defaults={"delivery": delivery, "municipality_id": user.municipality_id}
            )


def mark_read(user, notification_id=None) -> int:
    """Mark one (or, without an id, all) of the user's own notifications read. Another user's id changes nothing."""
    require("notifications.manage_own", user, message=_("U kunt geen meldingen bijwerken."))
    qs = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    changed = qs.update(read_at=timezone.now())
    cache.delete(nav_cache_key(user.pk))
    return changed


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_calendar_secret(user) -> str:
    """A new secret for the user's calendar feed (the old URL stops working). Only its hash is stored; the secret
    is shown once."""
    require("notifications.manage_own", user, message=_("U kunt geen agendakoppeling maken."))
    secret = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "secret_hash": hash_secret(secret),
            "created_at": timezone.now(),
            "municipality_id": user.municipality_id,
        },
    )
    log_access(
        user,
        "notifications.calendar_feed.create",
        action=AccessEvent.Action.CREATE,
        object_type="user",
        object_id=user.pk,
    )
    return secret


def revoke_calendar_feed(user) -> bool:
    require("notifications.manage_own", user, message=_("U kunt geen agendakoppeling intrekken."))
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        log_access(
            user,
            "notifications.calendar_feed.revoke",
            action=AccessEvent.Action.DELETE,
            object_type="user",
            object_id=user.pk,
        )
    return bool(deleted)


def feed_user(secret: str):
    """The active user whose feed has this secret, or None."""
    if not secret or len(secret) > 100:
        return None
    with scopes_disabled():
        feed = CalendarFeed.objects.select_related("user").filter(secret_hash=hash_secret(secret)).first()
    if feed is None or not feed.user.is_active or feed.user.municipality_id != feed.municipality_id:
        return None
    return feed.user
