"""Writes of the case file: one function per use case, atomic, permission-checked, timeline written."""

import calendar
import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from doorbraak.core import dates as date_ranges
from doorbraak.core.models import Role
from doorbraak.core.validators import NAME_CHARACTERS_ERROR, unsafe_name_character

from .models import (
    Case,
    CaseFunder,
    Consent,
    DomainScore,
    FollowUpMoment,
    FormToken,
    Household,
    Involvement,
    LifeDomain,
    OutcomeMeasurement,
    Person,
    TimelineEntry,
)

CASE_ROLES = {Role.PROFESSIONAL, Role.LEAD, Role.APPROVER}  # may search the cases they are involved in
OPENING_ROLES = {Role.PROFESSIONAL, Role.LEAD}  # may open a case


class DuplicateSubmission(Exception):
    """The same form was submitted twice; the first submit counts, the second changes nothing."""


class CaseRuleError(Exception):
    """A business rule refuses the write; the message is Dutch and shown to the user."""


class ForeignToken(DuplicateSubmission):
    """The one-time token was used before by another user, for another purpose or for another object: refused.
    A subclass of DuplicateSubmission so every caller that stops on a replay also stops on this (nothing is
    written); `message` says what happened."""

    message = _lazy("Dit formulier hoort bij een andere gebruiker of een ander dossier; er is niets opgeslagen. "
                    "Open het formulier opnieuw.")


REPLAY_MESSAGE = _lazy("Dit formulier was al verstuurd; er is niets opnieuw opgeslagen.")


def _object_key(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower[:60], str(obj.pk)[:40]


def claim_form_token(user, token, *, purpose: str = "", obj=None) -> None:
    """Record a one-time form token, bound to the user, the purpose and the object. Call inside atomic().

    Raises DuplicateSubmission if this user used it before for the same purpose and object (a double submit),
    ForeignToken if it was used by someone else or for something else."""
    if token is None:
        return
    object_type, object_id = _object_key(obj)
    try:
        with transaction.atomic():
            FormToken.objects.create(token=token, user=user, purpose=purpose[:60], object_type=object_type,
                                     object_id=object_id)
    except IntegrityError as exc:
        used = FormToken.objects.filter(token=token).first()
        if used is not None and (used.user_id, used.purpose, used.object_type, used.object_id) == (
                user.pk, purpose[:60], object_type, object_id):
            raise DuplicateSubmission from exc
        raise ForeignToken from exc


def check_names(*values) -> None:
    """The service's own check that names hold no bidi controls or control characters (core.validators)."""
    if any(unsafe_name_character(v) for v in values):
        raise CaseRuleError(NAME_CHARACTERS_ERROR)


def check_date(value, date_range, future_message=None) -> None:
    """The service's own check of a date range (core.dates), as a CaseRuleError with the Dutch message."""
    message = date_range.problem(value, future_message)
    if message:
        raise CaseRuleError(message)


# A form token only has to outlive the form it was rendered in; a form lives at most one session (10 hours).
FORM_TOKEN_RETENTION_DAYS = 2


def purge_form_tokens(days: int = FORM_TOKEN_RETENTION_DAYS, now=None) -> int:
    """Delete form tokens used more than `days` days ago (longer than any session, so the form they guard
    can no longer be submitted); returns the number deleted. Idempotent."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    with transaction.atomic():
        deleted, _per_model = FormToken.objects.filter(used_at__lt=cutoff).delete()
    return deleted


def add_timeline(case, actor, kind, summary):
    return TimelineEntry.objects.create(municipality_id=case.municipality_id, case=case, actor=actor,
                                        kind=kind, summary=summary[:300])


def ensure_can_work_on(user, case) -> None:
    from .models import Case as _Case

    if not _Case.objects.visible_to(user).filter(pk=case.pk).exists():
        raise PermissionDenied


def ensure_lead_of(user, case) -> None:
    if not (user.role == Role.LEAD and user.team_id == case.team_id and user.municipality_id == case.municipality_id):
        raise PermissionDenied


@transaction.atomic
def open_case(user, *, title, team, area, question, tried, stuck_since, member, funders, scores, token=None):
    if user.role not in OPENING_ROLES or team.municipality_id != user.municipality_id:
        raise PermissionDenied
    check_date(stuck_since, date_ranges.LONG_PAST)
    check_names(title, area, member.get("first_name"), member.get("last_name"))
    check_date(member.get("date_of_birth"), date_ranges.BIRTH)
    claim_form_token(user, token, purpose="cases.open_case", obj=team)
    m = user.municipality_id
    household = Household.objects.create(municipality_id=m, area=area)
    Person.objects.create(municipality_id=m, household=household, relation=Person.Relation.MAIN, **member)
    case = Case.objects.create(municipality_id=m, household=household, team=team, title=title, question=question,
                               tried=tried, stuck_since=stuck_since, created_by=user)
    for funder in funders:
        CaseFunder.objects.create(municipality_id=m, case=case, funder=funder)
    today = timezone.localdate()
    DomainScore.objects.bulk_create([
        DomainScore(municipality_id=m, case=case, domain=d, score=s, scored_on=today, scored_by=user)
        for d, s in scores.items()
    ])
    Involvement.objects.create(municipality_id=m, case=case, user=user, organisation=user.organisation,
                               role_in_case=_("casusregisseur"))
    add_timeline(case, user, "case.opened", _("Casus geopend"))
    return case


@transaction.atomic
def add_member(user, case, *, first_name, last_name, date_of_birth, bsn, relation, token=None):
    ensure_can_work_on(user, case)
    check_date(date_of_birth, date_ranges.BIRTH)
    check_names(first_name, last_name)
    claim_form_token(user, token, purpose="cases.add_member", obj=case)
    person = Person.objects.create(municipality_id=case.municipality_id, household_id=case.household_id,
                                   first_name=first_name, last_name=last_name, date_of_birth=date_of_birth,
                                   bsn=bsn, relation=relation)
    add_timeline(case, user, "member.added", _("Gezinslid toegevoegd"))
    return person


@transaction.atomic
def rescore(user, case, scores: dict[str, int], token=None):
    ensure_can_work_on(user, case)
    claim_form_token(user, token, purpose="cases.rescore", obj=case)
    today = timezone.localdate()
    rows = DomainScore.objects.bulk_create([
        DomainScore(municipality_id=case.municipality_id, case=case, domain=d, score=s, scored_on=today,
                    scored_by=user)
        for d, s in scores.items()
    ])
    add_timeline(case, user, "scores.added", _("Zelfredzaamheid opnieuw gescoord (%(n)s domeinen)") % {"n": len(rows)})
    return rows


@transaction.atomic
def involve(user, case, professional, role_in_case, token=None):
    ensure_can_work_on(user, case)
    if case.status == Case.Status.CLOSED:
        raise CaseRuleError(_("Deze casus is afgesloten; er kunnen geen betrokkenen meer bij."))
    if professional.municipality_id != case.municipality_id or not professional.is_active:
        raise CaseRuleError(_("Deze professional hoort niet bij uw gemeente."))
    claim_form_token(user, token, purpose="cases.involve", obj=case)
    existing = Involvement.objects.filter(case=case, user=professional, ended_at__isnull=True).first()
    if existing:
        raise CaseRuleError(_("Deze professional is al betrokken bij de casus."))
    involvement = Involvement.objects.create(municipality_id=case.municipality_id, case=case, user=professional,
                                             organisation=professional.organisation, role_in_case=role_in_case)
    add_timeline(case, user, "involvement.added",
                 _("%(name)s betrokken als %(role)s") % {"name": professional.get_full_name() or professional.username,
                                                         "role": role_in_case})
    return involvement


@transaction.atomic
def end_involvement(user, case, involvement):
    ensure_can_work_on(user, case)
    if involvement.case_id != case.pk:
        raise PermissionDenied
    if involvement.user_id != user.pk and not (user.role == Role.LEAD and user.team_id == case.team_id):
        raise CaseRuleError(_("Alleen de professional zelf of de doorbraakregisseur kan een betrokkenheid beëindigen."))
    if involvement.ended_at is None:
        involvement.ended_at = timezone.now()
        involvement.save(update_fields=["ended_at"])
        add_timeline(case, user, "involvement.ended",
                     _("Betrokkenheid van %(name)s beëindigd") % {
                         "name": involvement.user.get_full_name() or involvement.user.username})
    return involvement


@transaction.atomic
def close_case(user, case):
    ensure_lead_of(user, case)
    now = timezone.now()
    case.status = Case.Status.CLOSED
    case.closed_at = now
    case.save(update_fields=["status", "closed_at"])
    Involvement.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    add_timeline(case, user, "case.closed", _("Casus afgesloten; alle betrokkenheid beëindigd"))
    return case


def set_status(user, case, status, summary):
    """Used by other apps (platforms) inside their own transaction."""
    case.status = status
    case.save(update_fields=["status"])
    add_timeline(case, user, f"status.{status}", summary)


@transaction.atomic
def record_consent(user, case, *, organisation, scope, given_on, token=None):
    ensure_can_work_on(user, case)
    if organisation.municipality_id != case.municipality_id:
        raise CaseRuleError(_("Kies een organisatie van uw gemeente."))
    check_date(given_on, date_ranges.RECENT_PAST)
    claim_form_token(user, token, purpose="cases.record_consent", obj=case)
    consent = Consent.objects.create(municipality_id=case.municipality_id, case=case, organisation=organisation,
                                     scope=scope, given_on=given_on, recorded_by=user)
    add_timeline(case, user, "consent.given",
                 _("Toestemming vastgelegd om te delen met %(org)s") % {"org": organisation.name})
    return consent


@transaction.atomic
def withdraw_consent(user, case, consent):
    ensure_can_work_on(user, case)
    if consent.case_id != case.pk:
        raise PermissionDenied
    if consent.withdrawn_on is None:
        consent.withdrawn_on = timezone.localdate()
        consent.save(update_fields=["withdrawn_on"])
        add_timeline(case, user, "consent.withdrawn",
                     _("Toestemming ingetrokken voor %(org)s") % {"org": consent.organisation.name})
    return consent


# --------------------------------------------------------------------------------------------------
# Follow-up (nazorg): evaluation schedule and outcome measurements
# --------------------------------------------------------------------------------------------------

FOLLOW_UP_WEEKS = 4  # default: every four weeks ...
FOLLOW_UP_MONTHS = 3  # ... for the first three months (the family-plan story)
MIN_WEEKS, MAX_WEEKS = 1, 26
MIN_MONTHS, MAX_MONTHS = 1, 24
CLOSED_NO_FOLLOW_UP = _("Deze casus is afgesloten; er kunnen geen evaluatiemomenten meer bij.")


def date_nl(value: datetime.date) -> str:
    return f"{value.day}-{value.month}-{value.year}"


def add_months(value: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the last day of the month when that day does not exist (31 jan + 1 = 28 feb)."""
    index = value.month - 1 + months
    year, month = value.year + index // 12, index % 12 + 1
    return value.replace(year=year, month=month, day=min(value.day, calendar.monthrange(year, month)[1]))


def default_follow_up_start(case) -> datetime.date:
    """Where a schedule starts unless the professional chooses: the latest breakthrough of the case's platforms,
    else today. (Reads the platforms through the reverse relation; cases does not import platforms.)"""
    latest = (case.platforms.filter(breakthrough_on__isnull=False).order_by("-breakthrough_on")
              .values_list("breakthrough_on", flat=True).first())
    return latest or timezone.localdate()


def schedule_dates(start: datetime.date, interval_weeks: int, months: int) -> list[datetime.date]:
    """Every `interval_weeks` weeks after `start`, up to and including `months` months after it.
    Default (4 weeks, 3 months): three moments, at 4, 8 and 12 weeks."""
    if not (MIN_WEEKS <= interval_weeks <= MAX_WEEKS):
        raise CaseRuleError(_("Kies een aantal weken van %(a)s tot en met %(b)s.")
                            % {"a": MIN_WEEKS, "b": MAX_WEEKS})
    if not (MIN_MONTHS <= months <= MAX_MONTHS):
        raise CaseRuleError(_("Kies een aantal maanden van %(a)s tot en met %(b)s.")
                            % {"a": MIN_MONTHS, "b": MAX_MONTHS})
    end = add_months(start, months)
    step = datetime.timedelta(weeks=interval_weeks)
    dates, day = [], start + step
    while day <= end:
        dates.append(day)
        day += step
    return dates


def _open_for_follow_up(case) -> None:
    if case.status == Case.Status.CLOSED:
        raise CaseRuleError(CLOSED_NO_FOLLOW_UP)


@transaction.atomic
def plan_follow_up(user, case, *, start=None, interval_weeks=FOLLOW_UP_WEEKS, months=FOLLOW_UP_MONTHS, token=None):
    """Plan an evaluation schedule. Dates that are already planned for the case are not planned twice.
    A case that has broken through moves on to "in nazorg"."""
    ensure_can_work_on(user, case)
    _open_for_follow_up(case)
    start = start or default_follow_up_start(case)
    check_date(start, date_ranges.NEAR)
    dates = schedule_dates(start, interval_weeks, months)
    if not dates:
        raise CaseRuleError(_("Er past geen evaluatie in deze periode: de tijd tussen twee evaluaties is langer "
                              "dan de periode. Kies minder weken of meer maanden."))
    claim_form_token(user, token, purpose="cases.plan_follow_up", obj=case)
    existing = set(FollowUpMoment.objects.filter(case=case, due_on__in=dates).values_list("due_on", flat=True))
    new = [d for d in dates if d not in existing]
    if not new:
        raise CaseRuleError(_("Deze evaluatiemomenten staan al gepland."))
    moments = FollowUpMoment.objects.bulk_create([
        FollowUpMoment(municipality_id=case.municipality_id, case=case, due_on=d) for d in new
    ])
    add_timeline(case, user, "follow_up.planned",
                 _("Nazorg gepland: %(n)s evaluaties, elke %(w)s weken vanaf %(d)s")
                 % {"n": len(new), "w": interval_weeks, "d": date_nl(start)})
    if case.status == Case.Status.BREAKTHROUGH:
        set_status(user, case, Case.Status.FOLLOW_UP, _("Casus in nazorg"))
    return moments


@transaction.atomic
def add_follow_up(user, case, *, due_on, token=None):
    ensure_can_work_on(user, case)
    _open_for_follow_up(case)
    check_date(due_on, date_ranges.NEAR)
    claim_form_token(user, token, purpose="cases.add_follow_up", obj=case)
    moment = FollowUpMoment.objects.create(municipality_id=case.municipality_id, case=case, due_on=due_on)
    add_timeline(case, user, "follow_up.added", _("Evaluatie gepland op %(d)s") % {"d": date_nl(due_on)})
    return moment


def _check_not_future(value, message):
    if value > timezone.localdate():
        raise CaseRuleError(message)


def _hold(user, case, moment, done_on, note, strict=True):
    """Mark a moment held with a conditional update (a second click changes nothing). Inside atomic()."""
    if moment.case_id != case.pk:
        raise PermissionDenied
    updated = FollowUpMoment.objects.filter(pk=moment.pk, done_on__isnull=True).update(
        done_on=done_on, done_by=user, note=note)
    if not updated:
        if not strict:
            return moment
        raise CaseRuleError(_("Dit evaluatiemoment is al gehouden."))
    moment.refresh_from_db()
    add_timeline(case, user, "follow_up.held",
                 _("Evaluatie van %(due)s gehouden op %(d)s")
                 % {"due": date_nl(moment.due_on), "d": date_nl(done_on)})
    return moment


@transaction.atomic
def hold_follow_up(user, case, moment, *, done_on, note="", token=None):
    ensure_can_work_on(user, case)
    _check_not_future(done_on, _("De datum ligt in de toekomst. Een evaluatie kan pas na afloop als gehouden "
                                 "worden vastgelegd."))
    check_date(done_on, date_ranges.RECENT_PAST)
    claim_form_token(user, token, purpose="cases.hold_follow_up", obj=moment)
    return _hold(user, case, moment, done_on, note.strip())


@transaction.atomic
def record_measurement(user, case, *, measured_on, participation_step, client_satisfaction=None,
                       professional_satisfaction=None, note="", scores=None, follow_up=None, token=None):
    """One outcome measurement; new ZRM scores become DomainScore rows of the same date; a follow-up moment it
    belongs to is marked held (if it was not yet)."""
    ensure_can_work_on(user, case)
    _check_not_future(measured_on, _("De datum van de meting ligt in de toekomst."))
    check_date(measured_on, date_ranges.RECENT_PAST)
    for value in (client_satisfaction, professional_satisfaction):
        if value is not None and not 1 <= value <= 10:
            raise CaseRuleError(_("Kies een cijfer van 1 tot en met 10."))
    if follow_up is not None and follow_up.case_id != case.pk:
        raise CaseRuleError(_("Kies een evaluatiemoment van deze casus."))
    scores = scores or {}
    if any(d not in LifeDomain.values or not 1 <= s <= 5 for d, s in scores.items()):
        raise CaseRuleError(_("Kies een score van 1 tot en met 5."))
    claim_form_token(user, token, purpose="cases.record_measurement", obj=case)
    measurement = OutcomeMeasurement.objects.create(
        municipality_id=case.municipality_id, case=case, follow_up=follow_up, measured_on=measured_on,
        participation_step=participation_step, client_satisfaction=client_satisfaction,
        professional_satisfaction=professional_satisfaction, note=note.strip(), recorded_by=user)
    DomainScore.objects.bulk_create([
        DomainScore(municipality_id=case.municipality_id, case=case, domain=d, score=s, scored_on=measured_on,
                    scored_by=user)
        for d, s in scores.items()
    ])
    add_timeline(case, user, "measurement.recorded",
                 _("Uitkomstmeting vastgelegd (%(d)s, %(n)s domeinen gescoord)")
                 % {"d": date_nl(measured_on), "n": len(scores)})
    if follow_up is not None:
        _hold(user, case, follow_up, measured_on, note.strip(), strict=False)  # already held: leave it
    return measurement
