"""Reads of programme meetings: the public list with search, a meeting's page, the organiser's views.

Search uses the registry's Snowball stems (initiatives.stemming): `Meeting.search_stems` holds the stemmed text,
each word after a space; every query word must match one of its prefix variants at a word start. Meetings are
few (tens a year), so a LIKE on one column is enough and behaves the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
from functools import reduce

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from doorbraak.core import permissions
from doorbraak.core.audit import log_access
from doorbraak.initiatives.models import Moderation
from doorbraak.initiatives.stemming import prefix_variants, query_stems

from .models import NEED_FIELDS, FollowUp, Meeting, NeedTag, ProgrammeItem, Registration, Takeaway

PAGE_SIZE = 20
SMALL = 10  # counts 1..SMALL-1 of people are shown as "<10"


def public_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(is_published=True)


def search(qs: QuerySet, text: str) -> QuerySet:
    text = (text or "").strip()
    if not text:
        return qs
    stems = query_stems(text)
    if not stems:
        return qs.none()
    conditions = [
        reduce(lambda a, b: a | b, [Q(search_stems__contains=" " + v) for v in prefix_variants(s)]) for s in stems
    ]
    return qs.filter(reduce(lambda a, b: a & b, conditions))


def meeting_lists(q: str = "", now=None) -> dict:
    now = now or timezone.now()
    qs = search(public_meetings(), q).only(
        "id", "title", "starts_at", "ends_at", "place", "online_link", "summary", "registration_deadline"
    )
    return {
        "upcoming": list(qs.filter(ends_at__gte=now).order_by("starts_at", "id")[:PAGE_SIZE]),
        "past": qs.filter(ends_at__lt=now).order_by("-starts_at", "id"),
    }


def meeting_for_page(pk: int) -> Meeting | None:
    return (
        public_meetings()
        .prefetch_related(
            Prefetch("programme", queryset=ProgrammeItem.objects.select_related("initiative")),
            "documents",
            Prefetch(
                "takeaways",
                queryset=Takeaway.objects.filter(moderation=Moderation.APPROVED)
                .prefetch_related("initiatives")
                .order_by("created_at", "id"),
                to_attr="public_takeaways",
            ),
            Prefetch(
                "registrations",
                queryset=Registration.objects.filter(
                    status=Registration.Status.CONFIRMED, on_attendee_list=True, personal_data_purged_at=None
                ).order_by("name", "id"),
                to_attr="public_attendees",
            ),
        )
        .annotate(confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)))
        .filter(pk=pk)
        .first()
    )


def seats_left(meeting: Meeting) -> int:
    confirmed = getattr(meeting, "confirmed", None)
    if confirmed is None:
        confirmed = meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()
    return max(meeting.capacity - confirmed, 0)


def takeaways_for_initiative(initiative) -> list[Takeaway]:
    """The published takeaways that refer to this initiative (shown on its page)."""
    return list(
        Takeaway.objects.filter(initiatives=initiative, moderation=Moderation.APPROVED, meeting__is_published=True)
        .select_related("meeting")
        .order_by("-created_at", "id")[:50]
    )


def organiser_meetings(user) -> list[Meeting]:
    permissions.require("meetings.organise", user)
    return list(
        Meeting.objects.annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
            waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
        ).order_by("-starts_at", "id")[:200]
    )


def moderation_queue(user) -> list[Takeaway]:
    permissions.require("meetings.moderate", user)
    return list(
        Takeaway.objects.filter(moderation=Moderation.PENDING, consent_to_publish=True)
        .select_related("meeting")
        .order_by("created_at")[:200]
    )


def takeaways_by_need(user, request=None) -> list[dict]:
    """Every takeaway except spam, grouped by need tag (a takeaway with several tags is in each group)."""
    permissions.require("meetings.organise", user)
    log_access(request or user, "meeting.takeaways", object_type="meetings.takeaway", purpose="programme")
    rows = list(
        Takeaway.objects.exclude(moderation=Moderation.SPAM)
        .select_related("meeting", "follow_up")
        .order_by("-created_at", "id")[:1000]
    )
    groups = []
    for tag, label in NeedTag.choices:
        items = [t for t in rows if getattr(t, NEED_FIELDS[tag])]
        groups.append(
            {"tag": tag, "label": label, "items": items, "open": [t for t in items if t.follow_up_id is None]}
        )
    groups.append({"tag": "", "label": None, "items": [t for t in rows if not t.tags], "open": []})
    return groups


def follow_ups(user) -> list[FollowUp]:
    permissions.require("meetings.organise", user)
    return list(FollowUp.objects.annotate(n=Count("takeaways")).order_by("-created_at", "id")[:200])


def small(n: int) -> str | int:
    """The small-number rule of the programme view: 1..9 people become "<10"."""
    return "<10" if 0 < n < SMALL else n


def _quarter(day: datetime.date) -> str:
    return f"{day.year}-K{(day.month - 1) // 3 + 1}"


def programme_figures(user, now=None) -> dict:
    """Meetings held, registrations and attendance, takeaways per need tag per meeting and per quarter (a fixed
    grid: every held meeting and every quarter from the first to the last, every tag), follow-ups done. Counts of
    people or of their takeaways of 1..9 are shown as "<10"."""
    permissions.require("meetings.organise", user)
    now = now or timezone.now()
    tag_counts = {
        f"t_{tag}": Count("takeaways", filter=Q(**{f"takeaways__{field}": True}) & ~Q(takeaways__moderation="spam"))
        for tag, field in NEED_FIELDS.items()
    }
    held = list(
        Meeting.objects.filter(starts_at__lt=now)
        .annotate(
            n_registered=Count("registrations", filter=~Q(registrations__status="cancelled"), distinct=True),
            n_attended=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
        )
        .order_by("starts_at", "id")
    )
    per_tag = {
        m["id"]: m
        for m in Meeting.objects.filter(starts_at__lt=now).annotate(**tag_counts).values("id", *tag_counts.keys())
    }
    tags = list(NeedTag.choices)
    meeting_rows, quarters = [], {}
    for m in held:
        counts = [per_tag[m.pk][f"t_{tag}"] for tag, _l in tags]
        meeting_rows.append(
            {
                "meeting": m,
                "registered": small(m.n_registered),
                "attended": small(m.n_attended),
                "tags": [small(c) for c in counts],
            }
        )
        q = quarters.setdefault(_quarter(timezone.localtime(m.starts_at).date()), [0] * len(tags))
        for i, c in enumerate(counts):
            q[i] += c
    quarter_rows = []
    if held:
        first, last = timezone.localtime(held[0].starts_at).date(), timezone.localtime(held[-1].starts_at).date()
        year, quarter = first.year, (first.month - 1) // 3
        while (year, quarter) <= (last.year, (last.month - 1) // 3):
            key = f"{year}-K{quarter + 1}"
            quarter_rows.append({"quarter": key, "tags": [small(c) for c in quarters.get(key, [0] * len(tags))]})
            quarter += 1
            if quarter == 4:
                year, quarter = year + 1, 0
    done = FollowUp.objects.filter(status=FollowUp.Status.DONE).count()
    return {
        "tags": [label for _t, label in tags],
        "held": len(held),
        "meeting_rows": meeting_rows,
        "quarter_rows": quarter_rows,
        "registered": small(sum(m.n_registered for m in held)),
        "attended": small(sum(m.n_attended for m in held)),
        "follow_ups_done": done,
        "follow_ups_total": FollowUp.objects.count(),
    }
