"""Reads of the initiative registry, with the full-text search switch per database vendor.

PostgreSQL: the generated `search_vector` column (Dutch configuration, GIN index) matched with
SearchQuery: the Dutch plain query of the text OR, per word, the prefixes of its word family from stemming.py
(Snowball keeps "woning" and "woont" apart from "wonen"; "won:* | woon:*" joins them).
SQLite: the FTS5 table `initiatives_initiative_fts` holding the same Snowball lexemes (stemming.stem_text), matched
with the same prefixes.
"""

from dataclasses import dataclass
from functools import reduce

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from doorbraak.core import permissions
from doorbraak.core.seek import parse_position, seek_page

from .models import Comment, Initiative, Moderation, Submission
from .stemming import prefix_variants, query_stems

PAGE_SIZE = 20


@dataclass(frozen=True)
class Filters:
    q: str = ""
    group: str = ""
    region: str = ""
    target_group: str = ""
    status: str = ""


def public_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.filter(is_published=True)


def _pg_search(qs: QuerySet, text: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

    stems = query_stems(text)
    if not stems:
        return qs.none()
    # Per word: the prefixes of its word family ("won:* | woon:*"), all words required. The prefixes use the
    # "simple" configuration: stemming them again would turn "woon" into "won", which misses the lexeme
    # "woont". The Dutch plain query of the whole text catches accented words.
    parts = [
        SearchQuery(" | ".join(f"{v}:*" for v in prefix_variants(s)), config="simple", search_type="raw") for s in stems
    ]
    query = SearchQuery(text, config="dutch", search_type="plain") | reduce(lambda a, b: a & b, parts)
    vector = RawSQL('"initiatives_initiative"."search_vector"', [], output_field=SearchVectorField())
    return (
        qs.annotate(search=vector)
        .filter(search=query)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "name", "id")
    )


def _sqlite_search(qs: QuerySet, text: str) -> QuerySet:
    stems = query_stems(text)
    if not stems:
        return qs.none()
    # Stems are [0-9a-z]+ only; each word becomes its quoted FTS5 prefix tokens ("won"* OR "woon"* finds
    # wonen, woning and woonproject), all words joined by AND: the same as the prefix part of the PostgreSQL query.
    match = " AND ".join("(" + " OR ".join(f'"{v}"*' for v in prefix_variants(s)) + ")" for s in stems)
    return qs.extra(
        tables=["initiatives_initiative_fts"],
        where=[
            "initiatives_initiative_fts.rowid = initiatives_initiative.id",
            "initiatives_initiative_fts MATCH %s",
        ],
        params=[match],
        select={"rank": "initiatives_initiative_fts.rank"},
        order_by=["rank", "name", "id"],
    )


def search(qs: QuerySet, text: str) -> QuerySet:
    text = (text or "").strip()
    if not text:
        return qs
    if connection.vendor == "postgresql":
        return _pg_search(qs, text)
    if connection.vendor == "sqlite":
        return _sqlite_search(qs, text)
    # Other databases: a plain substring match on the document (no stemming).
    cond = reduce(lambda a, b: a & b, [Q(search_document__icontains=w) for w in text.split()])
    return qs.filter(cond)


def filter_initiatives(filters: Filters, base: QuerySet | None = None) -> QuerySet[Initiative]:
    qs = public_initiatives() if base is None else base
    if filters.group:
        qs = qs.filter(group=filters.group)
    if filters.region:
        qs = qs.filter(region=filters.region)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.target_group:
        qs = qs.filter(target_group__icontains=filters.target_group)
    qs = search(qs, filters.q)
    return qs.only("id", "slug", "name", "place", "region", "target_group", "group", "status", "summary")


def sees_drafts(user) -> bool:
    """Moderators see draft initiative pages (and their reports); everyone else only published ones."""
    return user is not None and permissions.allowed("initiatives.moderate", user)


def initiative_for_page(slug: str, user=None) -> Initiative | None:
    qs = Initiative.objects.all() if sees_drafts(user) else public_initiatives()
    qs = qs.select_related("research").prefetch_related(
        "research__reports",
        Prefetch(
            "comments",
            queryset=Comment.objects.filter(moderation=Moderation.APPROVED).order_by("created_at", "id"),
            to_attr="public_comments",
        ),
    )
    return qs.filter(slug=slug).first()


def report_with_pdf(pk: int, user=None):
    from .models import ResearchReport

    qs = ResearchReport.objects.select_related("research__initiative").exclude(pdf="")
    if not sees_drafts(user):
        qs = qs.filter(research__initiative__is_published=True)
    return qs.filter(pk=pk).first()


MODERATION_PAGE_SIZE = 25
DRAFTS_SHOWN = 100


def moderation_queue(user, *, comments_after=None, submissions_after=None) -> dict:
    """The moderation queue: a page of the pending comments and one of the pending submissions, oldest first, each
    read after its own position (core.seek on (created_at, id): comment_mod_queue / submission_mod_queue), with
    the exact number of pending ones (an index-only count); the newest draft pages. A malformed position shows the
    oldest ones."""
    permissions.require("initiatives.moderate", user)
    pending_comments = Comment.objects.filter(moderation=Moderation.PENDING)
    pending_submissions = Submission.objects.filter(moderation=Moderation.PENDING)
    return {
        "submissions": seek_page(pending_submissions, "created_at", after=submissions_after, size=MODERATION_PAGE_SIZE),
        "submission_count": pending_submissions.count(),
        "comments": seek_page(
            pending_comments.select_related("initiative"),
            "created_at",
            after=comments_after,
            size=MODERATION_PAGE_SIZE,
        ),
        "comment_count": pending_comments.count(),
        "drafts": list(Initiative.objects.filter(is_published=False).order_by("-created_at")[:DRAFTS_SHOWN]),
    }


def queue_position(value) -> str:
    """A position in the moderation queue as it came in (a link's parameter), or "" when malformed."""
    return value if parse_position(value) else ""
