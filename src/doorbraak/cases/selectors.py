"""Reads of the case file, always through Case.objects.visible_to (need-to-know)."""

import datetime

from django.db.models import OuterRef, Q
from django.utils import timezone

from doorbraak.core.access import get_visible_or_404
from doorbraak.core.db.expressions import PerRowExists
from doorbraak.core.fields import bsn_hash, normalise_bsn
from doorbraak.core.models import Role
from doorbraak.core.validators import is_valid_bsn

from .models import (
    Case,
    Consent,
    DomainScore,
    FollowUpMoment,
    Involvement,
    LifeDomain,
    OutcomeMeasurement,
    Person,
)

DUE_SOON_DAYS = 7  # "binnenkort": open and due within a week (FollowUpMoment.is_due)


def visible_cases(user):
    return Case.objects.visible_to(user)


def case_subject(case) -> tuple[str, int]:
    """The access-log subject of a case: its household (stored only as a pseudonym)."""
    return ("household", case.household_id)


def case_id_subject(case_id) -> tuple[str, int] | None:
    """The subject of a case known only by id (a refused read of a row under a case the user may not see)."""
    household_id = Case._base_manager.filter(pk=case_id).values_list("household_id", flat=True).first()
    return ("household", household_id) if household_id is not None else None


# The attribute on a Case instance read through the gate (get_case_for): the pk of the user it was read for.
# `permissions.sees_case` trusts it for that user instead of asking the gate again (issue 15 point 3: the case
# page and the platform page asked it 1–3 times more per request). The services that end an involvement clear
# it (`forget_gate`), so a check after such a write in the same request asks the database again.
GATE_PASSED_FOR = "_gate_passed_for"


def forget_gate(case) -> None:
    case.__dict__.pop(GATE_PASSED_FOR, None)


def get_case_for(user, case_id) -> Case:
    """The case if the user may see it; otherwise Http404 (never 403: existence is not revealed) and a denied
    access event: tenancy (another municipality), need_to_know, or not_found (core.access). The municipality
    comes along, and the user's own (the same row: the gate is within it) is taken from it, so the access-log
    write does not read it again."""
    case = get_visible_or_404(
        user,
        Case.objects.filter(pk__in=visible_cases(user).values("pk")).select_related(
            "team", "household", "created_by", "municipality"
        ),
        case_id,
        model=Case,
        subject=case_subject,
    )
    setattr(case, GATE_PASSED_FOR, user.pk)
    share_municipality(user, case)
    return case


def share_municipality(user, case) -> None:
    """Request-level cache: the user's municipality is the case's (the gate filters on it); cache it on the user
    object of this request unless it is already there."""
    field = user._meta.get_field("municipality")  # user may be the request's SimpleLazyObject
    if user.municipality_id == case.municipality_id and not field.is_cached(user) and field.is_cached(case):
        field.set_cached_value(user, case.municipality)


def case_list(user, *, q="", status="", domain="", team=None, stuck_weeks=None):
    """Visible cases matching the filters, newest first, with team, main person and number of active
    professionals. The list page reads pages through `selectors_list.case_page` (page first, details after)."""
    from .selectors_list import filtered_cases, with_row_details

    return with_row_details(
        filtered_cases(user, q=q, status=status, domain=domain, team=team, stuck_weeks=stuck_weeks)
    ).order_by("-opened_at", "-id")


def people_with_bsn(user, bsn):
    """Members with this BSN in the cases the user may see (need-to-know), found through the keyed hash."""
    digits = normalise_bsn(bsn)
    if not is_valid_bsn(digits):
        return Person.objects.none()
    households = visible_cases(user).values("household_id")
    return Person.objects.filter(bsn_hash=bsn_hash(digits), household_id__in=households).order_by("id")


def case_detail(case):
    """Everything the case page shows, in a handful of queries."""
    scores = list(
        DomainScore.objects.filter(case=case).select_related("scored_by").order_by("domain", "-scored_on", "-id")
    )
    labels = dict(LifeDomain.choices)
    by_domain: dict[str, list] = {}
    for row in scores:
        by_domain.setdefault(row.domain, []).append(row)
    domains = [
        {"code": code, "label": labels[code], "current": by_domain[code][0], "history": by_domain[code][1:]}
        for code, _label in LifeDomain.choices
        if code in by_domain
    ]
    return {
        **follow_up_detail(case, by_domain),
        "members": list(Person.objects.filter(household_id=case.household_id)),
        "domains": domains,
        "funders": list(case.funders.all()),
        **_involvements(case),
        "consents": list(
            Consent.objects.filter(case=case).select_related("organisation", "recorded_by").order_by("-given_on", "-id")
        ),
        "timeline": list(case.timeline.select_related("actor")[:200]),
    }


def _involvements(case) -> dict:
    """Active (oldest first) and past (last ended first) involvements, in one query."""
    rows = list(
        Involvement.objects.filter(case=case).select_related("user", "organisation").order_by("started_at", "id")
    )
    active = [r for r in rows if r.ended_at is None]
    past = sorted((r for r in rows if r.ended_at is not None), key=lambda r: r.ended_at, reverse=True)
    return {"involvements": active, "past_involvements": past}


def involved_organisation_ids(case) -> set[int]:
    return set(
        Involvement.objects.filter(case=case, ended_at__isnull=True, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )


def has_current_consent(case, organisation_id) -> bool:
    return Consent.objects.filter(case=case, organisation_id=organisation_id, withdrawn_on__isnull=True).exists()


def sharing_overview(case) -> dict[str, list[str]]:
    """Organisation names already involved, and those with a current consent (for the platform's UI)."""
    involved = sorted(
        set(
            Involvement.objects.filter(case=case, ended_at__isnull=True, organisation__isnull=False).values_list(
                "organisation__name", flat=True
            )
        )
    )
    consented = sorted(
        set(Consent.objects.filter(case=case, withdrawn_on__isnull=True).values_list("organisation__name", flat=True))
    )
    return {"involved": involved, "consented": consented}


def domain_changes(by_domain: dict[str, list]) -> list[dict]:
    """Per life domain scored at least once: the first score, the latest and the change (latest - first).
    `by_domain` holds each domain's rows newest first (as case_detail reads them)."""
    labels = dict(LifeDomain.choices)
    rows = []
    for code, _label in LifeDomain.choices:
        history = by_domain.get(code)
        if not history:
            continue
        first, latest = history[-1], history[0]
        rows.append(
            {
                "code": code,
                "label": labels[code],
                "first": first,
                "latest": latest,
                "count": len(history),
                "change": latest.score - first.score if len(history) > 1 else None,
            }
        )
    return rows


def follow_up_detail(case, by_domain: dict[str, list]) -> dict:
    """The Nazorg and Uitkomsten sections of the case page: moments, measurements over time, change per domain."""
    moments = list(FollowUpMoment.objects.filter(case=case).select_related("done_by").order_by("due_on", "id"))
    measurements = list(
        OutcomeMeasurement.objects.filter(case=case)
        .select_related("follow_up", "recorded_by")
        .order_by("measured_on", "id")
    )
    participation = None
    if len(measurements) > 1:
        first, latest = measurements[0], measurements[-1]
        participation = {
            "first": first,
            "latest": latest,
            "change": latest.participation_step - first.participation_step,
        }
    return {
        "follow_ups": moments,
        "follow_ups_open": [m for m in moments if m.done_on is None],
        "measurements": measurements,
        "participation_change": participation,
        "domain_changes": domain_changes(by_domain),
    }


def follow_ups_for(user, *, soon_days: int = DUE_SOON_DAYS):
    """Open evaluation moments that are overdue or due within `soon_days`, of cases the user may see (not
    closed), oldest first. One query per page (the case comes along through select_related); the list page
    does not count them (views_list.follow_up_page: one row more than the page tells whether there is a next).

    Two shapes, one gate (`visible_to`), the same rows (issue 15). A professional sees a few hundred cases: their
    ids are hashed once (`case_id IN visible`). A lead sees a whole team (~1/5 of the municipality): then each
    moment's case is checked by primary key while PostgreSQL walks the open moments in due order
    ((municipality, done_on, due_on) index) and stops after the page. The EXISTS sits under an OR with a condition
    no row meets and is fenced with OFFSET 0 (`PerRowExists`), so PostgreSQL keeps it per row instead of hashing
    the whole team's open cases (at 100k it did, 27 ms of a sequential scan, despite the OR)."""
    horizon = timezone.localdate() + datetime.timedelta(days=soon_days)
    visible = visible_cases(user).exclude(status=Case.Status.CLOSED)
    qs = FollowUpMoment.objects.filter(done_on__isnull=True, due_on__lte=horizon)
    if user.is_authenticated and user.role == Role.LEAD and user.team_id:
        never = Q(due_on__lt=datetime.date(1, 1, 2))  # an optimisation fence, not a filter
        qs = qs.filter(
            Q(PerRowExists(visible.filter(pk=OuterRef("case_id")))) | never, municipality_id=user.municipality_id
        )
    else:
        qs = qs.filter(case_id__in=visible.values("pk"))
    return qs.select_related("case").order_by("due_on", "id")
