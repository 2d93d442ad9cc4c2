"""Writes of anonymised stories: a draft from a closed case, edits scrubbed again, four-eyes approval,
publication in the public precedent register and withdrawal (STORY_FLOW, core.transitions)."""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak.cases.models import Case, CaseFunder, Involvement, Person
from doorbraak.cases.services import add_timeline
from doorbraak.core import permissions as rulebook
from doorbraak.core.choices import Funder
from doorbraak.core.errors import RuleError
from doorbraak.core.transitions import transition
from doorbraak.platforms.models import (
    BlockerTag,
    Platform,
    PlatformBlocker,
    PlatformParticipant,
    SolutionKind,
)

from ..models import Story, StoryFlag, StoryTag
from . import anonymise, second_eyes
from .selectors import last_editor_id

# A story is drafted by stories.anonymise from the case data, edited and scrubbed again on every save,
# approved by a second person (four eyes) and published to the public precedent register by a policy officer.


# The region that replaces the place of a municipality (by CBS code), and other names people use for the place.
REGIONS = {
    "GM0796": ("Noordoost-Brabant", ["Den Bosch"]),
    "GM0080": ("Friesland", []),
    "GM0363": ("de regio Amsterdam", ["Mokum"]),
    "GM0599": ("de regio Rijnmond", []),
}
RELATION_WORDS = {
    Person.Relation.MAIN: "hoofdpersoon",
    Person.Relation.PARTNER: "partner",
    Person.Relation.CHILD: "kind",
    Person.Relation.OTHER: "ander gezinslid",
}
# What a household member is called in a story instead of their name.
ROLE_IN_STORY = {
    Person.Relation.MAIN: "de bewoner",
    Person.Relation.PARTNER: "de partner",
    Person.Relation.CHILD: "het kind",
    Person.Relation.OTHER: "een gezinslid",
}
PLACEHOLDERS = [
    (anonymise.NUMBER, "nummer (zoals een BSN)", "nummers (zoals een BSN)"),
    (anonymise.EMAIL, "e-mailadres", "e-mailadressen"),
    (anonymise.PHONE, "telefoonnummer", "telefoonnummers"),
    (anonymise.POSTCODE, "postcode", "postcodes"),
]


# Which status may follow which (core.transitions): approval by a second person, publication and withdrawal by
# the policy officer; an edit sends an approved or published story back to draft (an edit of a draft keeps it).
STORY_FLOW = {
    Story.Status.DRAFT: {Story.Status.APPROVED},
    Story.Status.APPROVED: {Story.Status.PUBLISHED, Story.Status.DRAFT},
    Story.Status.PUBLISHED: {Story.Status.APPROVED, Story.Status.DRAFT},
}


@dataclass
class CaseIdentifiers:
    """What must never appear in a story of a case: names (household and professionals), places, the region."""

    names: list[tuple[str, str, bool]]  # anonymise.role_terms: (term, role word, surname part)
    places: list[str]
    region: str
    members: list[dict] = field(default_factory=list)


def _table_word(role: str, default: str) -> str:
    """A participant's role at the table as a role word: "Wijkagent" -> "de wijkagent"."""
    role = " ".join((role or "").split()).lower()
    if not role or len(role) > 40 or any(ch.isdigit() for ch in role):
        return default
    return role if role.split()[0] in {"de", "het", "een"} else f"de {role}"


def region_for(municipality) -> tuple[str, list[str]]:
    return REGIONS.get(municipality.code, (anonymise.DEFAULT_REGION, []))


def _word_in(term: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


def case_identifiers(case) -> CaseIdentifiers:
    municipality = case.municipality
    region, aliases = region_for(municipality)
    members = [
        {
            "first_name": p.first_name,
            "last_name": p.last_name,
            "birth_date": p.date_of_birth,
            "bsn": p.bsn,
            "role": RELATION_WORDS.get(p.relation, anonymise.DEFAULT_MEMBER),
            "role_word": ROLE_IN_STORY.get(p.relation, anonymise.DEFAULT_MEMBER),
        }
        for p in Person.objects.filter(household_id=case.household_id).order_by("id")
    ]
    people = [dict(m) for m in members]
    # People at the table: by their role there ("de wijkagent"), else as "de professional".
    table_roles = {}
    for user_id, role in PlatformParticipant.objects.filter(platform__case=case, user__isnull=False).values_list(
        "user_id", "role"
    ):
        table_roles.setdefault(user_id, _table_word(role, "de professional"))
    professional_ids = set(Involvement.objects.filter(case=case).values_list("user_id", flat=True)) | set(table_roles)
    professional_ids.add(case.created_by_id)
    for pk, first, last in (
        get_user_model().objects.filter(pk__in=professional_ids).values_list("pk", "first_name", "last_name")
    ):
        people.append({"first_name": first, "last_name": last, "role_word": table_roles.get(pk, "de professional")})
    for name, role in (
        PlatformParticipant.objects.filter(platform__case=case).exclude(name="").values_list("name", "role")
    ):
        first, _sep, last = name.strip().partition(" ")
        people.append({"first_name": first, "last_name": last, "role_word": _table_word(role, "een deelnemer")})
    names = [t for t in anonymise.role_terms(people) if not _word_in(t[0], region)]
    # A place that is a word of the region is already coarse (and replacing it would grow the region each save).
    places = [p for p in [case.household.area, municipality.name, *aliases] if p.strip() and not _word_in(p, region)]
    return CaseIdentifiers(names=names, places=places, region=region, members=members)


def scrub(text: str, ids: CaseIdentifiers) -> str:
    """scrub_text per line, so the paragraphs a professional wrote survive."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = [anonymise.scrub_text(line, names=ids.names, places=ids.places, region=ids.region) for line in lines]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    if ids.region.lower().startswith("de "):  # "in de Graafsewijk" -> "in de regio", not "in de de regio"
        text = re.sub(rf"(?<!\w)de {re.escape(ids.region)}(?!\w)", ids.region, text, flags=re.IGNORECASE)
    return text


def _same(a: str, b: str) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def replaced_summary(before: str, after: str, region: str, names: int = 0) -> list[str]:
    """What scrubbing changed, in words for the professional (without repeating the removed data); `names` is how
    many names were replaced by a role word."""
    if _same(before, after):
        return []
    parts = []
    if names > 0:
        parts.append(
            _("%(n)s× naam → wie het is (zoals “de bewoner”)") % {"n": names}
            if names > 1
            else _("1 naam → wie het is (zoals “de bewoner”)")
        )
    for token, one, many in PLACEHOLDERS:
        n = after.count(token) - before.count(token)
        if n > 0:
            parts.append(f"{n} {one if n == 1 else many} → {token}")
    n = len(re.findall(re.escape(region), after, re.IGNORECASE)) - len(
        re.findall(re.escape(region), before, re.IGNORECASE)
    )
    if n > 0:
        parts.append(_("%(n)s× wijk of plaats → %(region)s") % {"n": n, "region": region})
    if not parts:
        parts.append(_("datums en leeftijden algemener gemaakt"))
    return parts


def _breakthrough_platform(case):
    return (
        Platform.objects.filter(case=case)
        .exclude(breakthrough="")
        .order_by(F("breakthrough_on").desc(nulls_last=True), "-convened_on", "-id")
        .first()
    )


def draft_for_case(case) -> dict:
    """The fields of a new story, built from the case by learning.anonymise. Reads personal data: log it."""
    ids = case_identifiers(case)
    closed_on = timezone.localdate(case.closed_at) if case.closed_at else timezone.localdate()
    platform = _breakthrough_platform(case)
    text = anonymise.anonymise_story(
        {
            "members": ids.members,
            "area": case.household.area,
            "place": case.municipality.name,
            "region": ids.region,
            "question": case.question,
            "tried": case.tried,
            "stuck_since": case.stuck_since,
            "reference_date": closed_on,
        }
    )
    kind = platform.solution_kind if platform is not None else ""
    period_date = platform.breakthrough_on if platform is not None and platform.breakthrough_on else closed_on
    title = (
        _("Maatwerk: %(kind)s") % {"kind": SolutionKind(kind).label}
        if kind in SolutionKind.values
        else _("Een doorbraak in %(region)s") % {"region": ids.region}
    )
    blockers = sorted(
        set(PlatformBlocker.objects.filter(evaluation__platform__case=case).values_list("code", flat=True))
        & set(BlockerTag.values)
    )
    laws = sorted(set(CaseFunder.objects.filter(case=case).values_list("funder", flat=True)) & set(Funder.values))
    return {
        "title": scrub(title, ids)[:160],
        "text": scrub(text, ids),
        "solution": scrub(platform.breakthrough if platform is not None else "", ids),
        "solution_kind": kind,
        "period": anonymise.coarse_date(period_date),
        "blockers": blockers,
        "laws": laws,
    }


def _set_tags(story, blockers, laws):
    wanted = {(StoryTag.Kind.BLOCKER, c) for c in blockers} | {(StoryTag.Kind.LAW, c) for c in laws}
    existing = {(t.kind, t.code): t for t in StoryTag.objects.filter(story=story)}
    for key, tag in existing.items():
        if key not in wanted:
            tag.delete()
    StoryTag.objects.bulk_create(
        [
            StoryTag(municipality_id=story.municipality_id, story=story, kind=k, code=c)
            for k, c in sorted(wanted - existing.keys())
        ]
    )


def _ensure_story_case(user, case):
    rulebook.require("learning.write_story", user, case)


@transaction.atomic
def create_story_draft(user, case) -> Story:
    """A draft story from a closed case, by someone who may work on it. One story per case."""
    _ensure_story_case(user, case)
    case = Case.objects.select_for_update().select_related("household", "municipality").get(pk=case.pk)
    if case.status != Case.Status.CLOSED:
        raise RuleError(_("Een verhaal maakt u van een afgesloten casus. Sluit de casus eerst af."))
    if Story.objects.filter(case=case).exists():
        raise RuleError(_("Van deze casus is al een verhaal gemaakt."))
    data = draft_for_case(case)
    try:
        with transaction.atomic():
            story = Story.objects.create(
                municipality_id=case.municipality_id,
                case=case,
                title=data["title"],
                text=data["text"],
                solution=data["solution"],
                solution_kind=data["solution_kind"],
                period=data["period"],
                created_by=user,
            )
    except IntegrityError as exc:  # story_one_per_case: someone else made it at the same moment
        raise RuleError(_("Van deze casus is al een verhaal gemaakt.")) from exc
    _set_tags(story, data["blockers"], data["laws"])
    add_timeline(case, user, "story.drafted", _("Geanonimiseerd verhaal gemaakt (concept)"))
    second_eyes.request_check(story)
    return story


@transaction.atomic
def update_story(user, story, *, title, text, solution, solution_kind, blockers, laws) -> tuple[Story, list[str]]:
    """Save an edit. Title, text and solution are scrubbed again with the case's names and places, so a name
    cannot be put back; returns the story and what was replaced. An approved or published story goes back to
    draft (and out of the public register) and needs a new approval."""
    story = Story.objects.select_for_update().select_related("case__household", "case__municipality").get(pk=story.pk)
    _ensure_story_case(user, story.case)
    if solution_kind and solution_kind not in SolutionKind.values:
        raise RuleError(_("Kies een soort maatwerkoplossing uit de lijst."))
    if not (text or "").strip():
        raise RuleError(_("Het verhaal mag niet leeg zijn."))
    ids = case_identifiers(story.case)
    replaced = []
    cleaned = {}
    for name, value in (("title", title), ("text", text), ("solution", solution)):
        cleaned[name] = scrub(value, ids)
        names = anonymise.replace_names(value or "", ids.names)[1]
        replaced += replaced_summary(value or "", cleaned[name], ids.region, names)
    if story.status != Story.Status.DRAFT:
        transition(
            story,
            Story.Status.DRAFT,
            STORY_FLOW,
            updates={"approved_by": None, "approved_at": None, "published_by": None, "published_at": None},
            on_change=lambda s: add_timeline(
                s.case, user, "story.reopened", _("Geanonimiseerd verhaal gewijzigd; terug naar concept")
            ),
        )
    story.title, story.text, story.solution = cleaned["title"][:160], cleaned["text"], cleaned["solution"]
    story.solution_kind = solution_kind or ""
    story.edited_by, story.edited_at = user, timezone.now()
    story.save(update_fields=["title", "text", "solution", "solution_kind", "edited_by", "edited_at"])
    _set_tags(story, [c for c in blockers if c in BlockerTag.values], [c for c in laws if c in Funder.values])
    second_eyes.request_check(story)
    return story, list(dict.fromkeys(replaced))


def _second_eyes_done(story) -> None:
    """Approval and publication wait for the de-identification check of the story as it is now, and for every
    span it flagged to be changed in the text or kept with a reason."""
    if story.checked_hash != second_eyes.story_hash(story):
        raise RuleError(
            _(
                "De tweede controle van het verhaal (op namen, plaatsen en nummers) loopt nog. "
                "Probeer het over een minuut opnieuw."
            )
        )
    open_flags = StoryFlag.objects.filter(story=story, kept_by__isnull=True).count()
    if open_flags:
        raise RuleError(
            _(
                "Er staan nog %(n)s gemarkeerde woorden in het verhaal die naar een persoon kunnen wijzen. "
                "Pas de tekst aan, of leg per woord vast waarom het mag blijven staan."
            )
            % {"n": open_flags}
        )


KEEP_REASON_MAX = 300


@transaction.atomic
def keep_flag(user, story, flag_id: int, reason: str) -> StoryFlag:
    """Keep a flagged span on purpose ("de Voedselbank is geen persoon"), with a reason the approver reads."""
    story = Story.objects.select_for_update().select_related("case").get(pk=story.pk)
    _ensure_story_case(user, story.case)
    if story.status != Story.Status.DRAFT:
        raise RuleError(_("Alleen bij een concept kunt u een markering afhandelen."))
    flag = StoryFlag.objects.filter(story=story, pk=flag_id).first()
    if flag is None:
        raise RuleError(_("Deze markering bestaat niet meer: de tekst is intussen gewijzigd."))
    if not flag.is_open:
        raise RuleError(_("Deze markering is al afgehandeld."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise RuleError(_("Schrijf op waarom dit mag blijven staan."), "reason")
    if len(reason) > KEEP_REASON_MAX:
        raise RuleError(_("Houd de reden kort: hoogstens %(n)s tekens.") % {"n": KEEP_REASON_MAX}, "reason")
    flag.kept_reason, flag.kept_by, flag.kept_at = reason, user, timezone.now()
    flag.save(update_fields=["kept_reason", "kept_by", "kept_at"])
    add_timeline(story.case, user, "story.flag_kept", _("Gemarkeerd woord in het verhaal bewust behouden"))
    return flag


@transaction.atomic
def approve_story(user, story) -> Story:
    story = Story.objects.select_for_update().select_related("case__household", "case__municipality").get(pk=story.pk)
    _ensure_story_case(user, story.case)
    if story.status != Story.Status.DRAFT:
        raise RuleError(_("Dit verhaal is al goedgekeurd."))
    if user.pk == last_editor_id(story) or not rulebook.allowed("learning.approve_story", user, story):
        raise RuleError(_("Vier ogen: iemand anders dan wie het verhaal het laatst schreef, keurt het goed."))
    ids = case_identifiers(story.case)
    if not all(_same(scrub(getattr(story, f), ids), getattr(story, f)) for f in ("title", "text", "solution")):
        raise RuleError(
            _(
                "Het verhaal bevat nog gegevens die naar een persoon kunnen wijzen. "
                "Open het verhaal en sla het opnieuw op; dan halen we ze weg."
            )
        )
    _second_eyes_done(story)
    return transition(
        story,
        Story.Status.APPROVED,
        STORY_FLOW,
        updates={"approved_by": user, "approved_at": timezone.now()},
        message=_("Dit verhaal is al goedgekeurd."),
        on_change=lambda s: add_timeline(s.case, user, "story.approved", _("Geanonimiseerd verhaal goedgekeurd")),
    )


def _policy_story(user, story, rule) -> Story:
    rulebook.require(rule, user, story)
    return Story.objects.select_for_update().get(pk=story.pk)


@transaction.atomic
def publish_story(user, story) -> Story:
    """Only a policy officer of the municipality publishes an approved story to the public precedent register."""
    story = _policy_story(user, story, "learning.publish_story")
    if story.status == Story.Status.PUBLISHED:
        raise RuleError(_("Dit verhaal staat al in het openbare register."))
    if story.status != Story.Status.APPROVED:
        raise RuleError(_("Alleen een goedgekeurd verhaal kan openbaar worden."))
    _second_eyes_done(story)
    return transition(
        story,
        Story.Status.PUBLISHED,
        STORY_FLOW,
        updates={"published_by": user, "published_at": timezone.now()},
        on_change=lambda s: add_timeline(s.case, user, "story.published", _("Geanonimiseerd verhaal openbaar gemaakt")),
    )


@transaction.atomic
def withdraw_story(user, story) -> Story:
    """Take a story out of the public register; it stays approved for the policy table."""
    story = _policy_story(user, story, "learning.withdraw_story")
    if story.status != Story.Status.PUBLISHED:
        raise RuleError(_("Dit verhaal staat niet in het openbare register."))
    return transition(
        story,
        Story.Status.APPROVED,
        STORY_FLOW,
        updates={"published_by": None, "published_at": None},
        on_change=lambda s: add_timeline(
            s.case, user, "story.withdrawn", _("Geanonimiseerd verhaal uit het openbare register gehaald")
        ),
    )
