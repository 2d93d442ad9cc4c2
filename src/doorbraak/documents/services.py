"""Documents: upload, download and the retention purge (issue 16). The rules are checked here, not in the views.

Upload: the owner's need-to-know gate (documents.owners), the rule `documents.upload`, then the file itself:
not empty, at most DOCUMENT_MAX_MB, its type read from the content with libmagic (python-magic) and allowed
(PDF, images, office documents; never HTML, SVG, scripts or programs), its name's extension matching that type,
and the virus scan (documents.scan; ClamAV when CLAMAV_ADDRESS is set, and plainly "not scanned" when it is not).
The bytes go to PRIVATE_FILES_ROOT/documents/<municipality>/<32 random hex> (no extension, outside the web root);
the row, the timeline entry and the access event follow in one transaction.

Download: the same owner gate (404 and a denied event for anyone else), then an access event for every download.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import unicodedata
from pathlib import Path

import magic
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from doorbraak.cases.models import Case
from doorbraak.cases.services import add_timeline
from doorbraak.core.access import NOT_FOUND, deny, get_visible_or_404
from doorbraak.core.audit import log_access
from doorbraak.core.errors import RuleError
from doorbraak.core.form_tokens import claim_form_token
from doorbraak.core.models import AccessEvent
from doorbraak.core.permissions import require

from . import owners, scan
from .models import Document, DocumentKind, ScanStatus, retention_date

logger = logging.getLogger(__name__)

# What may be stored: the type libmagic reads from the content -> the extensions a name of that type may have.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "image/tiff": (".tif", ".tiff"),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "application/vnd.oasis.opendocument.presentation": (".odp",),
}
ALLOWED_LABEL = _(
    "PDF, een afbeelding (PNG, JPEG, GIF, WebP, TIFF) of een kantoordocument (Word, Excel, PowerPoint, OpenDocument)"
)
NOT_SCANNED_MESSAGE = _("Let op: het bestand is niet op virussen gescand, want er is geen virusscanner ingesteld.")
SCANNED_MESSAGE = _("Het bestand is op virussen gescand; er is niets gevonden.")


def max_bytes() -> int:
    return settings.DOCUMENT_MAX_MB * 1024 * 1024


def too_large_message(size: int | None = None) -> str:
    if size is None:
        return _("Dit bestand is te groot. Een document mag hoogstens %(max)s MB zijn.") % {
            "max": settings.DOCUMENT_MAX_MB
        }
    return _("Dit bestand is %(size)s MB; een document mag hoogstens %(max)s MB zijn.") % {
        "size": f"{size / (1024 * 1024):.1f}".replace(".", ","),
        "max": settings.DOCUMENT_MAX_MB,
    }


def root() -> Path:
    return Path(settings.PRIVATE_FILES_ROOT)


def path_of(document: Document) -> Path:
    return root() / "documents" / str(document.municipality_id) / document.storage_name


def clean_file_name(name: str) -> str:
    """The name as the user's browser will get it back: no folders, no control or bidi characters, bounded."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = name.strip().strip(".") or "document"
    stem, ext = os.path.splitext(name)
    return stem[: 190 - len(ext[:10])] + ext[:10].lower()


def check_content(name: str, data: bytes) -> str:
    """The content type of `data` when it may be stored under `name`; RuleError (Dutch, field "file") otherwise."""
    if not data:
        raise RuleError(_("Dit bestand is leeg. Kies het document opnieuw."), field="file")
    if len(data) > max_bytes():
        raise RuleError(too_large_message(len(data)), field="file")
    content_type = magic.from_buffer(data, mime=True)
    extensions = ALLOWED_TYPES.get(content_type)
    if extensions is None:
        raise RuleError(
            _("Dit soort bestand kan niet worden opgeslagen (de inhoud is geen toegestaan document). Kies %(allowed)s.")
            % {"allowed": ALLOWED_LABEL},
            field="file",
        )
    ext = os.path.splitext(name)[1].lower()
    if ext not in extensions:
        raise RuleError(
            _(
                "De naam van het bestand eindigt op %(ext)s, maar de inhoud is van een ander soort (%(kind)s). "
                "Kies het juiste bestand of geef het de juiste naam."
            )
            % {"ext": ext or _("(niets)"), "kind": extensions[0]},
            field="file",
        )
    return content_type


def _virus_scan(user, data: bytes, case) -> str:
    try:
        result = scan.scan(data)
    except scan.Infected as infected:
        logger.warning("document upload refused: clamd found %s", infected.signature)
        log_access(
            user,
            "document.upload",
            action=AccessEvent.Action.CREATE,
            object_type="documents.document",
            subject=owners.subject_of(case),
            outcome=AccessEvent.Outcome.DENIED,
            reason="virus_found",
        )
        raise RuleError(
            _("De virusscanner heeft in dit bestand een virus gevonden (%(name)s). Het is niet opgeslagen.")
            % {"name": infected.signature},
            field="file",
        ) from None
    except scan.ScannerUnavailable as error:
        logger.error("document upload refused: clamd at CLAMAV_ADDRESS did not answer (%s)", error)
        raise RuleError(
            _("De virusscanner is nu niet bereikbaar, dus het bestand is niet opgeslagen. Probeer het later opnieuw."),
            field="file",
        ) from None
    if result is scan.Result.NOT_CONFIGURED:
        logger.warning("document stored without a virus scan: CLAMAV_ADDRESS is not set")
        return ScanStatus.NOT_SCANNED
    return ScanStatus.CLEAN


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.part")
    with temporary.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def upload(user, case_id, owner_type: str, owner_id, *, kind: str, file, token=None) -> tuple[Document, str]:
    """Store one document with its owner. Returns (document, the message about the virus scan)."""
    case, owner = owners.resolve(user, case_id, owner_type, owner_id)
    require("documents.upload", user, owner, _("U mag geen documenten toevoegen."))
    if case.status == Case.Status.CLOSED:
        raise RuleError(_("Deze casus is afgesloten; er kunnen geen documenten meer bij."))
    if kind not in DocumentKind.values:
        raise RuleError(_("Kies wat voor document dit is."), field="kind")
    if file is None:
        raise RuleError(_("Kies een bestand."), field="file")
    if file.size is not None and file.size > max_bytes():
        raise RuleError(too_large_message(file.size), field="file")
    data = file.read(max_bytes() + 1)
    name = clean_file_name(file.name)
    content_type = check_content(name, data)
    scan_status = _virus_scan(user, data, case)
    document = Document(
        municipality_id=case.municipality_id,
        case=case,
        owner_type=owner_type,
        owner_id=owner.pk,
        kind=kind,
        file_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_name=secrets.token_hex(16),
        scan_status=scan_status,
        retention_until=retention_date(kind, timezone.localdate()),
        uploaded_by=user,
    )
    path = path_of(document)
    with transaction.atomic():
        claim_form_token(user, token, purpose="documents.upload", obj=case)
        document.save()
        add_timeline(
            case,
            user,
            "document.uploaded",
            _("Document toegevoegd (%(kind)s) bij %(owner)s")
            % {"kind": document.get_kind_display().lower(), "owner": document.get_owner_type_display()},
        )
        log_access(
            user, "document.upload", action=AccessEvent.Action.CREATE, obj=document, subject=owners.subject_of(case)
        )
        _write(path, data)
    message = NOT_SCANNED_MESSAGE if scan_status == ScanStatus.NOT_SCANNED else SCANNED_MESSAGE
    return document, message


def open_document(user, case_id, pk):
    """(document, open binary file) for a user who may see the document's owner; 404 (logged) for anyone else and
    for a document whose file is gone. Every download is an access event."""
    with scopes_disabled():
        found = Document.objects.filter(pk=pk, case_id=case_id).values("owner_type", "owner_id").first()
    if found is None:
        # No such document under this case: the case's own gate first (outsiders learn nothing), then not found.
        get_visible_or_404(user, Document.objects.none(), pk, event="document.download")
    case, _owner = owners.resolve(user, case_id, found["owner_type"], found["owner_id"])
    document = Document.objects.get(pk=pk)
    require("documents.download", user, document, _("U mag dit document niet openen."))
    path = path_of(document)
    if not path.is_file():
        raise deny(user, reason=NOT_FOUND, event="document.download", object_type="documents.document", object_id=pk)
    handle = path.open("rb")
    log_access(user, "document.download", action=AccessEvent.Action.READ, obj=document, subject=owners.subject_of(case))
    return document, handle


def purge_expired(today=None) -> int:
    """Delete the documents whose retention date has passed (file, then row); returns how many."""
    today = today or timezone.localdate()
    with scopes_disabled():
        expired = list(Document.objects.filter(retention_until__lt=today))
        for document in expired:
            path_of(document).unlink(missing_ok=True)
        Document.objects.filter(pk__in=[d.pk for d in expired]).delete()
    if expired:
        logger.info("purged %s expired documents", len(expired))
    return len(expired)
