"""Writes of the case file: one function per use case, atomic, permission-checked, timeline written."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.core.models import Role

from .models import (
    Case,
    CaseFunder,
    Consent,
    DomainScore,
    FormToken,
    Household,
    Involvement,
    Person,
    TimelineEntry,
)

CASE_ROLES = {Role.PROFESSIONAL, Role.LEAD, Role.APPROVER}  # may search the cases they are involved in
OPENING_ROLES = {Role.PROFESSIONAL, Role.LEAD}  # may open a case


class DuplicateSubmission(Exception):
    """The same form was submitted twice; the first submit counts, the second changes nothing."""


class CaseRuleError(Exception):
    """A business rule refuses the write; the message is Dutch and shown to the user."""


def claim_form_token(user, token) -> None:
    """Record a one-time form token; raise DuplicateSubmission if it was used before. Call inside atomic()."""
    if token is None:
        return
    try:
        with transaction.atomic():
            FormToken.objects.create(token=token, user=user)
    except IntegrityError as exc:
        raise DuplicateSubmission from exc


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
    claim_form_token(user, token)
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
    claim_form_token(user, token)
    person = Person.objects.create(municipality_id=case.municipality_id, household_id=case.household_id,
                                   first_name=first_name, last_name=last_name, date_of_birth=date_of_birth,
                                   bsn=bsn, relation=relation)
    add_timeline(case, user, "member.added", _("Gezinslid toegevoegd"))
    return person


@transaction.atomic
def rescore(user, case, scores: dict[str, int], token=None):
    ensure_can_work_on(user, case)
    claim_form_token(user, token)
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
    claim_form_token(user, token)
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
    claim_form_token(user, token)
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
