"""Writes of the learning app. Each section has one owner; add functions inside your own section only."""

# === stories (draft from a closed case, edit, approve, publish) ===


# === themes, proposals and learning sessions ===
# Themes group blocker codes (policy officer only); proposals per theme (policy officer and leads propose, only the
# policy officer decides, once); learning sessions (leads and policy officers record them). Every write is atomic,
# permission-checked and refuses bad input with a Dutch ThemeRuleError naming the form field it belongs to.

import datetime as _dt  # noqa: E402

from django.core.exceptions import PermissionDenied  # noqa: E402
from django.db import IntegrityError, transaction  # noqa: E402
from django.utils import formats, timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from doorbraak.cases.services import claim_form_token  # noqa: E402
from doorbraak.platforms.models import BlockerTag  # noqa: E402

from . import selectors as _selectors  # noqa: E402
from .models import LearningSession, PolicyProposal, Theme, ThemeBlocker  # noqa: E402


class ThemeRuleError(Exception):
    """A rule refuses the write. The message is Dutch; `field` names the form field it belongs to (None: the form)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def _ensure_learning(user) -> None:
    if not _selectors.may_see_learning(user):
        raise PermissionDenied


def _ensure_policy(user) -> None:
    if not _selectors.may_manage_themes(user):
        raise PermissionDenied


def _ensure_own(user, obj) -> None:
    if obj is not None and obj.municipality_id != user.municipality_id:
        raise PermissionDenied


def _date(value) -> str:
    return formats.date_format(value, "j F Y")


def _taken_message(taken) -> str:
    parts = [_("‘%(code)s’ hoort al bij het thema ‘%(theme)s’")
             % {"code": tb.get_code_display(), "theme": tb.theme.name} for tb in taken]
    return _("%(list)s. Een blokkade hoort bij één thema; haal hem daar eerst weg.") % {"list": "; ".join(parts)}


@transaction.atomic
def save_theme(user, *, name, description="", codes=(), theme=None, token=None) -> Theme:
    """Create a theme (theme=None) or change one: name, description and the blocker codes that belong to it."""
    _ensure_policy(user)
    _ensure_own(user, theme)
    municipality_id = user.municipality_id
    name = (name or "").strip()
    if not name:
        raise ThemeRuleError(_("Geef het thema een naam."), "name")
    codes = sorted(set(codes))
    if any(code not in BlockerTag.values for code in codes):
        raise ThemeRuleError(_("Kies alleen blokkades uit de lijst."), "codes")
    same_name = Theme.objects.filter(municipality_id=municipality_id, name__iexact=name)
    if theme is not None:
        same_name = same_name.exclude(pk=theme.pk)
    if same_name.exists():
        raise ThemeRuleError(_("Er is al een thema met de naam ‘%(name)s’. Kies een andere naam.") % {"name": name},
                             "name")
    taken = ThemeBlocker.objects.filter(municipality_id=municipality_id, code__in=codes).select_related("theme")
    if theme is not None:
        taken = taken.exclude(theme=theme)
    taken = list(taken.order_by("code"))
    if taken:
        raise ThemeRuleError(_taken_message(taken), "codes")
    claim_form_token(user, token)
    try:
        with transaction.atomic():
            if theme is None:
                theme = Theme.objects.create(municipality_id=municipality_id, name=name, description=description)
            else:
                theme.name, theme.description = name, description
                theme.save(update_fields=["name", "description"])
    except IntegrityError as exc:  # someone else took the name at the same moment
        raise ThemeRuleError(_("Er is al een thema met de naam ‘%(name)s’. Kies een andere naam.") % {"name": name},
                             "name") from exc
    current = set(theme.blockers.values_list("code", flat=True))
    theme.blockers.exclude(code__in=codes).delete()
    try:
        with transaction.atomic():
            for code in codes:
                if code not in current:
                    ThemeBlocker.objects.create(municipality_id=municipality_id, theme=theme, code=code)
    except IntegrityError as exc:  # the code was given to another theme at the same moment
        taken = list(ThemeBlocker.objects.filter(municipality_id=municipality_id, code__in=codes)
                     .exclude(theme=theme).select_related("theme").order_by("code"))
        raise ThemeRuleError(_taken_message(taken) if taken else _("Een blokkade hoort bij één thema."),
                             "codes") from exc
    return theme


@transaction.atomic
def propose(user, theme, *, text, token=None) -> PolicyProposal:
    """A policy officer or a lead proposes a policy change for a theme; it starts as "Voorgesteld"."""
    _ensure_learning(user)
    _ensure_own(user, theme)
    text = (text or "").strip()
    if not text:
        raise ThemeRuleError(_("Beschrijf het voorstel."), "text")
    claim_form_token(user, token)
    return PolicyProposal.objects.create(municipality_id=theme.municipality_id, theme=theme, text=text,
                                         created_by=user)


DECISIONS = (PolicyProposal.Status.ADOPTED, PolicyProposal.Status.REJECTED)


@transaction.atomic
def decide(user, proposal, *, status, decided_on, note, token=None) -> PolicyProposal:
    """The policy officer adopts or rejects a proposal, once, with the date of the decision and a note."""
    _ensure_policy(user)
    _ensure_own(user, proposal)
    if status not in DECISIONS:
        raise ThemeRuleError(_("Kies of het voorstel is overgenomen of afgewezen."), "status")
    if decided_on is None:
        raise ThemeRuleError(_("Vul de datum van het besluit in."), "decided_on")
    if decided_on > timezone.localdate():
        raise ThemeRuleError(_("De datum van het besluit ligt in de toekomst. Leg een besluit vast nadat het is "
                               "genomen."), "decided_on")
    proposed_on = timezone.localdate(proposal.created_at) if proposal.created_at else None
    if proposed_on and decided_on < proposed_on:
        raise ThemeRuleError(_("De datum van het besluit ligt vóór de datum van het voorstel (%(d)s).")
                             % {"d": _date(proposed_on)}, "decided_on")
    note = (note or "").strip()
    if not note:
        raise ThemeRuleError(_("Licht het besluit kort toe."), "decision_note")
    claim_form_token(user, token)
    updated = PolicyProposal.objects.filter(pk=proposal.pk, status=PolicyProposal.Status.PROPOSED).update(
        status=status, decided_on=decided_on, decided_by=user, decision_note=note)
    if not updated:
        current = PolicyProposal.objects.get(pk=proposal.pk)
        raise ThemeRuleError(
            _("Over dit voorstel is al besloten: %(status)s op %(d)s. Een besluit neemt u maar één keer; doe zo "
              "nodig een nieuw voorstel.") % {"status": current.get_status_display().lower(),
                                             "d": _date(current.decided_on)})
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def record_session(user, *, held_on, topic, attendees, theme=None, stories=(), takeaways="", needs="",
                   token=None) -> LearningSession:
    """A lead or policy officer records a learning session: the topic the professionals chose, the approved
    stories of the own municipality that were discussed, the number of attendees, takeaways and needs."""
    _ensure_learning(user)
    _ensure_own(user, theme)
    topic = (topic or "").strip()
    if not topic:
        raise ThemeRuleError(_("Vul het onderwerp in dat de professionals kozen."), "topic")
    if held_on is None:
        raise ThemeRuleError(_("Vul de datum van de leersessie in."), "held_on")
    if held_on > timezone.localdate():
        raise ThemeRuleError(_("De datum ligt in de toekomst. Leg een leersessie vast nadat hij is gehouden."),
                             "held_on")
    if held_on < timezone.localdate() - _dt.timedelta(days=5 * 366):
        raise ThemeRuleError(_("De datum ligt meer dan vijf jaar terug. Controleer de datum."), "held_on")
    if attendees is None or attendees < 1:
        raise ThemeRuleError(_("Vul in hoeveel mensen er waren (minstens 1)."), "attendees")
    stories = list(stories)
    if any(s.municipality_id != user.municipality_id or s.status not in _selectors.DISCUSSABLE_STORY_STATUSES
           for s in stories):
        raise ThemeRuleError(_("Koppel alleen goedgekeurde of gepubliceerde verhalen van uw gemeente."), "stories")
    claim_form_token(user, token)
    session = LearningSession.objects.create(
        municipality_id=user.municipality_id, held_on=held_on, topic=topic, theme=theme, attendees=attendees,
        takeaways=(takeaways or "").strip(), needs=(needs or "").strip(), created_by=user)
    session.stories.set(stories)
    return session
