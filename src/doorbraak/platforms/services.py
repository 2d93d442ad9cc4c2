"""Writes of the case platform: one function per use case, atomic, permission-checked, timeline written."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.cases import selectors as case_selectors
from doorbraak.cases.models import Case, Involvement
from doorbraak.cases.services import (
    CaseRuleError,
    DuplicateSubmission,
    add_timeline,
    check_date,
    claim_form_token,
    ensure_can_work_on,
    ensure_lead_of,
    set_status,
)
from doorbraak.core import dates as date_ranges
from doorbraak.core.models import Role

from .models import (
    Escalation,
    Platform,
    PlatformAction,
    PlatformBlocker,
    PlatformDecision,
    PlatformEvaluation,
    PlatformParticipant,
    SolutionKind,
)

__all__ = ["CaseRuleError", "DuplicateSubmission"]

LEVEL_ORDER = [Escalation.Level.LOCAL, Escalation.Level.REGIONAL, Escalation.Level.NATIONAL]


def _name(user):
    return user.get_full_name() or user.username


def _check_invitee(case, professional):
    """Raise CaseRuleError (Dutch) if this professional may not be invited to the platform of this case."""
    if professional.municipality_id != case.municipality_id or not professional.is_active:
        raise CaseRuleError(_("Deze professional hoort niet bij uw gemeente."))
    if professional.organisation_id is None:
        raise CaseRuleError(_("%(name)s heeft geen organisatie; vraag de beheerder dit aan te vullen.")
                            % {"name": _name(professional)})
    involved_orgs = case_selectors.involved_organisation_ids(case)
    if professional.organisation_id not in involved_orgs and not case_selectors.has_current_consent(
            case, professional.organisation_id):
        raise CaseRuleError(
            _("%(org)s is nog niet betrokken bij deze casus en de cliënt heeft (nog) geen toestemming gegeven om "
              "het dossier met %(org)s te delen. Leg eerst de toestemming van de cliënt vast.")
            % {"org": professional.organisation.name})


def _add_participant(user, platform, professional, role):
    case = platform.case
    _check_invitee(case, professional)
    if platform.participants.filter(user=professional).exists():
        raise CaseRuleError(_("%(name)s zit al aan tafel.") % {"name": _name(professional)})
    participant = PlatformParticipant.objects.create(
        municipality_id=platform.municipality_id, platform=platform, user=professional,
        organisation_id=professional.organisation_id, role=role)
    if not Involvement.objects.filter(case=case, user=professional, ended_at__isnull=True).exists():
        Involvement.objects.create(municipality_id=case.municipality_id, case=case, user=professional,
                                   organisation_id=professional.organisation_id,
                                   role_in_case=role or _("deelnemer casusplatform"))
    add_timeline(case, user, "platform.invited",
                 _("%(name)s (%(org)s) uitgenodigd voor het casusplatform")
                 % {"name": _name(professional), "org": professional.organisation.name})
    return participant


@transaction.atomic
def convene(user, case, *, convened_on, first_problem, client_present, experience_expert_present, invited,
            token=None):
    ensure_lead_of(user, case)
    if case.status == Case.Status.CLOSED:
        raise CaseRuleError(_("Deze casus is afgesloten."))
    invited = [p for p in invited if p.pk != user.pk]
    involved_orgs = case_selectors.involved_organisation_ids(case)
    missing = sorted({p.organisation.name for p in invited
                      if p.organisation_id and p.organisation_id not in involved_orgs
                      and not case_selectors.has_current_consent(case, p.organisation_id)})
    if len(missing) > 1:
        raise CaseRuleError(
            _("%(orgs)s zijn nog niet betrokken bij deze casus en de cliënt heeft (nog) geen toestemming gegeven om "
              "het dossier met hen te delen. Leg eerst de toestemming van de cliënt vast.")
            % {"orgs": " en ".join(missing)})
    check_date(convened_on, date_ranges.NEAR)
    claim_form_token(user, token, purpose="platforms.convene", obj=case)
    platform = Platform.objects.create(
        municipality_id=case.municipality_id, case=case, convened_on=convened_on, convened_by=user,
        first_problem=first_problem, client_present=client_present,
        experience_expert_present=experience_expert_present)
    if user.organisation_id:
        PlatformParticipant.objects.create(municipality_id=case.municipality_id, platform=platform, user=user,
                                           organisation_id=user.organisation_id,
                                           role=_("doorbraakregisseur (voorzitter)"))
    for professional in invited:
        _add_participant(user, platform, professional, _("genodigde"))
    set_status(user, case, Case.Status.PLATFORM,
               _("Casusplatform bijeengeroepen voor %(d)s") % {"d": convened_on.strftime("%d-%m-%Y")})
    return platform


@transaction.atomic
def invite(user, platform, professional, role, token=None):
    ensure_lead_of(user, platform.case)
    claim_form_token(user, token, purpose="platforms.invite", obj=platform)
    return _add_participant(user, platform, professional, role)


@transaction.atomic
def add_action(user, platform, *, what, owner, due_on, token=None):
    ensure_can_work_on(user, platform.case)
    if owner is None or owner.platform_id != platform.pk:
        raise CaseRuleError(_("Kies wie deze actie uitvoert."))
    if due_on < platform.convened_on:
        raise CaseRuleError(_("De deadline ligt vóór de datum van het casusplatform. Kies een latere datum."))
    check_date(due_on, date_ranges.NEAR)
    claim_form_token(user, token, purpose="platforms.add_action", obj=platform)
    action = PlatformAction.objects.create(municipality_id=platform.municipality_id, platform=platform, what=what,
                                           owner=owner, due_on=due_on, created_by=user)
    add_timeline(platform.case, user, "platform.action", _("Actie afgesproken: %(what)s") % {"what": what})
    return action


@transaction.atomic
def mark_action_done(user, action):
    ensure_can_work_on(user, action.platform.case)
    if action.done_on is None:
        action.done_on = timezone.localdate()
        action.save(update_fields=["done_on"])
        add_timeline(action.platform.case, user, "platform.action_done",
                     _("Actie gedaan: %(what)s") % {"what": action.what})
    return action


@transaction.atomic
def add_decision(user, platform, *, text, by_lead=False, token=None):
    ensure_can_work_on(user, platform.case)
    if by_lead:
        ensure_lead_of(user, platform.case)
    claim_form_token(user, token, purpose="platforms.add_decision", obj=platform)
    decision = PlatformDecision.objects.create(municipality_id=platform.municipality_id, platform=platform,
                                               text=text, by_lead=by_lead, decided_by=user)
    add_timeline(platform.case, user, "platform.decision",
                 _("Besluit van de doorbraakregisseur vastgelegd") if by_lead else _("Besluit van de tafel vastgelegd"))
    return decision


@transaction.atomic
def record_breakthrough(user, platform, *, breakthrough_on, breakthrough, solution_kind, token=None):
    ensure_can_work_on(user, platform.case)
    if platform.breakthrough_on is not None:
        raise CaseRuleError(_("De doorbraak is al vastgelegd."))
    if solution_kind not in SolutionKind.values:
        raise CaseRuleError(_("Kies wat voor maatwerkoplossing de doorbraak bracht."))
    if breakthrough_on < platform.convened_on:
        raise CaseRuleError(_("De doorbraak kan niet vóór het casusplatform liggen."))
    check_date(breakthrough_on, date_ranges.RECENT_PAST, _("Deze datum ligt in de toekomst."))
    claim_form_token(user, token, purpose="platforms.record_breakthrough", obj=platform)
    platform.breakthrough_on = breakthrough_on
    platform.breakthrough = breakthrough
    platform.solution_kind = solution_kind
    platform.save(update_fields=["breakthrough_on", "breakthrough", "solution_kind"])
    set_status(user, platform.case, Case.Status.BREAKTHROUGH,
               _("Doorbraak na %(n)s dagen") % {"n": platform.days_to_breakthrough})
    return platform


@transaction.atomic
def evaluate(user, platform, *, helped, blocked, blocker_tags, client_satisfaction, professional_satisfaction,
             token=None):
    ensure_can_work_on(user, platform.case)
    if PlatformEvaluation.objects.filter(platform=platform).exists():
        raise CaseRuleError(_("Dit casusplatform is al geëvalueerd."))
    claim_form_token(user, token, purpose="platforms.evaluate", obj=platform)
    evaluation = PlatformEvaluation.objects.create(
        municipality_id=platform.municipality_id, platform=platform, helped=helped, blocked=blocked,
        client_satisfaction=client_satisfaction, professional_satisfaction=professional_satisfaction,
        evaluated_by=user)
    PlatformBlocker.objects.bulk_create([
        PlatformBlocker(municipality_id=platform.municipality_id, evaluation=evaluation, code=code)
        for code in dict.fromkeys(blocker_tags)
    ])
    add_timeline(platform.case, user, "platform.evaluated", _("Casusplatform geëvalueerd"))
    return evaluation


@transaction.atomic
def escalate(user, platform, *, level, reason, token=None):
    ensure_lead_of(user, platform.case)
    if not platform.three_weeks_passed:
        raise CaseRuleError(_("Opschalen kan pas als er drie weken na het casusplatform nog geen doorbraak is."))
    done = set(platform.escalations.values_list("level", flat=True))
    if level in done:
        raise CaseRuleError(_("Er is al naar dit niveau opgeschaald."))
    previous = LEVEL_ORDER[: LEVEL_ORDER.index(level)]
    if any(p not in done for p in previous):
        raise CaseRuleError(_("Schaal stap voor stap op: eerst lokaal, dan regionaal, dan landelijk."))
    claim_form_token(user, token, purpose="platforms.escalate", obj=platform)
    escalation = Escalation.objects.create(municipality_id=platform.municipality_id, platform=platform, level=level,
                                           reason=reason, recorded_by=user)
    add_timeline(platform.case, user, "platform.escalated",
                 _("Opgeschaald: %(level)s") % {"level": escalation.get_level_display()})
    return escalation


@transaction.atomic
def record_escalation_outcome(user, escalation, *, outcome, outcome_on, token=None):
    ensure_lead_of(user, escalation.platform.case)
    check_date(outcome_on, date_ranges.NEAR)
    claim_form_token(user, token, purpose="platforms.record_escalation_outcome", obj=escalation)
    escalation.outcome = outcome
    escalation.outcome_on = outcome_on
    escalation.save(update_fields=["outcome", "outcome_on"])
    add_timeline(escalation.platform.case, user, "platform.escalation_outcome",
                 _("Uitkomst van opschaling vastgelegd (%(level)s)") % {"level": escalation.get_level_display()})
    return escalation


def is_participant_or_lead(user, platform) -> bool:
    if user.role == Role.LEAD and user.team_id == platform.case.team_id:
        return True
    return platform.participants.filter(user=user).exists()
