"""Writes of the case file: one function per use case, atomic, permission-checked (cases.permissions, the rule
book), state changes through core.transitions (CASE_FLOW), timeline written."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.core import dates as date_ranges
from doorbraak.core.errors import RuleError
from doorbraak.core.form_tokens import (  # noqa: F401  (re-exported for one release; import from core.form_tokens)
    FORM_TOKEN_RETENTION_DAYS,
    REPLAY_MESSAGE,
    DuplicateSubmission,
    ForeignToken,
    claim_form_token,
)
from doorbraak.core.form_tokens import purge_expired as purge_form_tokens  # noqa: F401  (one release)
from doorbraak.core.permissions import CASE_OPENERS, Refused, allowed, require
from doorbraak.core.transitions import transition
from doorbraak.core.validators import NAME_CHARACTERS_ERROR, is_valid_bsn, unsafe_name_character

from . import selectors
from .models import (
    Case,
    CaseFunder,
    Consent,
    DomainScore,
    FollowUpMoment,
    Household,
    Involvement,
    LifeDomain,
    OutcomeMeasurement,
    ParticipationStep,
    Person,
    TimelineEntry,
)

S = Case.Status
# Which status may follow which (core.transitions). A closed case stays closed.
CASE_FLOW = {
    S.OPEN: {S.PLATFORM, S.BREAKTHROUGH, S.CLOSED},  # breakthrough: a platform stored without convene (import)
    S.PLATFORM: {S.BREAKTHROUGH, S.CLOSED},
    S.BREAKTHROUGH: {S.PLATFORM, S.FOLLOW_UP, S.CLOSED},
    S.FOLLOW_UP: {S.PLATFORM, S.BREAKTHROUGH, S.CLOSED},
    S.CLOSED: set(),
}
CLOSED_MESSAGE = _("Deze casus is afgesloten.")
BSN_ERROR = _("Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en de elfproef doorstaan.")
BIRTH_FUTURE_ERROR = _("De geboortedatum ligt in de toekomst. Controleer de datum.")
CONSENT_FUTURE_ERROR = _("De datum van de toestemming ligt in de toekomst.")
SCORE_ERROR = _("Kies een score van 1 tot en met 5.")


def check_names(*values) -> None:
    """The service's own check that names hold no bidi controls or control characters (core.validators)."""
    if any(unsafe_name_character(v) for v in values):
        raise RuleError(NAME_CHARACTERS_ERROR)


def check_date(value, date_range, future_message=None, field=None) -> None:
    """The service's own check of a date range (core.dates), as a RuleError with the Dutch message."""
    message = date_range.problem(value, future_message)
    if message:
        raise RuleError(message, field=field)


def check_bsn(value) -> str:
    """The eleven-test (the form repeats it); returns the BSN without spaces and dots, "" for none."""
    value = (value or "").replace(" ", "").replace(".", "")
    if value and not is_valid_bsn(value):
        raise RuleError(BSN_ERROR, field="bsn")
    return value


def check_scores(scores: dict) -> None:
    """ZRM scores: known life domains, 1 to 5."""
    if any(d not in LifeDomain.values or not isinstance(s, int) or not 1 <= s <= 5 for d, s in scores.items()):
        raise RuleError(SCORE_ERROR)


def add_timeline(case, actor, kind, summary, at=None):
    """One timeline entry. Other apps (platforms, budget) write theirs through this service; `at` (default now)
    only for demo data told in the past."""
    extra = {"at": at} if at is not None else {}
    return TimelineEntry.objects.create(
        municipality_id=case.municipality_id, case=case, actor=actor, kind=kind, summary=summary[:300], **extra
    )


def _belongs_to(row, case, rule) -> None:
    """An involvement, consent or moment given with a case must be of that case (else: refused, nothing told)."""
    if row.case_id != case.pk:
        raise Refused(rule)


def _open(case, message=CLOSED_MESSAGE) -> None:
    if case.status == Case.Status.CLOSED:
        raise RuleError(message)


def _create_involvement(case, professional, role_in_case):
    return Involvement.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        user=professional,
        organisation_id=professional.organisation_id,
        role_in_case=role_in_case,
    )


@transaction.atomic
def open_case(user, *, title, team, area, question, tried, stuck_since, member, funders, scores, token=None):
    require("cases.open_case", user, team)
    check_date(stuck_since, date_ranges.LONG_PAST, _("Deze datum ligt in de toekomst."), field="stuck_since")
    check_names(title, area, member.get("first_name"), member.get("last_name"))
    check_date(member.get("date_of_birth"), date_ranges.BIRTH, BIRTH_FUTURE_ERROR, field="date_of_birth")
    member = {**member, "bsn": check_bsn(member.get("bsn"))}
    check_scores(scores)
    claim_form_token(user, token, purpose="cases.open_case", obj=team)
    m = user.municipality_id
    household = Household.objects.create(municipality_id=m, area=area)
    Person.objects.create(municipality_id=m, household=household, relation=Person.Relation.MAIN, **member)
    case = Case.objects.create(
        municipality_id=m,
        household=household,
        team=team,
        title=title,
        question=question,
        tried=tried,
        stuck_since=stuck_since,
        created_by=user,
    )
    for funder in funders:
        CaseFunder.objects.create(municipality_id=m, case=case, funder=funder)
    today = timezone.localdate()
    DomainScore.objects.bulk_create(
        [
            DomainScore(municipality_id=m, case=case, domain=d, score=s, scored_on=today, scored_by=user)
            for d, s in scores.items()
        ]
    )
    _create_involvement(case, user, _("casusregisseur"))
    add_timeline(case, user, "case.opened", _("Casus geopend"))
    return case


@transaction.atomic
def add_member(user, case, *, first_name, last_name, date_of_birth, bsn, relation, token=None):
    require("cases.add_member", user, case)
    check_date(date_of_birth, date_ranges.BIRTH, BIRTH_FUTURE_ERROR, field="date_of_birth")
    check_names(first_name, last_name)
    bsn = check_bsn(bsn)
    if relation not in Person.Relation.values:
        raise RuleError(_("Kies een relatie."), field="relation")
    claim_form_token(user, token, purpose="cases.add_member", obj=case)
    person = Person.objects.create(
        municipality_id=case.municipality_id,
        household_id=case.household_id,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        bsn=bsn,
        relation=relation,
    )
    add_timeline(case, user, "member.added", _("Gezinslid toegevoegd"))
    return person


@transaction.atomic
def rescore(user, case, scores: dict[str, int], token=None):
    require("cases.rescore", user, case)
    if not scores:
        raise RuleError(_("Vul minstens één score in."))
    check_scores(scores)
    claim_form_token(user, token, purpose="cases.rescore", obj=case)
    today = timezone.localdate()
    rows = DomainScore.objects.bulk_create(
        [
            DomainScore(
                municipality_id=case.municipality_id, case=case, domain=d, score=s, scored_on=today, scored_by=user
            )
            for d, s in scores.items()
        ]
    )
    add_timeline(case, user, "scores.added", _("Zelfredzaamheid opnieuw gescoord (%(n)s domeinen)") % {"n": len(rows)})
    return rows


def _check_professional(case, professional) -> None:
    """Who can be involved: an active professional or lead (the roles that work on cases at the table) of the
    case's municipality (the form offers only those)."""
    if (
        professional.municipality_id != case.municipality_id
        or not professional.is_active
        or professional.role not in CASE_OPENERS
    ):
        raise RuleError(_("Deze professional hoort niet bij uw gemeente."), field="user")


@transaction.atomic
def involve(user, case, professional, role_in_case, token=None):
    require("cases.involve", user, case)
    _open(case, _("Deze casus is afgesloten; er kunnen geen betrokkenen meer bij."))
    _check_professional(case, professional)
    check_names(role_in_case)
    claim_form_token(user, token, purpose="cases.involve", obj=case)
    existing = Involvement.objects.filter(case=case, user=professional, ended_at__isnull=True).first()
    if existing:
        raise RuleError(_("Deze professional is al betrokken bij de casus."))
    involvement = _create_involvement(case, professional, role_in_case)
    add_timeline(
        case,
        user,
        "involvement.added",
        _("%(name)s betrokken als %(role)s")
        % {"name": professional.get_full_name() or professional.username, "role": role_in_case},
    )
    return involvement


def involve_for_platform(user, case, professional, role_in_case):
    """The platforms app's way to involve a professional it invited to the table (inside its own transaction;
    the caller has checked the invitation rules and wrote its own timeline entry). Nothing happens when the
    professional is already involved. Returns the (new or existing) active involvement."""
    require("cases.involve", user, case)
    _open(case, _("Deze casus is afgesloten; er kunnen geen betrokkenen meer bij."))
    _check_professional(case, professional)
    existing = Involvement.objects.filter(case=case, user=professional, ended_at__isnull=True).first()
    return existing or _create_involvement(case, professional, role_in_case)


@transaction.atomic
def end_involvement(user, case, involvement):
    require("cases.work_on", user, case)
    _belongs_to(involvement, case, "cases.end_involvement")
    if not allowed("cases.end_involvement", user, involvement):
        raise RuleError(_("Alleen de professional zelf of de doorbraakregisseur kan een betrokkenheid beëindigen."))
    ended = Involvement.objects.filter(pk=involvement.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    selectors.forget_gate(case)  # the gate may now say no to this user
    if ended:  # a second click changes nothing
        involvement.refresh_from_db(fields=["ended_at"])
        add_timeline(
            case,
            user,
            "involvement.ended",
            _("Betrokkenheid van %(name)s beëindigd")
            % {"name": involvement.user.get_full_name() or involvement.user.username},
        )
    return involvement


@transaction.atomic
def close_case(user, case):
    """Close the case (the lead of its team): all involvements end. Once: a second close is a RuleError and
    `closed_at` keeps the first moment."""
    require("cases.close", user, case)
    now = timezone.now()

    def closed(c):
        Involvement.objects.filter(case=c, ended_at__isnull=True).update(ended_at=now)
        selectors.forget_gate(c)
        selectors.forget_gate(case)
        add_timeline(c, user, "case.closed", _("Casus afgesloten; alle betrokkenheid beëindigd"))

    return transition(case, Case.Status.CLOSED, CASE_FLOW, updates={"closed_at": now}, on_change=closed)


# --- issue 16: closing with care -----------------------------------------------------------------------------
DECIDE_EACH = _("Kies bij elk open punt of het vervalt of blijft staan.")


def close_review(user, case) -> list:
    """What is still open on the case (cases.close_checks: follow-ups, and every app in settings.CLOSE_CHECKS), for
    the lead who may close it. A closed case has nothing open."""
    from . import close_checks

    require("cases.close", user, case)
    if case.status == Case.Status.CLOSED:
        return []
    return close_checks.open_items(user, case)


@transaction.atomic
def close_with_care(user, case, decisions: dict[str, str]):
    """Close the case after a decision on every open item (`decisions`: item key -> "cancel" or "keep"): each
    cancelled item lapses through its own app's service, each kept item gets a timeline entry, then the case closes
    (close_case), all in one transaction. A missing or impossible decision (also: an item that appeared since the
    page was opened) is a RuleError and nothing changes."""
    from . import close_checks

    require("cases.close", user, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == Case.Status.CLOSED:
        return close_case(user, case)  # the transition says plainly that it already happened
    items = close_checks.open_items(user, case)
    if any(decisions.get(item.key) not in item.choices for item in items):
        raise RuleError(DECIDE_EACH)
    for item in items:
        if decisions[item.key] == close_checks.CANCEL:
            item.cancel(user)
        else:
            add_timeline(
                case, user, "case.close_kept", _("Blijft open na het afsluiten: %(label)s") % {"label": item.label}
            )
    return close_case(user, case)


@transaction.atomic
def cancel_follow_up(user, case, moment):
    """Strike a planned evaluation that will not happen (closing with care): the moment is removed, the timeline
    says so. A held moment stays."""
    require("cases.close", user, case)
    _belongs_to(moment, case, "cases.close")
    deleted, _rows = FollowUpMoment.objects.filter(pk=moment.pk, done_on__isnull=True).delete()
    if deleted:
        add_timeline(
            case,
            user,
            "follow_up.cancelled",
            _("Geplande evaluatie van %(d)s geschrapt") % {"d": date_ranges.dutch(moment.due_on)},
        )


def set_status(user, case, status, summary, at=None):
    """Move the case to `status` if CASE_FLOW allows it (a closed case stays closed; RuleError otherwise) and
    write the timeline entry. Used by platforms (convene, breakthrough) inside their own transaction."""
    require("cases.set_status", user, case)
    if status not in Case.Status.values:
        raise RuleError(_("Onbekende status."))
    return transition(
        case, status, CASE_FLOW, on_change=lambda c: add_timeline(c, user, f"status.{status}", summary, at=at)
    )


@transaction.atomic
def record_consent(user, case, *, organisation, scope, given_on, token=None):
    require("cases.record_consent", user, case)
    if organisation is None or organisation.municipality_id != case.municipality_id:
        raise RuleError(_("Kies een organisatie van uw gemeente."), field="organisation")
    check_date(given_on, date_ranges.RECENT_PAST, CONSENT_FUTURE_ERROR, field="given_on")
    if given_on is None:
        raise RuleError(_("Vul de datum van de toestemming in."), field="given_on")
    claim_form_token(user, token, purpose="cases.record_consent", obj=case)
    consent = Consent.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        organisation=organisation,
        scope=scope,
        given_on=given_on,
        recorded_by=user,
    )
    add_timeline(
        case, user, "consent.given", _("Toestemming vastgelegd om te delen met %(org)s") % {"org": organisation.name}
    )
    return consent


@transaction.atomic
def withdraw_consent(user, case, consent):
    require("cases.withdraw_consent", user, case)
    _belongs_to(consent, case, "cases.withdraw_consent")
    withdrawn = Consent.objects.filter(pk=consent.pk, withdrawn_on__isnull=True).update(
        withdrawn_on=timezone.localdate()
    )
    if withdrawn:  # a second click changes nothing
        consent.refresh_from_db(fields=["withdrawn_on"])
        add_timeline(
            case,
            user,
            "consent.withdrawn",
            _("Toestemming ingetrokken voor %(org)s") % {"org": consent.organisation.name},
        )
    return consent


# --------------------------------------------------------------------------------------------------
# Follow-up (nazorg): evaluation schedule and outcome measurements
# --------------------------------------------------------------------------------------------------

FOLLOW_UP_WEEKS = 4  # default: every four weeks ...
FOLLOW_UP_MONTHS = 3  # ... for the first three months (the family-plan story)
MIN_WEEKS, MAX_WEEKS = 1, 26
MIN_MONTHS, MAX_MONTHS = 1, 24
FOLLOW_UP_HORIZON_ERROR = _("Plan een evaluatie binnen twee jaar.")
CLOSED_NO_FOLLOW_UP = _("Deze casus is afgesloten; er kunnen geen evaluatiemomenten meer bij.")


def default_follow_up_start(case) -> datetime.date:
    """Where a schedule starts unless the professional chooses: the latest breakthrough of the case's platforms,
    else today. (Reads the platforms through the reverse relation; cases does not import platforms.)"""
    latest = (
        case.platforms.filter(breakthrough_on__isnull=False)
        .order_by("-breakthrough_on")
        .values_list("breakthrough_on", flat=True)
        .first()
    )
    return latest or timezone.localdate()


def schedule_dates(start: datetime.date, interval_weeks: int, months: int) -> list[datetime.date]:
    """Every `interval_weeks` weeks after `start`, up to and including `months` months after it.
    Default (4 weeks, 3 months): three moments, at 4, 8 and 12 weeks."""
    if not (MIN_WEEKS <= interval_weeks <= MAX_WEEKS):
        raise RuleError(_("Kies een aantal weken van %(a)s tot en met %(b)s.") % {"a": MIN_WEEKS, "b": MAX_WEEKS})
    if not (MIN_MONTHS <= months <= MAX_MONTHS):
        raise RuleError(_("Kies een aantal maanden van %(a)s tot en met %(b)s.") % {"a": MIN_MONTHS, "b": MAX_MONTHS})
    end = date_ranges.add_months(start, months)
    step = datetime.timedelta(weeks=interval_weeks)
    dates, day = [], start + step
    while day <= end:
        dates.append(day)
        day += step
    return dates


def _open_for_follow_up(case) -> None:
    if case.status == Case.Status.CLOSED:
        raise RuleError(CLOSED_NO_FOLLOW_UP)


@transaction.atomic
def plan_follow_up(user, case, *, start=None, interval_weeks=FOLLOW_UP_WEEKS, months=FOLLOW_UP_MONTHS, token=None):
    """Plan an evaluation schedule. Dates that are already planned for the case are not planned twice.
    A case that has broken through moves on to "in nazorg"."""
    require("cases.follow_up", user, case)
    _open_for_follow_up(case)
    start = start or default_follow_up_start(case)
    check_date(start, date_ranges.NEAR)
    dates = schedule_dates(start, interval_weeks, months)
    if not dates:
        raise RuleError(
            _(
                "Er past geen evaluatie in deze periode: de tijd tussen twee evaluaties is langer "
                "dan de periode. Kies minder weken of meer maanden."
            )
        )
    claim_form_token(user, token, purpose="cases.plan_follow_up", obj=case)
    existing = set(FollowUpMoment.objects.filter(case=case, due_on__in=dates).values_list("due_on", flat=True))
    new = [d for d in dates if d not in existing]
    if not new:
        raise RuleError(_("Deze evaluatiemomenten staan al gepland."))
    moments = FollowUpMoment.objects.bulk_create(
        [FollowUpMoment(municipality_id=case.municipality_id, case=case, due_on=d) for d in new]
    )
    add_timeline(
        case,
        user,
        "follow_up.planned",
        _("Nazorg gepland: %(n)s evaluaties, elke %(w)s weken vanaf %(d)s")
        % {"n": len(new), "w": interval_weeks, "d": date_ranges.dutch(start)},
    )
    if case.status == Case.Status.BREAKTHROUGH:
        set_status(user, case, Case.Status.FOLLOW_UP, _("Casus in nazorg"))
    return moments


@transaction.atomic
def add_follow_up(user, case, *, due_on, token=None):
    """One extra evaluation moment, at most two years ahead."""
    require("cases.follow_up", user, case)
    _open_for_follow_up(case)
    check_date(due_on, date_ranges.NEAR, field="due_on")
    if due_on is None:
        raise RuleError(_("Vul de datum van de evaluatie in."), field="due_on")
    if due_on > date_ranges.add_months(timezone.localdate(), MAX_MONTHS):
        raise RuleError(FOLLOW_UP_HORIZON_ERROR, field="due_on")
    claim_form_token(user, token, purpose="cases.add_follow_up", obj=case)
    moment = FollowUpMoment.objects.create(municipality_id=case.municipality_id, case=case, due_on=due_on)
    add_timeline(case, user, "follow_up.added", _("Evaluatie gepland op %(d)s") % {"d": date_ranges.dutch(due_on)})
    return moment


def _check_not_future(value, message):
    if value is None:
        raise RuleError(_("Vul een datum in, bijvoorbeeld 2026-03-31."))
    if value > timezone.localdate():
        raise RuleError(message)


def _hold(user, case, moment, done_on, note, strict=True):
    """Mark a moment held with a conditional update (a second click changes nothing). Inside atomic()."""
    _belongs_to(moment, case, "cases.follow_up")
    updated = FollowUpMoment.objects.filter(pk=moment.pk, done_on__isnull=True).update(
        done_on=done_on, done_by=user, note=note
    )
    if not updated:
        if not strict:
            return moment
        raise RuleError(_("Dit evaluatiemoment is al gehouden."))
    moment.refresh_from_db()
    add_timeline(
        case,
        user,
        "follow_up.held",
        _("Evaluatie van %(due)s gehouden op %(d)s")
        % {"due": date_ranges.dutch(moment.due_on), "d": date_ranges.dutch(done_on)},
    )
    return moment


@transaction.atomic
def hold_follow_up(user, case, moment, *, done_on, note="", token=None):
    require("cases.follow_up", user, case)
    _belongs_to(moment, case, "cases.follow_up")
    _check_not_future(
        done_on, _("De datum ligt in de toekomst. Een evaluatie kan pas na afloop als gehouden worden vastgelegd.")
    )
    check_date(done_on, date_ranges.RECENT_PAST)
    claim_form_token(user, token, purpose="cases.hold_follow_up", obj=moment)
    return _hold(user, case, moment, done_on, note.strip())


@transaction.atomic
def record_measurement(
    user,
    case,
    *,
    measured_on,
    participation_step,
    client_satisfaction=None,
    professional_satisfaction=None,
    note="",
    scores=None,
    follow_up=None,
    token=None,
):
    """One outcome measurement; new ZRM scores become DomainScore rows of the same date; a follow-up moment it
    belongs to is marked held (if it was not yet)."""
    require("cases.record_measurement", user, case)
    _check_not_future(measured_on, _("De datum van de meting ligt in de toekomst."))
    check_date(measured_on, date_ranges.RECENT_PAST)
    for value in (client_satisfaction, professional_satisfaction):
        if value is not None and not 1 <= value <= 10:
            raise RuleError(_("Kies een cijfer van 1 tot en met 10."))
    if participation_step not in ParticipationStep.values:
        raise RuleError(_("Kies een trede van 1 tot en met 6."), field="participation_step")
    if follow_up is not None and follow_up.case_id != case.pk:
        raise RuleError(_("Kies een evaluatiemoment van deze casus."))
    scores = scores or {}
    check_scores(scores)
    claim_form_token(user, token, purpose="cases.record_measurement", obj=case)
    measurement = OutcomeMeasurement.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        follow_up=follow_up,
        measured_on=measured_on,
        participation_step=participation_step,
        client_satisfaction=client_satisfaction,
        professional_satisfaction=professional_satisfaction,
        note=note.strip(),
        recorded_by=user,
    )
    DomainScore.objects.bulk_create(
        [
            DomainScore(
                municipality_id=case.municipality_id,
                case=case,
                domain=d,
                score=s,
                scored_on=measured_on,
                scored_by=user,
            )
            for d, s in scores.items()
        ]
    )
    add_timeline(
        case,
        user,
        "measurement.recorded",
        _("Uitkomstmeting vastgelegd (%(d)s, %(n)s domeinen gescoord)")
        % {"d": date_ranges.dutch(measured_on), "n": len(scores)},
    )
    if follow_up is not None:
        _hold(user, case, follow_up, measured_on, note.strip(), strict=False)  # already held: leave it
    return measurement


# --------------------------------------------------------------------------------------------------
# Issue 17: the bulk path of an import (transfer's commit). Same checks and rows as open_case/add_member.
# --------------------------------------------------------------------------------------------------

IMPORT_BATCH_SIZE = 1000  # items per call (= per transaction) that transfer sends
DUPLICATE_BSN_ERROR = _("Dubbel: dit BSN hoort al bij een ander gezinslid in Doorbraak.")


@dataclass
class NewHousehold:
    """A household with its main person and a case, as `open_case` makes it (no funders, scores or stuck-since
    date: an import carries none). `key` is the caller's id for it (members of the same batch refer to it)."""

    key: str
    team: object
    title: str
    question: str
    tried: str
    area: str
    member: dict  # first_name, last_name, date_of_birth, bsn


@dataclass
class NewMember:
    """A member added as `add_member` adds one: to an existing `case`, or to the NewHousehold `household_key` of the
    same batch."""

    first_name: str
    last_name: str
    date_of_birth: object
    bsn: str
    relation: str
    case: object = None
    household_key: str = ""


@dataclass
class Imported:
    """The outcome of one item: the person (and for a NewHousehold the case) made, or the Dutch reason it was not."""

    person: object = None
    case: object = None
    refused: str = ""


def _check_import_item(item, bsn_seen: set[str], bsn_taken: set[str]) -> dict:
    """The checks of open_case/add_member for one item, plus the lengths the database keeps (SQLite does not) and
    the BSN duplicates; returns the member's fields. Raises RuleError."""
    from doorbraak.core.fields import bsn_hash

    member = item.member if isinstance(item, NewHousehold) else item.__dict__
    first_name, last_name = member.get("first_name", ""), member.get("last_name", "")
    texts = [first_name, last_name]
    if isinstance(item, NewHousehold):
        texts += [item.title, item.area]
        if not item.title.strip() or not item.question.strip():
            raise RuleError(_("Vul een titel en een hulpvraag in."))
        if len(item.title) > 160 or len(item.area) > 120:
            raise RuleError(_("De titel of de wijk is te lang."))
    elif item.relation not in Person.Relation.values:
        raise RuleError(_("Kies een relatie."), field="relation")
    if not first_name.strip() or not last_name.strip() or len(first_name) > 80 or len(last_name) > 120:
        raise RuleError(_("Vul een voornaam (max. 80) en achternaam (max. 120 tekens) in."))
    check_names(*texts)
    if member.get("date_of_birth") is None:
        raise RuleError(_("Vul de geboortedatum in."), field="date_of_birth")
    check_date(member.get("date_of_birth"), date_ranges.BIRTH, BIRTH_FUTURE_ERROR, field="date_of_birth")
    bsn = check_bsn(member.get("bsn"))
    if bsn:
        digest = bsn_hash(bsn)
        if digest in bsn_seen or digest in bsn_taken:
            raise RuleError(DUPLICATE_BSN_ERROR, field="bsn")
        bsn_seen.add(digest)
    return {
        "first_name": first_name,
        "last_name": last_name,
        "date_of_birth": member["date_of_birth"],
        "bsn": bsn,
        "relation": Person.Relation.MAIN if isinstance(item, NewHousehold) else item.relation,
    }


def import_households(user, items) -> list[Imported]:
    """The bulk path of an import (transfer's commit): NewHousehold items open a case as `open_case` does
    (household, main person, case, the importer's involvement as casusregisseur, timeline "case.opened") and
    NewMember items add a member as `add_member` does (person, timeline "member.added"), in one transaction with
    one bulk_create per table instead of ~10 statements per row.

    The same rules as the row services: `cases.open_case` for each team (asked once per team) and
    `cases.add_member` for each existing case (asked once per case), the eleven-test, names without control
    characters, the birth-date range, a relation, and no BSN twice (in the batch, or already of a person of the
    municipality). An item that fails is refused with its Dutch reason (and with it the members of a refused
    household); the others are written. Returns one Imported per item, in order. Idempotency by external id is the
    caller's (transfer's mapping); this function always creates."""
    from doorbraak.core.fields import bsn_hash

    items = list(items)
    if not items:
        return []
    if len(items) > IMPORT_BATCH_SIZE * 10:
        raise RuleError(_("Te veel rijen in één keer."))
    m = user.municipality_id
    outcomes = [Imported() for _item in items]
    team_allowed: dict[int, bool] = {}
    case_allowed: dict[int, bool] = {}
    hashes = {bsn_hash(check_bsn_or_empty(i)) for i in items} - {""}
    bsn_taken = set(Person.objects.filter(municipality_id=m, bsn_hash__in=hashes).values_list("bsn_hash", flat=True))
    bsn_seen: set[str] = set()
    households: dict[str, int] = {}  # key -> index of its (accepted) NewHousehold
    checked: dict[int, dict] = {}
    for index, item in enumerate(items):
        try:
            if isinstance(item, NewHousehold):
                team = item.team
                if team.pk not in team_allowed:
                    team_allowed[team.pk] = allowed("cases.open_case", user, team)
                if not team_allowed[team.pk] or team.municipality_id != m:
                    raise Refused("cases.open_case")
                if item.key in households:
                    raise RuleError(_("Dubbel: dit huishouden heeft al een hoofdpersoon."))
            elif item.case is not None:
                if item.case.pk not in case_allowed:
                    case_allowed[item.case.pk] = allowed("cases.add_member", user, item.case)
                if not case_allowed[item.case.pk]:
                    raise Refused("cases.add_member")
            elif item.household_key not in households:
                raise RuleError(_("Onbekend huishouden: de hoofdpersoon ontbreekt of is geweigerd."))
            checked[index] = _check_import_item(item, bsn_seen, bsn_taken)
            if isinstance(item, NewHousehold):
                households[item.key] = index
        except Refused:
            outcomes[index].refused = _("Geweigerd: u mag in dit team geen casus openen of deze casus niet wijzigen.")
        except RuleError as error:
            outcomes[index].refused = str(error.message)
    with transaction.atomic():
        new = [i for i in checked if isinstance(items[i], NewHousehold)]
        made = Household.objects.bulk_create(
            [Household(municipality_id=m, area=items[i].area) for i in new], batch_size=IMPORT_BATCH_SIZE
        )
        household_of = dict(zip(new, made, strict=True))
        cases = Case.objects.bulk_create(
            [
                Case(
                    municipality_id=m,
                    household=household_of[i],
                    team=items[i].team,
                    title=items[i].title,
                    question=items[i].question,
                    tried=items[i].tried,
                    stuck_since=None,
                    created_by=user,
                )
                for i in new
            ],
            batch_size=IMPORT_BATCH_SIZE,
        )
        case_of_index = dict(zip(new, cases, strict=True))
        Involvement.objects.bulk_create(
            [
                Involvement(
                    municipality_id=m,
                    case=case,
                    user=user,
                    organisation_id=user.organisation_id,
                    role_in_case=_("casusregisseur"),
                )
                for case in cases
            ],
            batch_size=IMPORT_BATCH_SIZE,
        )
        people, timeline = [], []
        for index, fields in checked.items():
            item = items[index]
            if isinstance(item, NewHousehold):
                case, household_id = case_of_index[index], household_of[index].pk
                kind, summary = "case.opened", _("Casus geopend")
            else:
                case = item.case if item.case is not None else case_of_index[households[item.household_key]]
                household_id, kind, summary = case.household_id, "member.added", _("Gezinslid toegevoegd")
            people.append(Person(municipality_id=m, household_id=household_id, **fields))
            timeline.append(TimelineEntry(municipality_id=m, case=case, actor=user, kind=kind, summary=summary))
            outcomes[index].case = case
        made_people = Person.objects.bulk_create(people, batch_size=IMPORT_BATCH_SIZE)
        for index, person in zip(checked, made_people, strict=True):
            outcomes[index].person = person
        TimelineEntry.objects.bulk_create(timeline, batch_size=IMPORT_BATCH_SIZE)
    return outcomes


def check_bsn_or_empty(item) -> str:
    """The BSN of an import item when it passes the eleven-test, else "" (the item's own check refuses it)."""
    value = (item.member if isinstance(item, NewHousehold) else item.__dict__).get("bsn") or ""
    value = value.replace(" ", "").replace(".", "")
    return value if value and is_valid_bsn(value) else ""


# Issue 17 (the API's PATCH of a case): the case's own texts, changed by whoever works on it.
CASE_DETAIL_FIELDS = {"title": 160, "question": 4000, "tried": 4000, "stuck_since": None}
CASE_DETAIL_LABELS = {
    "title": _("titel"),
    "question": _("hulpvraag"),
    "tried": _("wat is al geprobeerd"),
    "stuck_since": _("vastgelopen sinds"),
}


@transaction.atomic
def update_case_details(user, case, **changes):
    """Change the title, the question, what was tried and the stuck-since date of an open case (everyone who works
    on it, `cases.work_on`, as with a member or a score); the team and the status change elsewhere. Every problem at
    once is not this function's job (the API's input checks do that); it checks again and refuses the first. A
    closed case stays as it was (RuleError). One timeline entry names the changed fields; no change, no entry."""
    require("cases.work_on", user, case)
    unknown = set(changes) - set(CASE_DETAIL_FIELDS)
    if unknown:
        raise RuleError(_("Dit veld van een casus verandert niet zo."), field=sorted(unknown)[0])
    locked = Case.objects.select_for_update().get(pk=case.pk)
    _open(locked, _("Deze casus is afgesloten; de gegevens veranderen niet meer."))
    for name, limit in CASE_DETAIL_FIELDS.items():
        if name not in changes or limit is None:
            continue
        value = changes[name] = (changes[name] or "").strip()
        if len(value) > limit:
            raise RuleError(_("Maximaal %(n)s tekens.") % {"n": limit}, field=name)
        if name in ("title", "question") and not value:
            raise RuleError(_("Dit veld is verplicht."), field=name)
    check_names(changes.get("title", ""))
    if "stuck_since" in changes:
        check_date(changes["stuck_since"], date_ranges.LONG_PAST, _("Deze datum ligt in de toekomst."), "stuck_since")
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if changed:
        for name in changed:
            setattr(locked, name, changes[name])
        locked.save(update_fields=changed)
        fields = ", ".join(str(CASE_DETAIL_LABELS[name]) for name in changed)
        add_timeline(locked, user, "case.updated", _("Casusgegevens gewijzigd: %(fields)s") % {"fields": fields})
    return locked
