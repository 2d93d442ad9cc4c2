"""Writes of the initiative registry: one function per use case, each in a transaction.

Every moderator write asks the rule book first (`initiatives.*` in permissions.py; `Refused` otherwise) and
changes the moderation state only through `core.transitions.transition()` along MODERATION_FLOW, so a double
click or two moderators deciding at once decide once. Business rules refuse with `core.errors.RuleError`.
"""

import datetime
import itertools

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from doorbraak.core import permissions
from doorbraak.core.errors import RuleError
from doorbraak.core.transitions import transition

from .models import Comment, Group, Initiative, Moderation, Research, ResearchReport, Status, Submission
from .stemming import stem_text

PDF_MAX_BYTES = 20 * 1024 * 1024

# Moderation of what the public sends in (Submission and Comment): one decision, then final.
MODERATION_FLOW = {
    Moderation.PENDING: {Moderation.APPROVED, Moderation.REJECTED, Moderation.SPAM},
    Moderation.APPROVED: set(),
    Moderation.REJECTED: set(),
    Moderation.SPAM: set(),
}
DECISIONS = (Moderation.APPROVED, Moderation.REJECTED, Moderation.SPAM)


# --- Search index ----------------------------------------------------------------------------


def build_document(initiative: Initiative, research: Research | None = None) -> str:
    parts = [
        initiative.name,
        initiative.place,
        initiative.region,
        initiative.target_group,
        initiative.summary,
        initiative.approach,
        initiative.earning_model,
        initiative.partners,
    ]
    if research is not None:
        parts += [research.question, research.researchers, research.findings]
    return "\n".join(p for p in parts if p)


def reindex(initiative: Initiative) -> None:
    """Refresh the searchable document of one initiative (PostgreSQL derives its tsvector from it;
    SQLite keeps a stemmed copy in FTS5)."""
    research = Research.objects.filter(initiative=initiative).first()
    document = build_document(initiative, research)
    Initiative.objects.filter(pk=initiative.pk).update(search_document=document)
    initiative.search_document = document
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM initiatives_initiative_fts WHERE rowid = %s", [initiative.pk])
            cursor.execute(
                "INSERT INTO initiatives_initiative_fts(rowid, body) VALUES (%s, %s)",
                [initiative.pk, stem_text(document)],
            )


def remove_from_index(initiative_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM initiatives_initiative_fts WHERE rowid = %s", [initiative_id])


# --- Seed / demo -----------------------------------------------------------------------------


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_seed(entries: list[dict]) -> int:
    """Create the seeded initiatives that do not exist yet (by slug). Returns how many were created."""
    created = 0
    for entry in entries:
        if Initiative.objects.filter(slug=entry["slug"]).exists():
            continue
        initiative = Initiative.objects.create(
            slug=entry["slug"],
            name=entry["name"],
            place=entry.get("place", ""),
            region=entry.get("region", "Landelijk"),
            target_group=entry.get("target_group", ""),
            group=entry.get("group", Group.OTHER),
            summary=entry.get("summary", ""),
            approach=entry.get("approach", ""),
            earning_model=entry.get("earning_model", ""),
            partners=entry.get("partners", ""),
            links=entry.get("links") or [],
            status=entry.get("status", Status.ACTIVE),
            is_published=True,
        )
        research = entry.get("research")
        if research:
            r = Research.objects.create(
                initiative=initiative,
                question=research["question"],
                period_start=_date(research.get("period_start")),
                period_end=_date(research.get("period_end")),
                researchers=research.get("researchers", ""),
                findings=research.get("findings", ""),
            )
            for report in research.get("reports", []):
                ResearchReport.objects.create(
                    research=r,
                    kind=report.get("kind", ResearchReport.Kind.PROGRESS),
                    title=report["title"],
                    published_on=_date(report.get("published_on")),
                    summary=report.get("summary", ""),
                )
        reindex(initiative)
        created += 1
    return created


# --- Public submissions ----------------------------------------------------------------------


def create_submission(
    *,
    form_token: str,
    name: str,
    place: str,
    description: str,
    link: str,
    submitter_name: str = "",
    submitter_email: str = "",
) -> Submission | None:
    """Store a suggestion for moderation. A second post of the same form returns None (no duplicate)."""
    try:
        with transaction.atomic():
            return Submission.objects.create(
                form_token=form_token,
                name=name,
                place=place,
                description=description,
                link=link,
                submitter_name=submitter_name,
                submitter_email=submitter_email,
            )
    except IntegrityError:
        if Submission.objects.filter(form_token=form_token).exists():
            return None
        raise


def create_comment(
    *, initiative: Initiative, form_token: str, body: str, submitter_name: str = "", submitter_email: str = ""
) -> Comment | None:
    permissions.require("initiatives.comment", None, initiative)
    try:
        with transaction.atomic():
            return Comment.objects.create(
                initiative=initiative,
                form_token=form_token,
                body=body,
                submitter_name=submitter_name,
                submitter_email=submitter_email,
            )
    except IntegrityError:
        if Comment.objects.filter(form_token=form_token).exists():
            return None
        raise


# --- Moderation ------------------------------------------------------------------------------


def _decision_updates(user, decision: str, reason: str) -> dict:
    """Check the decision (a RuleError for an unknown one or a rejection without reason) and return the fields
    the transition writes with it."""
    if decision not in DECISIONS:
        raise RuleError(_("Onbekende keuze."))
    reason = (reason or "").strip()
    if decision == Moderation.REJECTED and not reason:
        raise RuleError(_("Geef een reden om af te wijzen."), field="reason")
    return {
        "rejection_reason": reason if decision == Moderation.REJECTED else "",
        "decided_at": timezone.now(),
        "decided_by": user,
    }


@transaction.atomic
def decide_comment(user, comment_id: int, decision: str, *, body: str | None = None, reason: str = "") -> Comment:
    permissions.require("initiatives.moderate", user)
    updates = _decision_updates(user, decision, reason)
    comment = Comment.objects.get(pk=comment_id)
    if body is not None and body.strip() and body.strip() != comment.body:
        updates.update(body=body.strip(), edited_by_moderator=True)
    return transition(
        comment, decision, MODERATION_FLOW, field="moderation", updates=updates, message=_("Hierover is al besloten.")
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "initiatief"
    for n in itertools.count(1):
        slug = base if n == 1 else f"{base}-{n}"
        if not Initiative.objects.filter(slug=slug).exists():
            return slug
    raise AssertionError  # pragma: no cover


@transaction.atomic
def decide_submission(
    user,
    submission_id: int,
    decision: str,
    *,
    name: str | None = None,
    place: str | None = None,
    description: str | None = None,
    reason: str = "",
) -> Submission:
    """Approve (becomes a draft initiative page), reject with a reason, or mark as spam."""
    permissions.require("initiatives.moderate", user)
    updates = _decision_updates(user, decision, reason)
    submission = Submission.objects.get(pk=submission_id)
    if name and name.strip():
        updates["name"] = name.strip()
    if place is not None:
        updates["place"] = place.strip()
    if description and description.strip():
        updates["description"] = description.strip()

    def make_draft(item):
        if decision != Moderation.APPROVED:
            return
        initiative = Initiative.objects.create(
            slug=_unique_slug(item.name),
            name=item.name,
            place=item.place,
            summary=item.description,
            links=[{"label": _("Meer informatie"), "url": item.link}],
            is_published=False,
        )
        reindex(initiative)
        Submission.objects.filter(pk=item.pk).update(initiative=initiative)
        item.initiative = initiative

    return transition(
        submission,
        decision,
        MODERATION_FLOW,
        field="moderation",
        updates=updates,
        on_change=make_draft,
        message=_("Hierover is al besloten."),
    )


@transaction.atomic
def publish_initiative(user, initiative_id: int) -> Initiative:
    permissions.require("initiatives.publish", user)
    initiative = Initiative.objects.get(pk=initiative_id)
    # Conditional, like transition(): a second click publishes nothing twice.
    if not Initiative.objects.filter(pk=initiative.pk, is_published=False).update(
        is_published=True, updated_at=timezone.now()
    ):
        raise RuleError(_("Dit initiatief staat al in het openbare register."))
    initiative.is_published = True
    return initiative


# --- Research reports ------------------------------------------------------------------------


def validate_pdf(uploaded) -> None:
    name = (uploaded.name or "").lower()
    if not name.endswith(".pdf"):
        raise RuleError(_("Kies een pdf-bestand (naam eindigt op .pdf)."))
    if uploaded.size > PDF_MAX_BYTES:
        raise RuleError(_("Het bestand is te groot. Het mag hoogstens 20 MB zijn."))
    content_type = getattr(uploaded, "content_type", "application/pdf")
    if content_type not in ("application/pdf", "application/x-pdf", "application/octet-stream"):
        raise RuleError(_("Dit is geen pdf-bestand."))
    uploaded.seek(0)
    head = uploaded.read(5)
    uploaded.seek(0)
    if head != b"%PDF-":
        raise RuleError(_("Dit is geen pdf-bestand."))


@transaction.atomic
def attach_report_pdf(user, report: ResearchReport, uploaded) -> ResearchReport:
    permissions.require("initiatives.manage_reports", user, report)
    validate_pdf(uploaded)
    report.pdf.save(f"rapport-{report.pk}.pdf", uploaded, save=True)
    return report


# --- Retention -------------------------------------------------------------------------------


@transaction.atomic
def purge_submitter_data(days: int = 90, now=None) -> int:
    """Blank the name and e-mail of submissions and comments decided more than `days` days ago."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    count = 0
    for model in (Submission, Comment):
        qs = model.objects.filter(decided_at__lt=cutoff, personal_data_purged_at__isnull=True)
        count += qs.update(submitter_name="", submitter_email="", personal_data_purged_at=now)
    return count
