"""Writes of themes, policy proposals (PROPOSAL_FLOW, core.transitions) and learning sessions."""

import datetime as _dt

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from doorbraak.core import dates as date_ranges
from doorbraak.core import permissions as rulebook
from doorbraak.core.errors import RuleError
from doorbraak.core.form_tokens import claim_form_token
from doorbraak.core.transitions import transition
from doorbraak.core.validators import NAME_CHARACTERS_ERROR, unsafe_name_character
from doorbraak.platforms.models import BlockerTag

from ..models import LearningSession, PolicyProposal, Theme, ThemeBlocker
from . import selectors as _selectors

# Themes group blocker codes (policy officer only); proposals per theme (policy officer and leads propose, only the
# policy officer decides, once); learning sessions (leads and policy officers record them). Every write is atomic,
# permission-checked and refuses bad input with a Dutch RuleError naming the form field it belongs to.


# A proposal is decided once: adopted or rejected, never back (core.transitions).
PROPOSAL_FLOW = {
    PolicyProposal.Status.PROPOSED: {PolicyProposal.Status.ADOPTED, PolicyProposal.Status.REJECTED},
    PolicyProposal.Status.ADOPTED: set(),
    PolicyProposal.Status.REJECTED: set(),
}


def _date(value) -> str:
    return formats.date_format(value, "j F Y")


def _taken_message(taken) -> str:
    parts = [
        _("‘%(code)s’ hoort al bij het thema ‘%(theme)s’") % {"code": tb.get_code_display(), "theme": tb.theme.name}
        for tb in taken
    ]
    return _("%(list)s. Een blokkade hoort bij één thema; haal hem daar eerst weg.") % {"list": "; ".join(parts)}


def _check_date(value, date_range, field):
    message = date_range.problem(value)
    if message:
        raise RuleError(message, field)


@transaction.atomic
def save_theme(user, *, name, description="", codes=(), theme=None, token=None) -> Theme:
    """Create a theme (theme=None) or change one: name, description and the blocker codes that belong to it."""
    rulebook.require("learning.manage_themes", user, theme)
    municipality_id = user.municipality_id
    name = (name or "").strip()
    if not name:
        raise RuleError(_("Geef het thema een naam."), "name")
    if unsafe_name_character(name) or len(name) > Theme._meta.get_field("name").max_length:
        raise RuleError(
            NAME_CHARACTERS_ERROR if unsafe_name_character(name) else _("Maak de naam korter: hoogstens 120 tekens."),
            "name",
        )
    codes = sorted(set(codes))
    if any(code not in BlockerTag.values for code in codes):
        raise RuleError(_("Kies alleen blokkades uit de lijst."), "codes")
    same_name = Theme.objects.filter(municipality_id=municipality_id, name__iexact=name)
    if theme is not None:
        same_name = same_name.exclude(pk=theme.pk)
    if same_name.exists():
        raise RuleError(_("Er is al een thema met de naam ‘%(name)s’. Kies een andere naam.") % {"name": name}, "name")
    taken = ThemeBlocker.objects.filter(municipality_id=municipality_id, code__in=codes).select_related("theme")
    if theme is not None:
        taken = taken.exclude(theme=theme)
    taken = list(taken.order_by("code"))
    if taken:
        raise RuleError(_taken_message(taken), "codes")
    claim_form_token(user, token, purpose="learning.save_theme", obj=theme)
    try:
        with transaction.atomic():
            if theme is None:
                theme = Theme.objects.create(municipality_id=municipality_id, name=name, description=description)
            else:
                theme.name, theme.description = name, description
                theme.save(update_fields=["name", "description"])
    except IntegrityError as exc:  # someone else took the name at the same moment
        raise RuleError(
            _("Er is al een thema met de naam ‘%(name)s’. Kies een andere naam.") % {"name": name}, "name"
        ) from exc
    current = set(theme.blockers.values_list("code", flat=True))
    theme.blockers.exclude(code__in=codes).delete()
    try:
        with transaction.atomic():
            for code in codes:
                if code not in current:
                    ThemeBlocker.objects.create(municipality_id=municipality_id, theme=theme, code=code)
    except IntegrityError as exc:  # the code was given to another theme at the same moment
        taken = list(
            ThemeBlocker.objects.filter(municipality_id=municipality_id, code__in=codes)
            .exclude(theme=theme)
            .select_related("theme")
            .order_by("code")
        )
        raise RuleError(_taken_message(taken) if taken else _("Een blokkade hoort bij één thema."), "codes") from exc
    return theme


@transaction.atomic
def propose(user, theme, *, text, token=None) -> PolicyProposal:
    """A policy officer or a lead proposes a policy change for a theme; it starts as "Voorgesteld"."""
    rulebook.require("learning.propose", user, theme)
    text = (text or "").strip()
    if not text:
        raise RuleError(_("Beschrijf het voorstel."), "text")
    claim_form_token(user, token, purpose="learning.propose", obj=theme)
    return PolicyProposal.objects.create(municipality_id=theme.municipality_id, theme=theme, text=text, created_by=user)


DECISIONS = (PolicyProposal.Status.ADOPTED, PolicyProposal.Status.REJECTED)


@transaction.atomic
def decide(user, proposal, *, status, decided_on, note, token=None) -> PolicyProposal:
    """The policy officer adopts or rejects a proposal, once, with the date of the decision and a note."""
    rulebook.require("learning.decide", user, proposal)
    if status not in DECISIONS:
        raise RuleError(_("Kies of het voorstel is overgenomen of afgewezen."), "status")
    if decided_on is None:
        raise RuleError(_("Vul de datum van het besluit in."), "decided_on")
    if decided_on > timezone.localdate():
        raise RuleError(
            _("De datum van het besluit ligt in de toekomst. Leg een besluit vast nadat het is genomen."), "decided_on"
        )
    _check_date(decided_on, date_ranges.RECENT_PAST, "decided_on")
    proposed_on = timezone.localdate(proposal.created_at) if proposal.created_at else None
    if proposed_on and decided_on < proposed_on:
        raise RuleError(
            _("De datum van het besluit ligt vóór de datum van het voorstel (%(d)s).") % {"d": _date(proposed_on)},
            "decided_on",
        )
    note = (note or "").strip()
    if not note:
        raise RuleError(_("Licht het besluit kort toe."), "decision_note")
    claim_form_token(user, token, purpose="learning.decide", obj=proposal)
    try:
        transition(
            proposal,
            status,
            PROPOSAL_FLOW,
            updates={"decided_on": decided_on, "decided_by": user, "decision_note": note},
        )
    except RuleError as exc:  # decided already (a second click, or a stale page): say what was decided
        current = PolicyProposal.objects.get(pk=proposal.pk)
        raise RuleError(
            _(
                "Over dit voorstel is al besloten: %(status)s op %(d)s. Een besluit neemt u maar één keer; doe zo "
                "nodig een nieuw voorstel."
            )
            % {"status": current.get_status_display().lower(), "d": _date(current.decided_on)}
        ) from exc
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def record_session(
    user, *, held_on, topic, attendees, theme=None, stories=(), takeaways="", needs="", token=None
) -> LearningSession:
    """A lead or policy officer records a learning session: the topic the professionals chose, the approved
    stories of the own municipality that were discussed, the number of attendees, takeaways and needs."""
    rulebook.require("learning.record_session", user, theme)
    topic = (topic or "").strip()
    if not topic:
        raise RuleError(_("Vul het onderwerp in dat de professionals kozen."), "topic")
    if held_on is None:
        raise RuleError(_("Vul de datum van de leersessie in."), "held_on")
    if held_on > timezone.localdate():
        raise RuleError(_("De datum ligt in de toekomst. Leg een leersessie vast nadat hij is gehouden."), "held_on")
    if held_on < timezone.localdate() - _dt.timedelta(days=5 * 366):
        raise RuleError(_("De datum ligt meer dan vijf jaar terug. Controleer de datum."), "held_on")
    _check_date(held_on, date_ranges.RECENT_PAST, "held_on")
    if attendees is None or attendees < 1:
        raise RuleError(_("Vul in hoeveel mensen er waren (minstens 1)."), "attendees")
    stories = list(stories)
    if any(
        s.municipality_id != user.municipality_id or s.status not in _selectors.DISCUSSABLE_STORY_STATUSES
        for s in stories
    ):
        raise RuleError(_("Koppel alleen goedgekeurde of gepubliceerde verhalen van uw gemeente."), "stories")
    claim_form_token(user, token, purpose="learning.record_session", obj=theme)
    session = LearningSession.objects.create(
        municipality_id=user.municipality_id,
        held_on=held_on,
        topic=topic,
        theme=theme,
        attendees=attendees,
        takeaways=(takeaways or "").strip(),
        needs=(needs or "").strip(),
        created_by=user,
    )
    session.stories.set(stories)
    return session
