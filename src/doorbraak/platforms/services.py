"""Writes of the case platform: one function per use case, atomic, permission-checked (platforms.permissions),
state changes through core.transitions (PLATFORM_FLOW, and the case's CASE_FLOW), timeline written.
Involvement and timeline rows of the case are written through the cases services."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.cases import selectors as case_selectors
from doorbraak.cases.models import Case
from doorbraak.cases.services import add_timeline, check_date, check_names, involve_for_platform, set_status
from doorbraak.core import dates as date_ranges
from doorbraak.core.audit import log_access
from doorbraak.core.errors import RuleError
from doorbraak.core.form_tokens import claim_form_token
from doorbraak.core.models import AccessEvent
from doorbraak.core.permissions import allowed, require
from doorbraak.core.transitions import transition

from .models import (
    BlockerTag,
    Escalation,
    Platform,
    PlatformAction,
    PlatformBlocker,
    PlatformDecision,
    PlatformEvaluation,
    PlatformParticipant,
    SolutionKind,
    refresh_open_platform,
)

# A platform is convened, then (once) breaks through (core.transitions).
PLATFORM_FLOW = {Platform.Status.CONVENED: {Platform.Status.BREAKTHROUGH}, Platform.Status.BREAKTHROUGH: set()}
ALREADY_BROKEN_THROUGH = _("De doorbraak is al vastgelegd.")
LEVEL_ORDER = [Escalation.Level.LOCAL, Escalation.Level.REGIONAL, Escalation.Level.NATIONAL]


def _name(user):
    return user.get_full_name() or user.username


def _check_invitee(case, professional):
    """Raise RuleError (Dutch) if this professional may not be invited to the platform of this case."""
    if professional.municipality_id != case.municipality_id or not professional.is_active:
        raise RuleError(_("Deze professional hoort niet bij uw gemeente."))
    if professional.organisation_id is None:
        raise RuleError(
            _("%(name)s heeft geen organisatie; vraag de beheerder dit aan te vullen.") % {"name": _name(professional)}
        )
    involved_orgs = case_selectors.involved_organisation_ids(case)
    if professional.organisation_id not in involved_orgs and not case_selectors.has_current_consent(
        case, professional.organisation_id
    ):
        raise RuleError(
            _(
                "%(org)s is nog niet betrokken bij deze casus en de cliënt heeft (nog) geen toestemming gegeven om "
                "het dossier met %(org)s te delen. Leg eerst de toestemming van de cliënt vast."
            )
            % {"org": professional.organisation.name}
        )


def _add_participant(user, platform, professional, role):
    case = platform.case
    _check_invitee(case, professional)
    if platform.participants.filter(user=professional).exists():
        raise RuleError(_("%(name)s zit al aan tafel.") % {"name": _name(professional)})
    participant = PlatformParticipant.objects.create(
        municipality_id=platform.municipality_id,
        platform=platform,
        user=professional,
        organisation_id=professional.organisation_id,
        role=role,
    )
    involve_for_platform(user, case, professional, role or _("deelnemer casusplatform"))
    add_timeline(
        case,
        user,
        "platform.invited",
        _("%(name)s (%(org)s) uitgenodigd voor het casusplatform")
        % {"name": _name(professional), "org": professional.organisation.name},
    )
    return participant


@transaction.atomic
def convene(user, case, *, convened_on, first_problem, client_present, experience_expert_present, invited, token=None):
    require("platforms.start", user, case)
    if case.status == Case.Status.CLOSED:
        raise RuleError(_("Deze casus is afgesloten."))
    invited = [p for p in invited if p.pk != user.pk]
    involved_orgs = case_selectors.involved_organisation_ids(case)
    missing = sorted(
        {
            p.organisation.name
            for p in invited
            if p.organisation_id
            and p.organisation_id not in involved_orgs
            and not case_selectors.has_current_consent(case, p.organisation_id)
        }
    )
    if len(missing) > 1:
        raise RuleError(
            _(
                "%(orgs)s zijn nog niet betrokken bij deze casus en de cliënt heeft (nog) geen toestemming gegeven om "
                "het dossier met hen te delen. Leg eerst de toestemming van de cliënt vast."
            )
            % {"orgs": " en ".join(missing)}
        )
    check_date(convened_on, date_ranges.NEAR, field="convened_on")
    if convened_on is None:
        raise RuleError(_("Vul de datum van het casusplatform in."), field="convened_on")
    claim_form_token(user, token, purpose="platforms.convene", obj=case)
    platform = Platform.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        convened_on=convened_on,
        convened_by=user,
        first_problem=first_problem,
        client_present=client_present,
        experience_expert_present=experience_expert_present,
    )
    if user.organisation_id:
        PlatformParticipant.objects.create(
            municipality_id=case.municipality_id,
            platform=platform,
            user=user,
            organisation_id=user.organisation_id,
            role=_("doorbraakregisseur (voorzitter)"),
        )
    for professional in invited:
        _add_participant(user, platform, professional, _("genodigde"))
    summary = _("Casusplatform bijeengeroepen voor %(d)s") % {"d": date_ranges.dutch(convened_on)}
    if case.status == Case.Status.PLATFORM:  # another platform for a case already at the table
        add_timeline(case, user, f"status.{Case.Status.PLATFORM}", summary)
    else:
        set_status(user, case, Case.Status.PLATFORM, summary)
    return platform


@transaction.atomic
def invite(user, platform, professional, role, token=None):
    require("platforms.invite", user, platform.case)
    claim_form_token(user, token, purpose="platforms.invite", obj=platform)
    return _add_participant(user, platform, professional, role)


@transaction.atomic
def add_action(user, platform, *, what, owner, due_on, token=None):
    require("platforms.add_action", user, platform.case)
    if owner is None or owner.platform_id != platform.pk:
        raise RuleError(_("Kies wie deze actie uitvoert."))
    if due_on is None:
        raise RuleError(_("Vul een deadline in."), field="due_on")
    if due_on < platform.convened_on:
        raise RuleError(
            _("De deadline ligt vóór de datum van het casusplatform. Kies een latere datum."), field="due_on"
        )
    check_date(due_on, date_ranges.NEAR, field="due_on")
    claim_form_token(user, token, purpose="platforms.add_action", obj=platform)
    action = PlatformAction.objects.create(
        municipality_id=platform.municipality_id,
        platform=platform,
        what=what,
        owner=owner,
        due_on=due_on,
        created_by=user,
    )
    add_timeline(platform.case, user, "platform.action", _("Actie afgesproken: %(what)s") % {"what": what})
    return action


@transaction.atomic
def mark_action_done(user, action):
    require("platforms.mark_action_done", user, action.platform.case)
    done = PlatformAction.objects.filter(pk=action.pk, done_on__isnull=True, cancelled_on__isnull=True).update(
        done_on=timezone.localdate()
    )
    if done:  # a second click changes nothing
        action.refresh_from_db(fields=["done_on"])
        add_timeline(
            action.platform.case, user, "platform.action_done", _("Actie gedaan: %(what)s") % {"what": action.what}
        )
    return action


@transaction.atomic
def add_decision(user, platform, *, text, by_lead=False, token=None):
    require("platforms.add_decision", user, platform.case)
    if by_lead:
        require("platforms.decide_as_lead", user, platform.case)
    claim_form_token(user, token, purpose="platforms.add_decision", obj=platform)
    decision = PlatformDecision.objects.create(
        municipality_id=platform.municipality_id, platform=platform, text=text, by_lead=by_lead, decided_by=user
    )
    add_timeline(
        platform.case,
        user,
        "platform.decision",
        _("Besluit van de doorbraakregisseur vastgelegd") if by_lead else _("Besluit van de tafel vastgelegd"),
    )
    return decision


@transaction.atomic
def record_breakthrough(user, platform, *, breakthrough_on, breakthrough, solution_kind, token=None):
    """The breakthrough, once per platform (a second submit: RuleError, nothing rewritten). Not before the meeting,
    not in the future. The case moves to "Doorbraak bereikt" (a closed case: refused)."""
    case = platform.case
    require("platforms.record_breakthrough", user, case)
    if platform.breakthrough_on is not None:
        raise RuleError(ALREADY_BROKEN_THROUGH)
    if case.status == Case.Status.CLOSED:
        raise RuleError(_("Deze casus is afgesloten."))
    if solution_kind not in SolutionKind.values:
        raise RuleError(_("Kies wat voor maatwerkoplossing de doorbraak bracht."), field="solution_kind")
    if breakthrough_on is None:
        raise RuleError(_("Vul de datum van de doorbraak in."), field="breakthrough_on")
    check_date(breakthrough_on, date_ranges.RECENT_PAST, _("Deze datum ligt in de toekomst."), field="breakthrough_on")
    if breakthrough_on < platform.convened_on:
        raise RuleError(_("De doorbraak kan niet vóór het casusplatform liggen."), field="breakthrough_on")
    claim_form_token(user, token, purpose="platforms.record_breakthrough", obj=platform)

    def broke_through(p):
        refresh_open_platform([p.case_id])  # transition() updates the row without save()
        summary = _("Doorbraak na %(n)s dagen") % {"n": p.days_to_breakthrough}
        if case.status == Case.Status.BREAKTHROUGH:  # another platform of the case broke through before
            add_timeline(case, user, f"status.{Case.Status.BREAKTHROUGH}", summary)
        else:
            set_status(user, case, Case.Status.BREAKTHROUGH, summary)

    return transition(
        platform,
        Platform.Status.BREAKTHROUGH,
        PLATFORM_FLOW,
        message=ALREADY_BROKEN_THROUGH,
        updates={"breakthrough_on": breakthrough_on, "breakthrough": breakthrough, "solution_kind": solution_kind},
        on_change=broke_through,
    )


@transaction.atomic
def evaluate(
    user, platform, *, helped, blocked, blocker_tags, client_satisfaction, professional_satisfaction, token=None
):
    require("platforms.evaluate", user, platform.case)
    if PlatformEvaluation.objects.filter(platform=platform).exists():
        raise RuleError(_("Dit casusplatform is al geëvalueerd."))
    for value in (client_satisfaction, professional_satisfaction):
        if not isinstance(value, int) or not 1 <= value <= 10:
            raise RuleError(_("Kies een cijfer van 1 tot en met 10."))
    if any(code not in BlockerTag.values for code in blocker_tags):
        raise RuleError(_("Kies wat er blokkeerde uit de lijst."), field="blocker_tags")
    claim_form_token(user, token, purpose="platforms.evaluate", obj=platform)
    evaluation = PlatformEvaluation.objects.create(
        municipality_id=platform.municipality_id,
        platform=platform,
        helped=helped,
        blocked=blocked,
        client_satisfaction=client_satisfaction,
        professional_satisfaction=professional_satisfaction,
        evaluated_by=user,
    )
    PlatformBlocker.objects.bulk_create(
        [
            PlatformBlocker(municipality_id=platform.municipality_id, evaluation=evaluation, code=code)
            for code in dict.fromkeys(blocker_tags)
        ]
    )
    add_timeline(platform.case, user, "platform.evaluated", _("Casusplatform geëvalueerd"))
    return evaluation


@transaction.atomic
def escalate(user, platform, *, level, reason, token=None):
    require("platforms.escalate", user, platform.case)
    if level not in LEVEL_ORDER:
        raise RuleError(_("Kies een niveau: lokaal, regionaal of landelijk."), field="level")
    if not platform.three_weeks_passed:
        raise RuleError(_("Opschalen kan pas als er drie weken na het casusplatform nog geen doorbraak is."))
    done = set(platform.escalations.values_list("level", flat=True))
    if level in done:
        raise RuleError(_("Er is al naar dit niveau opgeschaald."))
    previous = LEVEL_ORDER[: LEVEL_ORDER.index(level)]
    if any(p not in done for p in previous):
        raise RuleError(_("Schaal stap voor stap op: eerst lokaal, dan regionaal, dan landelijk."))
    claim_form_token(user, token, purpose="platforms.escalate", obj=platform)
    escalation = Escalation.objects.create(
        municipality_id=platform.municipality_id, platform=platform, level=level, reason=reason, recorded_by=user
    )
    add_timeline(
        platform.case,
        user,
        "platform.escalated",
        _("Opgeschaald: %(level)s") % {"level": escalation.get_level_display()},
    )
    return escalation


@transaction.atomic
def record_escalation_outcome(user, escalation, *, outcome, outcome_on, token=None):
    require("platforms.record_escalation_outcome", user, escalation.platform.case)
    check_date(outcome_on, date_ranges.NEAR, field="outcome_on")
    claim_form_token(user, token, purpose="platforms.record_escalation_outcome", obj=escalation)
    escalation.outcome = outcome
    escalation.outcome_on = outcome_on
    escalation.save(update_fields=["outcome", "outcome_on"])
    add_timeline(
        escalation.platform.case,
        user,
        "platform.escalation_outcome",
        _("Uitkomst van opschaling vastgelegd (%(level)s)") % {"level": escalation.get_level_display()},
    )
    return escalation


# --- issue 16: participants without an account (the whole table) ---------------------------------------------
NAME_WITHOUT_CONSENT = _(
    "Vul alleen een naam in als deze deelnemer ermee instemt met naam te worden vastgelegd. Zonder die instemming "
    "staat alleen de organisatie en de rol op het casusplatform."
)  # the same text as platforms.forms.NAME_WITHOUT_CONSENT
WITHOUT_ORGANISATION_NEEDS_CLIENT = _(
    "Iemand zonder organisatie, zoals een familielid of een buurvrouw, zit alleen aan tafel als de cliënt daarmee "
    "instemt. Vraag het de cliënt en vink het dan aan, of kies een organisatie."
)  # the same text as platforms.forms.WITHOUT_ORGANISATION_NEEDS_CLIENT


def _check_sharing(case, organisation) -> None:
    """The case's consent rule for someone at the table: their organisation is already involved in the case, or the
    client gave (and did not withdraw) consent to share the file with it."""
    if organisation is None or organisation.municipality_id != case.municipality_id:
        raise RuleError(_("Kies een organisatie van uw gemeente."), field="organisation")
    if organisation.pk not in case_selectors.involved_organisation_ids(case) and not case_selectors.has_current_consent(
        case, organisation.pk
    ):
        raise RuleError(
            _(
                "%(org)s is nog niet betrokken bij deze casus en de cliënt heeft (nog) geen toestemming gegeven om "
                "het dossier met %(org)s te delen. Leg eerst de toestemming van de cliënt vast."
            )
            % {"org": organisation.name},
            field="organisation",
        )


@transaction.atomic
def add_external_participant(
    user, platform, *, organisation, role, contact, name="", may_be_named=False, client_agreed=False, token=None
):
    """Someone at the table without an account (the emergency-fund assessor, the neighbourhood police officer):
    organisation, role and how to reach them; their name only when they agreed to be named. The case's consent
    rules apply as for a professional. Actions can then be assigned to them like to any participant.

    Without an organisation (a relative, a neighbour, a friend of the family): the consent rules are per
    organisation, so here the client decides: `client_agreed` must be true (also a database rule)."""
    case = platform.case
    require("platforms.add_external", user, case)
    if case.status == Case.Status.CLOSED:
        raise RuleError(_("Deze casus is afgesloten."))
    name, role, contact = (name or "").strip(), (role or "").strip(), (contact or "").strip()
    check_names(name)
    if name and not may_be_named:
        raise RuleError(NAME_WITHOUT_CONSENT, field="name")
    if not role:
        raise RuleError(_("Vul in wat deze deelnemer aan tafel doet."), field="role")
    if not contact:
        raise RuleError(_("Vul in hoe deze deelnemer te bereiken is (telefoon of e-mail)."), field="contact")
    if len(name) > 160 or len(role) > 120 or len(contact) > 200:
        raise RuleError(_("Een van de velden is te lang."))
    if organisation is None:
        if not client_agreed:
            raise RuleError(WITHOUT_ORGANISATION_NEEDS_CLIENT, field="client_agreed")
    else:
        _check_sharing(case, organisation)
    claim_form_token(user, token, purpose="platforms.add_external", obj=platform)
    participant = PlatformParticipant.objects.create(
        municipality_id=platform.municipality_id,
        platform=platform,
        user=None,
        name=name if may_be_named else "",
        may_be_named=bool(may_be_named and name),
        organisation=organisation,
        role=role,
        contact=contact,
        client_agreed=organisation is None,
    )
    if organisation is None:
        summary = _("Deelnemer zonder account en zonder organisatie aan tafel, met instemming van de cliënt: %(role)s")
        summary %= {"role": role}
    else:
        summary = _("Deelnemer zonder account aan tafel: %(role)s (%(org)s)") % {"role": role, "org": organisation.name}
    add_timeline(case, user, "platform.external_participant", summary)
    log_access(
        user,
        "platform.external_participant",
        action=AccessEvent.Action.CREATE,
        obj=participant,
        subject=("household", case.household_id),
    )
    return participant


@transaction.atomic
def cancel_action(user, action):
    """Let an open action lapse (closing a case with care, issue 16): the lead only; a done or already lapsed
    action changes nothing. Written on the case's timeline."""
    require("platforms.cancel_action", user, action.platform.case)
    cancelled = PlatformAction.objects.filter(pk=action.pk, done_on__isnull=True, cancelled_on__isnull=True).update(
        cancelled_on=timezone.localdate()
    )
    if cancelled:
        action.refresh_from_db(fields=["cancelled_on"])
        add_timeline(
            action.platform.case,
            user,
            "platform.action_cancelled",
            _("Actie vervallen: %(what)s") % {"what": action.what},
        )
    return action


def is_participant_or_lead(user, platform) -> bool:
    """May print the summary: a participant at the table or the lead of the case's team (platforms.print)."""
    return allowed("platforms.print", user, platform)
