"""Writes of the initiative registry: one function per use case, each in a transaction."""

import datetime
import itertools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from doorbraak.core.models import Role

from .models import Comment, Group, Initiative, Moderation, Research, ResearchReport, Status, Submission
from .stemming import stem_text

PDF_MAX_BYTES = 20 * 1024 * 1024


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
    if not initiative.is_published:
        raise PermissionDenied
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


def _require_moderator(user) -> None:
    if not (user and user.is_authenticated and user.has_role(Role.MODERATOR)):
        raise PermissionDenied


def _decide(item, user, decision: str, reason: str = "") -> None:
    if item.moderation != Moderation.PENDING:
        raise ValidationError(_("Hierover is al besloten."))
    if decision == Moderation.REJECTED and not reason.strip():
        raise ValidationError(_("Geef een reden om af te wijzen."))
    item.moderation = decision
    item.rejection_reason = reason.strip() if decision == Moderation.REJECTED else ""
    item.decided_at = timezone.now()
    item.decided_by = user


@transaction.atomic
def decide_comment(user, comment_id: int, decision: str, *, body: str | None = None, reason: str = "") -> Comment:
    _require_moderator(user)
    comment = Comment.objects.select_for_update().get(pk=comment_id)
    if decision not in (Moderation.APPROVED, Moderation.REJECTED, Moderation.SPAM):
        raise ValidationError(_("Onbekende keuze."))
    _decide(comment, user, decision, reason)
    if body is not None and body.strip() and body.strip() != comment.body:
        comment.body = body.strip()
        comment.edited_by_moderator = True
    comment.save()
    return comment


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
    _require_moderator(user)
    submission = Submission.objects.select_for_update().get(pk=submission_id)
    if decision not in (Moderation.APPROVED, Moderation.REJECTED, Moderation.SPAM):
        raise ValidationError(_("Onbekende keuze."))
    _decide(submission, user, decision, reason)
    if name:
        submission.name = name.strip()
    if place is not None:
        submission.place = place.strip()
    if description:
        submission.description = description.strip()
    if decision == Moderation.APPROVED:
        initiative = Initiative.objects.create(
            slug=_unique_slug(submission.name),
            name=submission.name,
            place=submission.place,
            summary=submission.description,
            links=[{"label": _("Meer informatie"), "url": submission.link}],
            is_published=False,
        )
        reindex(initiative)
        submission.initiative = initiative
    submission.save()
    return submission


@transaction.atomic
def publish_initiative(user, initiative_id: int) -> Initiative:
    _require_moderator(user)
    initiative = Initiative.objects.select_for_update().get(pk=initiative_id)
    initiative.is_published = True
    initiative.save(update_fields=["is_published", "updated_at"])
    return initiative


# --- Research reports ------------------------------------------------------------------------


def validate_pdf(uploaded) -> None:
    name = (uploaded.name or "").lower()
    if not name.endswith(".pdf"):
        raise ValidationError(_("Kies een pdf-bestand (naam eindigt op .pdf)."))
    if uploaded.size > PDF_MAX_BYTES:
        raise ValidationError(_("Het bestand is te groot. Het mag hoogstens 20 MB zijn."))
    content_type = getattr(uploaded, "content_type", "application/pdf")
    if content_type not in ("application/pdf", "application/x-pdf", "application/octet-stream"):
        raise ValidationError(_("Dit is geen pdf-bestand."))
    uploaded.seek(0)
    head = uploaded.read(5)
    uploaded.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Dit is geen pdf-bestand."))


@transaction.atomic
def attach_report_pdf(report: ResearchReport, uploaded) -> ResearchReport:
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
