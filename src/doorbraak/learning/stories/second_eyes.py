"""The second pair of eyes on a story (issue 13, point 5): a Dutch de-identification model reads every draft.

`anonymise` removes what the system knows (the household's names, the professionals', the places of the case).
What it cannot know — a neighbour called Kees, a school's name with a person in it, a misspelt name — is found by
`deduce` (a de-identification model made for Dutch text, Menger et al.), run over the title, the text and the
solution after every save. Every span it reads as a person, a place, a number or an age becomes a `StoryFlag`;
approval and publication wait until each flag is gone from the text (the writer changed it) or was kept with a
reason. Dates are not flagged: the drafts keep months and seasons on purpose (anonymise coarsens exact dates), and
neither are organisations (they are what a story is about).

The model takes about 1 GB of memory and ~10 s to load, so it never runs in a web process: a save enqueues
`learning.stories.tasks.check_story_text` and the worker (one process, model loaded once) runs `check_story`.
Until the check of the story as it is now has run, approval waits ("de controle loopt nog").
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from ..models import Story, StoryFlag
from . import anonymise

logger = logging.getLogger(__name__)

FIELDS = ("title", "text", "solution")
KIND_BY_TAG = {
    "persoon": StoryFlag.Kind.PERSON,
    "patient": StoryFlag.Kind.PERSON,
    "locatie": StoryFlag.Kind.PLACE,
    "bsn": StoryFlag.Kind.NUMBER,
    "telefoonnummer": StoryFlag.Kind.NUMBER,
    "email": StoryFlag.Kind.NUMBER,
    "url": StoryFlag.Kind.NUMBER,
    "id": StoryFlag.Kind.NUMBER,
    "patientnummer": StoryFlag.Kind.NUMBER,
    "leeftijd": StoryFlag.Kind.AGE,
}
_PLACEHOLDER = re.compile(r"\[[a-z-]+\]")
# Words that start a sentence and that the model sometimes takes into a name ("Via Kees"): cut off a span's start.
_LEADING = frozenset(
    "via in met door van bij voor naar op om aan uit de het een en of maar toen want dus ook nu dan daarna later "
    "samen zonder tot sinds na over onder zij hij ze wij we".split()
)


def _tidy(span: str) -> str:
    """A span as the model found it, without what came before a sentence end ("collega. Marieke" -> "Marieke")
    and without leading ordinary words; an empty string when nothing is left."""
    words = " ".join(span.split()).split(" ")
    for i in range(len(words) - 1, 0, -1):
        if words[i - 1].endswith((".", "!", "?", ":", ";")):
            words = words[i:]
            break
    while words and (words[0].lower() in _LEADING or not words[0][:1].isalpha()):
        words = words[1:]
    return " ".join(words).strip(".,;:!?()\"'“”")


_model = None
_model_lock = threading.Lock()


def model():
    """The deduce model, loaded once per process (first use: ~10 s, ~1 GB)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                from deduce import Deduce

                _model = Deduce()
    return _model


def content_hash(title: str, text: str, solution: str) -> str:
    return hashlib.sha256("\x00".join([title or "", text or "", solution or ""]).encode()).hexdigest()


def story_hash(story: Story) -> str:
    return content_hash(story.title, story.text, story.solution)


def _ours(span: str, region: str) -> bool:
    """A span made only of words the drafts write themselves (role words, months, the region)."""
    words = re.findall(r"\w+", _PLACEHOLDER.sub(" ", span).lower())
    own = anonymise.VOCABULARY | set(re.findall(r"\w+", region.lower()))
    return all(w in own for w in words)


def spans(text: str, region: str = "") -> list[tuple[str, str]]:
    """(span, kind) for every person, place, number or age the model finds in `text`, each span once."""
    if not (text or "").strip():
        return []
    found: dict[str, str] = {}
    for annotation in sorted(model().deidentify(text).annotations, key=lambda a: a.start_char):
        kind = KIND_BY_TAG.get(annotation.tag.split("-")[0].lower())
        span = _tidy(annotation.text)[:200]
        if kind is None or not span or _ours(span, region):
            continue
        found.setdefault(span, kind)
    return list(found.items())


def check_story(story_id: int) -> int | None:
    """Read the story with the model and bring its flags up to date; returns the number of open flags, or None
    when the story changed meanwhile (the task of that change checks it) or is gone. Idempotent."""
    with scopes_disabled():
        story = Story.objects.filter(pk=story_id).select_related("case__municipality").first()
        if story is None:
            return None
        from .services import region_for

        region = region_for(story.case.municipality)[0]
        checked = story_hash(story)
        found = {(field, span): kind for field in FIELDS for span, kind in spans(getattr(story, field), region)}
        with transaction.atomic():
            story = Story.objects.select_for_update().get(pk=story_id)
            if story_hash(story) != checked:
                return None
            existing = {(f.field, f.span): f for f in StoryFlag.objects.filter(story=story)}
            gone = [f.pk for key, f in existing.items() if key not in found]
            StoryFlag.objects.filter(pk__in=gone).delete()
            StoryFlag.objects.bulk_create(
                [
                    StoryFlag(municipality_id=story.municipality_id, story=story, field=field, span=span, kind=kind)
                    for (field, span), kind in found.items()
                    if (field, span) not in existing
                ]
            )
            Story.objects.filter(pk=story.pk).update(checked_hash=checked, checked_at=timezone.now())
            return StoryFlag.objects.filter(story=story, kept_by__isnull=True).count()


def request_check(story: Story) -> None:
    """After the current transaction: let a worker read the story as it is now."""
    from .tasks import check_story_text

    story_id = story.pk
    if settings.STORY_CHECK_INLINE:  # tests and TASKS_BACKEND=immediate: in this process, now
        check_story(story_id)
        story.refresh_from_db(fields=["checked_hash", "checked_at"])
        return
    transaction.on_commit(lambda: check_story_text.enqueue(story_id))


def state(story: Story) -> dict:
    """What the page shows: is the check of the current text done, and which flags are open or kept."""
    flags = list(StoryFlag.objects.filter(story=story).select_related("kept_by"))
    return {
        "checked": story.checked_hash == story_hash(story),
        "open_flags": [f for f in flags if f.is_open],
        "kept_flags": [f for f in flags if not f.is_open],
    }


def marked(text: str, flags: list[StoryFlag]) -> list[tuple[str, bool]]:
    """The text cut into (piece, is flagged) so a template can put the flagged spans in <mark>."""
    terms = sorted({f.span for f in flags if f.span}, key=len, reverse=True)
    if not terms or not text:
        return [(text or "", False)]
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    pieces, at = [], 0
    for m in pattern.finditer(text):
        if m.start() > at:
            pieces.append((text[at : m.start()], False))
        pieces.append((m[0], True))
        at = m.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
