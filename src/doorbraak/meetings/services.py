"""Writes of programme meetings (issue 18): one function per use case, each in a transaction.

Organiser writes ask the rule book first (`meetings.organise` / `meetings.moderate`, permissions.py); the public
writes (register, cancel, takeaway) ask `meetings.register` / `meetings.send_takeaway` (a published meeting).
Business rules refuse with `core.errors.RuleError` (Dutch, with the field). Registration state and moderation
change only through `core.transitions.transition()`. Capacity is counted under a lock on the meeting row
(`SELECT ... FOR UPDATE` on PostgreSQL, the write lock of SQLite), so two last-seat registrations cannot both
get the seat, and a cancellation promotes the first person on the waiting list exactly once.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.core import permissions
from doorbraak.core.audit import log_access
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent
from doorbraak.core.transitions import transition
from doorbraak.initiatives.models import Initiative, Moderation
from doorbraak.initiatives.services import MODERATION_FLOW
from doorbraak.initiatives.stemming import stem_text

from .models import NEED_FIELDS, FollowUp, Meeting, MeetingDocument, NeedTag, ProgrammeItem, Registration, Takeaway

PDF_MAX_BYTES = 20 * 1024 * 1024
TEXT_LIMIT = 2000  # "Wat neem ik mee?" and "Wat heb ik daarvoor nodig?" each
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)

REGISTRATION_FLOW = {
    Registration.Status.CONFIRMED: {Registration.Status.CANCELLED},
    Registration.Status.WAITING: {Registration.Status.CONFIRMED, Registration.Status.CANCELLED},
    Registration.Status.CANCELLED: set(),
}
FOLLOW_UP_FLOW = {
    FollowUp.Status.PLANNED: {FollowUp.Status.IN_PROGRESS, FollowUp.Status.DONE, FollowUp.Status.DROPPED},
    FollowUp.Status.IN_PROGRESS: {FollowUp.Status.DONE, FollowUp.Status.DROPPED, FollowUp.Status.PLANNED},
    FollowUp.Status.DONE: {FollowUp.Status.IN_PROGRESS},
    FollowUp.Status.DROPPED: {FollowUp.Status.PLANNED},
}


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- Meetings ----------------------------------------------------------------------------------------------


def build_document(meeting: Meeting) -> str:
    parts = [meeting.title, meeting.summary, meeting.place, meeting.organiser_name, meeting.report]
    for item in meeting.programme.select_related("initiative"):
        parts += [item.title, item.speaker, item.initiative.name if item.initiative else ""]
    parts += list(meeting.documents.values_list("title", flat=True))
    return "\n".join(p for p in parts if p)


def reindex(meeting: Meeting) -> None:
    """The searchable stems (the registry's Snowball stems, stemming.stem_text), with a leading space per word so
    a query prefix matches at a word start on SQLite and PostgreSQL alike."""
    stems = " " + " ".join(stem_text(build_document(meeting)).split())
    Meeting.objects.filter(pk=meeting.pk).update(search_stems=stems)
    meeting.search_stems = stems


def _check_meeting(starts_at, ends_at, deadline, capacity, place, online_link) -> None:
    latest = timezone.now() + datetime.timedelta(days=5 * 366)
    if not (EARLIEST <= starts_at <= latest):
        raise RuleError(_("Kies een begin tussen 2000 en vijf jaar vanaf nu."), field="starts_on")
    if ends_at <= starts_at:
        raise RuleError(_("De bijeenkomst moet eindigen na het begin."), field="ends_at")
    if ends_at - starts_at > datetime.timedelta(days=3):
        raise RuleError(_("Een bijeenkomst duurt hoogstens drie dagen."), field="ends_at")
    if deadline > starts_at:
        raise RuleError(_("Aanmelden moet sluiten voor de bijeenkomst begint."), field="deadline_on")
    if deadline < EARLIEST:
        raise RuleError(_("Kies een datum na 2000."), field="deadline_on")
    if not 1 <= capacity <= 10000:
        raise RuleError(_("Kies een aantal plaatsen van 1 tot en met 10.000."), field="capacity")
    if not place.strip() and not online_link.strip():
        raise RuleError(_("Vul een plaats in of een link naar de online bijeenkomst."), field="place")


@transaction.atomic
def create_meeting(
    user,
    *,
    title: str,
    starts_at,
    ends_at,
    registration_deadline,
    capacity: int,
    place: str = "",
    online_link: str = "",
    summary: str = "",
    organiser_name: str = "",
    report: str = "",
) -> Meeting:
    permissions.require("meetings.organise", user)
    if not title.strip():
        raise RuleError(_("Vul een titel in."), field="title")
    _check_meeting(starts_at, ends_at, registration_deadline, capacity, place, online_link)
    meeting = Meeting.objects.create(
        title=title.strip(),
        summary=summary,
        starts_at=starts_at,
        ends_at=ends_at,
        registration_deadline=registration_deadline,
        capacity=capacity,
        place=place,
        online_link=online_link,
        organiser=user,
        organiser_name=(organiser_name or user.get_full_name() or user.get_username())[:200],
        report=report,
    )
    reindex(meeting)
    return meeting


@transaction.atomic
def update_report(user, meeting: Meeting, report: str) -> Meeting:
    permissions.require("meetings.organise", user)
    Meeting.objects.filter(pk=meeting.pk).update(report=report)
    meeting.report = report
    reindex(meeting)
    return meeting


@transaction.atomic
def add_programme_item(
    user, meeting: Meeting, *, title: str, speaker: str = "", starts_at=None, initiative=None, research=None
) -> ProgrammeItem:
    permissions.require("meetings.organise", user)
    if initiative is not None and not initiative.is_published:
        raise RuleError(_("Koppel alleen initiatieven die in het openbare register staan."), field="initiative")
    if research is None and initiative is not None:
        research = getattr(initiative, "research", None) if hasattr(initiative, "research") else None
    position = meeting.programme.count() + 1
    item = ProgrammeItem.objects.create(
        meeting=meeting,
        position=position,
        title=title,
        speaker=speaker,
        starts_at=starts_at,
        initiative=initiative,
        research=research,
    )
    reindex(meeting)
    return item


def validate_pdf(uploaded) -> None:
    """A PDF by its content (libmagic), not by its name or the browser's content type; at most 20 MB."""
    import magic

    if uploaded is None:
        raise RuleError(_("Kies een pdf-bestand."), field="file")
    if uploaded.size > PDF_MAX_BYTES:
        raise RuleError(_("Het bestand is groter dan 20 MB."), field="file")
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if magic.from_buffer(head, mime=True) != "application/pdf":
        raise RuleError(_("Dit bestand is geen pdf. Alleen pdf-bestanden kunnen worden toegevoegd."), field="file")


@transaction.atomic
def add_document(user, meeting: Meeting, *, kind: str, title: str, uploaded) -> MeetingDocument:
    permissions.require("meetings.organise", user)
    if kind not in MeetingDocument.Kind.values:
        raise RuleError(_("Kies verslag of presentatie."), field="kind")
    if meeting.starts_at > timezone.now():
        raise RuleError(_("Verslagen en presentaties horen bij een bijeenkomst die is begonnen."), field="file")
    validate_pdf(uploaded)
    document = MeetingDocument(meeting=meeting, kind=kind, title=title.strip(), uploaded_by=user, size=uploaded.size)
    document.file.save(f"{meeting.pk}-{secrets.token_hex(8)}.pdf", uploaded, save=False)
    document.save()
    reindex(meeting)
    return document


# --- Registration ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registered:
    registration: Registration
    replay: bool = False  # the same form was sent twice: nothing new stored

    @property
    def waiting(self) -> bool:
        return self.registration.status == Registration.Status.WAITING


def _locked(meeting_id: int) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting_id)


def _confirmed_count(meeting: Meeting) -> int:
    return meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()


def waiting_position(registration: Registration) -> int:
    """1 for the first person on the waiting list."""
    from django.db.models import Q

    earlier = Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lte=registration.pk)
    return Registration.objects.filter(earlier, meeting_id=registration.meeting_id, status="waiting").count()


def register(
    meeting: Meeting,
    *,
    form_token: str,
    name: str,
    email: str,
    organisation: str = "",
    role: str = "",
    needs: str = "",
    on_attendee_list: bool = False,
    now=None,
) -> Registered:
    """Register without an account: confirmed while seats are free, else on the waiting list. Refusals (deadline
    passed, the same e-mail address already registered) are RuleErrors; a double submit of one form is a replay."""
    permissions.require("meetings.register", None, meeting)
    now = now or timezone.now()
    email = email.strip().lower()
    if not name.strip():
        raise RuleError(_("Vul uw naam in."), field="name")
    try:
        with transaction.atomic():
            locked = _locked(meeting.pk)
            existing = Registration.objects.filter(form_token=form_token).first()
            if existing is not None:
                return Registered(existing, replay=True)
            if now > locked.registration_deadline:
                raise RuleError(
                    _("Aanmelden voor deze bijeenkomst kan niet meer: dat kon tot %(deadline)s.")
                    % {"deadline": timezone.localtime(locked.registration_deadline).strftime("%d-%m-%Y %H:%M")}
                )
            active = (Registration.Status.CONFIRMED, Registration.Status.WAITING)
            if locked.registrations.filter(email=email, status__in=active, personal_data_purged_at=None).exists():
                raise RuleError(
                    _(
                        "Met dit e-mailadres is al iemand aangemeld voor deze bijeenkomst. Zoek in uw e-mail naar de "
                        "bevestiging; daarin staat ook de link om af te melden."
                    ),
                    field="email",
                )
            full = _confirmed_count(locked) >= locked.capacity
            registration = Registration.objects.create(
                meeting=locked,
                status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
                name=name.strip(),
                organisation=organisation.strip(),
                email=email,
                role=role.strip(),
                needs=needs.strip(),
                on_attendee_list=on_attendee_list,
                cancel_token_hash=hash_token(secrets.token_urlsafe(32)),  # replaced by the e-mail's own link
                form_token=form_token,
            )
            _notify(registration, "waiting" if full else "confirmed")
    except IntegrityError as exc:  # two posts at once with the same address or form
        existing = Registration.objects.filter(form_token=form_token).first()
        if existing is not None:
            return Registered(existing, replay=True)
        raise RuleError(_("Met dit e-mailadres is al iemand aangemeld voor deze bijeenkomst."), field="email") from exc
    return Registered(registration)


def issue_cancel_token(registration: Registration) -> str:
    """A fresh secret for the cancel link of the next e-mail; only its hash is stored (the newest link counts)."""
    raw = secrets.token_urlsafe(32)
    Registration.objects.filter(pk=registration.pk).update(cancel_token_hash=hash_token(raw))
    registration.cancel_token_hash = hash_token(raw)
    return raw


def registration_for_token(raw: str) -> Registration | None:
    if not raw or len(raw) > 100:
        return None
    return (
        Registration.objects.select_related("meeting")
        .filter(cancel_token_hash=hash_token(raw), personal_data_purged_at=None)
        .first()
    )


@dataclass(frozen=True)
class Cancelled:
    registration: Registration
    promoted: Registration | None


def cancel(raw_token: str, now=None) -> Cancelled:
    """Cancel through the e-mail's link. A confirmed seat goes to the first person on the waiting list, who is
    told by e-mail. A second click: RuleError."""
    now = now or timezone.now()
    registration = registration_for_token(raw_token)
    if registration is None:
        raise RuleError(_("Deze afmeldlink is niet (meer) geldig. Gebruik de link uit de nieuwste e-mail."))
    if registration.meeting.starts_at <= now:
        raise RuleError(_("De bijeenkomst is al begonnen; afmelden kan niet meer."))
    with transaction.atomic():
        meeting = _locked(registration.meeting_id)
        was_confirmed = registration.status == Registration.Status.CONFIRMED
        transition(
            registration,
            Registration.Status.CANCELLED,
            REGISTRATION_FLOW,
            updates={"cancelled_at": now},
            message=_("U bent al afgemeld voor deze bijeenkomst."),
        )
        promoted = None
        if was_confirmed:
            promoted = promote_from_waiting_list(meeting, now=now)
        _notify(registration, "cancelled")
    return Cancelled(registration, promoted)


def promote_from_waiting_list(meeting: Meeting, now=None) -> Registration | None:
    """Give a free seat to the first person on the waiting list (call under the meeting's lock)."""
    if _confirmed_count(meeting) >= meeting.capacity:
        return None
    first = meeting.registrations.filter(status=Registration.Status.WAITING).order_by("created_at", "id").first()
    if first is None:
        return None
    transition(first, Registration.Status.CONFIRMED, REGISTRATION_FLOW, updates={"promoted_at": now or timezone.now()})
    _notify(first, "promoted")
    return first


def _notify(registration: Registration, kind: str) -> None:
    """The e-mail goes through the task queue after commit (only the id and the kind are stored in the queue);
    inline in tests and without a worker (settings.TASKS_EMAIL_INLINE)."""
    from .tasks import send_registration_email

    if settings.TASKS_EMAIL_INLINE:
        transaction.on_commit(lambda: _send_inline(registration.pk, kind))
    else:
        transaction.on_commit(lambda: send_registration_email.enqueue(registration.pk, kind))


def _send_inline(registration_id: int, kind: str) -> None:
    import logging

    from .tasks import send_registration_email

    try:
        send_registration_email.call(registration_id, kind)
    except Exception:  # noqa: BLE001 - a mail server that is down never breaks the visitor's request
        logging.getLogger(__name__).warning("registration e-mail not sent (kind %s)", kind, exc_info=True)


def attendee_rows(user, meeting: Meeting, request=None) -> list[Registration]:
    """The organiser's attendee list (personal data: logged)."""
    permissions.require("meetings.organise", user)
    log_access(request or user, "meeting.attendees", obj=meeting, purpose="programme")
    return list(meeting.registrations.exclude(status=Registration.Status.CANCELLED).order_by("status", "created_at"))


def export_attendees_csv(user, meeting: Meeting, out, request=None) -> None:
    from doorbraak.core import csv_safe

    permissions.require("meetings.organise", user)
    log_access(
        request or user, "meeting.attendees_export", action=AccessEvent.Action.EXECUTE, obj=meeting, purpose="programme"
    )
    writer = csv_safe.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Naam"),
            _("Organisatie"),
            _("E-mailadres"),
            _("Functie of rol"),
            _("Dieetwensen of toegankelijkheid"),
            _("Op deelnemerslijst"),
            _("Status"),
            _("Aanwezig"),
        ]
    )
    yes, no = _("ja"), _("nee")
    for r in meeting.registrations.exclude(status=Registration.Status.CANCELLED).order_by("status", "created_at"):
        attended = "" if r.attended is None else (yes if r.attended else no)
        writer.writerow(
            [
                r.name,
                r.organisation,
                r.email,
                r.role,
                r.needs,
                yes if r.on_attendee_list else no,
                r.get_status_display(),
                attended,
            ]
        )


@transaction.atomic
def record_attendance(user, meeting: Meeting, present_ids: set[int], request=None) -> int:
    """Mark who came (the confirmed registrations; everyone else confirmed: absent). Only once it has begun."""
    permissions.require("meetings.organise", user)
    if meeting.starts_at > timezone.now():
        raise RuleError(_("Aanwezigheid noteert u vanaf het begin van de bijeenkomst."))
    confirmed = meeting.registrations.filter(status=Registration.Status.CONFIRMED)
    unknown = set(present_ids) - set(confirmed.values_list("pk", flat=True))
    if unknown:
        raise RuleError(_("Kies alleen mensen die zijn aangemeld."))
    confirmed.filter(pk__in=present_ids).update(attended=True)
    confirmed.exclude(pk__in=present_ids).update(attended=False)
    log_access(
        request or user, "meeting.attendance", action=AccessEvent.Action.UPDATE, obj=meeting, purpose="programme"
    )
    return len(present_ids)


def purge_registrant_data(days: int | None = None, now=None) -> int:
    """Blank name, organisation, e-mail, role and needs of registrations `days` after their meeting ended
    (MEETINGS_REGISTRANT_RETENTION_DAYS); status and attendance stay for the programme's counts."""
    days = settings.MEETINGS_REGISTRANT_RETENTION_DAYS if days is None else days
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    with transaction.atomic():
        rows = Registration.objects.filter(meeting__ends_at__lt=cutoff, personal_data_purged_at=None)
        ids = list(rows.values_list("pk", flat=True))
        for pk in ids:  # the cancel token becomes a random one too (unique)
            Registration.objects.filter(pk=pk).update(
                name="",
                organisation="",
                email="",
                role="",
                needs="",
                on_attendee_list=False,
                cancel_token_hash=hash_token(secrets.token_urlsafe(32)),
                personal_data_purged_at=now,
            )
    return len(ids)


# --- Takeaways and needs -----------------------------------------------------------------------------------


def submit_takeaway(
    meeting: Meeting,
    *,
    form_token: str,
    takeaway: str,
    need: str,
    tags: list[str],
    initiative_ids: list[int] | None = None,
    consent_to_publish: bool = False,
    show_name: bool = False,
    name: str = "",
    organisation: str = "",
) -> tuple[Takeaway, bool]:
    """A participant's takeaway and need (plain text; escaped wherever shown). Waits for moderation; only with
    consent can it be published. Returns (takeaway, created); a double submit of one form stores one."""
    permissions.require("meetings.send_takeaway", None, meeting)
    if meeting.starts_at > timezone.now():
        raise RuleError(_("Wat u meeneemt, vult u in tijdens of na de bijeenkomst."))
    takeaway, need = takeaway.strip(), need.strip()
    if not takeaway:
        raise RuleError(_("Vul in wat u meeneemt."), field="takeaway")
    if not need:
        raise RuleError(_("Vul in wat u daarvoor nodig hebt."), field="need")
    for field, text in (("takeaway", takeaway), ("need", need)):
        if len(text) > TEXT_LIMIT:
            raise RuleError(
                _("Gebruik hoogstens %(limit)s tekens; u gebruikte er %(count)s.")
                % {"limit": TEXT_LIMIT, "count": len(text)},
                field=field,
            )
    unknown = set(tags) - set(NeedTag.values)
    if unknown:
        raise RuleError(_("Kies alleen uit de genoemde behoeften."), field="tags")
    if show_name and not name.strip():
        raise RuleError(_("Vul uw naam in, of kies om anoniem te publiceren."), field="name")
    initiatives = list(Initiative.objects.filter(pk__in=initiative_ids or [], is_published=True))
    if len(initiatives) != len(set(initiative_ids or [])):
        raise RuleError(_("Kies alleen initiatieven uit het register."), field="initiatives")
    existing = Takeaway.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            item = Takeaway.objects.create(
                meeting=meeting,
                takeaway=takeaway,
                need=need,
                consent_to_publish=consent_to_publish,
                show_name=show_name and consent_to_publish,
                name=name.strip(),
                organisation=organisation.strip(),
                form_token=form_token,
                **{NEED_FIELDS[t]: True for t in tags},
            )
            item.initiatives.set(initiatives)
    except IntegrityError:
        return Takeaway.objects.get(form_token=form_token), False
    return item, True


DECISIONS = (Moderation.APPROVED, Moderation.REJECTED, Moderation.SPAM)


def decide_takeaway(user, takeaway_id: int, decision: str, reason: str = "", now=None) -> Takeaway:
    permissions.require("meetings.moderate", user)
    if decision not in DECISIONS:
        raise RuleError(_("Kies publiceren, afwijzen of spam."))
    item = Takeaway.objects.filter(pk=takeaway_id).first()
    if item is None:
        raise RuleError(_("Deze opbrengst bestaat niet (meer)."))
    if decision == Moderation.APPROVED and not item.consent_to_publish:
        raise RuleError(_("Deze deelnemer gaf geen toestemming om te publiceren."))
    if decision == Moderation.REJECTED and not reason.strip():
        raise RuleError(_("Geef een reden om af te wijzen."), field="reason")
    return transition(
        item,
        decision,
        MODERATION_FLOW,
        field="moderation",
        updates={"decided_at": now or timezone.now(), "decided_by": user, "rejection_reason": reason.strip()},
        message=_("Hierover is al besloten."),
    )


@transaction.atomic
def create_follow_up(user, *, kind: str, need: str, title: str, takeaway_ids: list[int]) -> FollowUp:
    """Turn a recurring need into a follow-up (learning session, introduction, budget request)."""
    permissions.require("meetings.organise", user)
    if kind not in FollowUp.Kind.values:
        raise RuleError(_("Kies een soort vervolg."), field="kind")
    if need not in NeedTag.values:
        raise RuleError(_("Kies een behoefte."), field="need")
    if not title.strip():
        raise RuleError(_("Beschrijf het vervolg."), field="title")
    if not takeaway_ids:
        raise RuleError(_("Kies de opbrengsten waar dit vervolg bij hoort."), field="takeaways")
    rows = Takeaway.objects.filter(pk__in=takeaway_ids, **{NEED_FIELDS[need]: True}).exclude(
        moderation__in=[Moderation.SPAM]
    )
    if rows.count() != len(set(takeaway_ids)):
        raise RuleError(_("Kies alleen opbrengsten met deze behoefte."), field="takeaways")
    follow_up = FollowUp.objects.create(kind=kind, need=need, title=title.strip(), created_by=user)
    rows.update(follow_up=follow_up)
    return follow_up


def set_follow_up_status(user, follow_up_id: int, status: str, now=None) -> FollowUp:
    permissions.require("meetings.organise", user)
    follow_up = FollowUp.objects.filter(pk=follow_up_id).first()
    if follow_up is None:
        raise RuleError(_("Dit vervolg bestaat niet (meer)."))
    if status not in FollowUp.Status.values:
        raise RuleError(_("Kies een status."), field="status")
    done_at = (now or timezone.now()) if status == FollowUp.Status.DONE else None
    return transition(follow_up, status, FOLLOW_UP_FLOW, updates={"done_at": done_at})
