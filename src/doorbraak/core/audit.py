"""The access log helper every feature uses to record reads and writes of personal data.

    log_access(request, "case.read", obj=case, subject=("household", case.household_id),
               purpose="case_management")

Rows hold codes, ids and a pseudonym of the client only (LOG-02, LOG-06). The rows form a chain keyed
with an HMAC key the database does not hold (settings.ACCESS_LOG_KEYS); signed checkpoints in a file
outside the database anchor the head (write_checkpoint, `manage.py checkpoint_access_log`), and
verify_chain() checks both. Guarantees and limits: docs/security.md.
"""

import base64
import datetime
import hashlib
import hmac
import json
import logging
import os
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .audit_codes import is_registered
from .models import AccessEvent, AccessLogHead
from .pseudonyms import pseudonym

logger = logging.getLogger(__name__)

_CODE = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")
ZERO_HASH = "0" * 64
KEYED_MARKER_EVENT = "security.log_keyed"  # first keyed row after legacy (unkeyed) rows: migration core.0006
CHECKPOINT_EVENT = "security.log_checkpoint"
HEAD_MISSING_EVENT = "security.log_head_missing"
DENIAL_BURST_EVENT = "security.denial_burst"
SECURITY_PURPOSE = "security_monitoring"


def _client_ip(request) -> str:
    if request is None:
        return ""
    return (request.META.get("REMOTE_ADDR") or "")[:45]


def log_access(
    request_or_user,
    event: str,
    *,
    action: str = AccessEvent.Action.READ,
    obj=None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    subject: tuple[str, object] | None = None,
    purpose: str = "case_management",
    outcome: str = AccessEvent.Outcome.SUCCESS,
    event_type: str = AccessEvent.EventType.NORMAL,
    on_behalf_of: str = "",
    reason: str = "",
) -> AccessEvent:
    """Append one access-log row. `subject` is (kind, id) of the client, stored only as a pseudonym."""
    if not _CODE.match(event) or not _CODE.match(purpose) or (reason and not _CODE.match(reason)):
        raise ValueError("event and purpose must be short codes, not free text")
    if not is_registered(event):
        logger.warning("Access-log event code %s is not in core/audit_codes.py EVENT_CODES", event)
    request = None
    user = request_or_user
    if hasattr(request_or_user, "META"):
        request = request_or_user
        user = getattr(request, "user", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    if not object_type:
        raise ValueError("log_access needs obj or object_type")
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    municipality = getattr(user, "municipality", None) if authenticated else None
    trace_id = getattr(request, "trace_id", "") if request is not None else ""
    fields = dict(
        action=action,
        event=event,
        event_type=event_type,
        outcome=outcome,
        purpose=purpose,
        actor_id=user.pk if authenticated else None,
        actor_username=user.get_username() if authenticated else "",
        actor_role=getattr(user, "role", "") if authenticated else "",
        on_behalf_of=on_behalf_of or (user.get_username() if authenticated else ""),
        municipality_code=municipality.code if municipality else "",
        network_address=_client_ip(request),
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        subject_pseudonym=pseudonym(*subject) if subject else "",
        reason=reason,
        trace_id=trace_id or uuid.uuid4().hex,
    )
    with transaction.atomic():
        head = _locked_head()
        row = _append(head, **fields)
        every = settings.ACCESS_LOG_CHECKPOINT_EVERY
        if every and row.seq % every == 0:
            try:
                _write_checkpoint_locked(head)
            except (OSError, ValueError):  # a full disk or a bad path must not break reads; verify will tell
                logger.exception("Could not write an access-log checkpoint")
    if outcome == AccessEvent.Outcome.DENIED:
        _check_denial_burst(request, user if authenticated else None, fields["network_address"])
    return row


def _locked_head() -> AccessLogHead:
    """The head row, locked. A fresh log gets one quietly; a missing head of a log with rows is an
    integrity alarm: it is rebuilt from the newest row and a security.log_head_missing event is appended
    (verify_access_log reports it), so logging and reading go on."""
    head = AccessLogHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    last = AccessEvent.objects.order_by("-seq").first()
    try:
        with transaction.atomic():
            AccessLogHead.objects.create(pk=1, seq=last.seq if last else 0, hash=last.hash if last else ZERO_HASH)
    except IntegrityError:  # a concurrent writer rebuilt it first
        pass
    head = AccessLogHead.objects.select_for_update().get(pk=1)
    if last is not None and head.seq == last.seq:
        _append(
            head,
            action=AccessEvent.Action.EXECUTE,
            event=HEAD_MISSING_EVENT,
            event_type=AccessEvent.EventType.NORMAL,
            outcome=AccessEvent.Outcome.FAILURE,
            purpose=SECURITY_PURPOSE,
            actor_id=None,
            actor_username="",
            actor_role="",
            on_behalf_of="",
            municipality_code="",
            network_address="",
            object_type="core.accessloghead",
            object_id="1",
            subject_pseudonym="",
            reason="integrity",
            trace_id=uuid.uuid4().hex,
        )
    return head


def _append(head: AccessLogHead, **fields) -> AccessEvent:
    row = AccessEvent(seq=head.seq + 1, prev_hash=head.hash, key_id=settings.ACCESS_LOG_KEY_ID, **fields)
    row.hash = row.compute_hash()
    row.save()
    head.seq = row.seq
    head.hash = row.hash
    head.save(update_fields=["seq", "hash"])
    return row


# Denial bursts (issue 10 part 4) -------------------------------------------------------------------


def _check_denial_burst(request, user, address: str) -> None:
    """One indexed, bounded count per denied event (at most threshold + 1 index entries are read); above the
    threshold, one denial_burst signal per window (count = threshold + 1: "more than the threshold")."""
    threshold = settings.ACCESS_LOG_DENIAL_BURST_THRESHOLD
    window = settings.ACCESS_LOG_DENIAL_BURST_WINDOW_SECONDS
    since = timezone.now() - datetime.timedelta(seconds=window)
    denied = AccessEvent.objects.filter(outcome=AccessEvent.Outcome.DENIED, occurred_at__gte=since)
    if user is not None:
        count = denied.filter(actor_id=user.pk)[: threshold + 1].count()
        target = ("core.user", str(user.pk))
    elif address:
        count = denied.filter(actor_id__isnull=True, network_address=address)[: threshold + 1].count()
        target = ("core.network_address", address)
    else:
        return
    if count <= threshold:
        return
    if AccessEvent.objects.filter(
        object_type=target[0], object_id=target[1], event=DENIAL_BURST_EVENT, occurred_at__gte=since
    ).exists():
        return
    from .signals import denial_burst

    denial_burst.send(
        sender=AccessEvent, request=request, user=user, network_address=address, count=count, window_seconds=window
    )


# Checkpoints: the head anchored outside the database ------------------------------------------------


def _signing_key():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = base64.b64decode(settings.ACCESS_LOG_CHECKPOINT_SIGNING_KEY)
    if len(raw) != 32:
        raise ValueError("ACCESS_LOG_CHECKPOINT_SIGNING_KEY must be base64 of 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


def _public_raw(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_fingerprint(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


def trusted_public_keys() -> dict:
    """kid -> Ed25519PublicKey: the current signing key's public half plus ACCESS_LOG_CHECKPOINT_PUBLIC_KEYS."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raws = [base64.b64decode(k) for k in settings.ACCESS_LOG_CHECKPOINT_PUBLIC_KEYS]
    try:
        raws.append(_public_raw(_signing_key().public_key()))
    except ValueError:
        pass
    return {key_fingerprint(raw): Ed25519PublicKey.from_public_bytes(raw) for raw in raws if len(raw) == 32}


def _canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def checkpoint_path() -> Path:
    return Path(settings.ACCESS_LOG_CHECKPOINT_FILE)


def _last_line(path: Path) -> str:
    """The file's last non-empty line, read from the end (the file grows for years)."""
    if not path.exists():
        return ""
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        end = fh.tell()
        chunk = b""
        pos = end
        while pos > 0:
            step = min(4096, pos)
            pos -= step
            fh.seek(pos)
            chunk = fh.read(step) + chunk
            lines = [line for line in chunk.split(b"\n") if line.strip()]
            if len(lines) >= 2 or (pos == 0 and lines):
                return lines[-1].decode()
        return ""


def write_checkpoint() -> dict:
    """Append one signed checkpoint (head seq and hash) to the checkpoint file and record it in the chain."""
    with transaction.atomic():
        head = _locked_head()
        return _write_checkpoint_locked(head)


def _write_checkpoint_locked(head: AccessLogHead) -> dict:
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = _last_line(path)
    try:
        number = int(json.loads(previous)["n"]) + 1 if previous else 1
    except (ValueError, KeyError, TypeError):
        raise ValueError("the last line of the checkpoint file is not a checkpoint; run verify_access_log")
    key = _signing_key()
    body = {
        "v": 1,
        "n": number,
        "seq": head.seq,
        "hash": head.hash,
        "at": timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "prev": hashlib.sha256(previous.encode()).hexdigest() if previous else ZERO_HASH,
        "kid": key_fingerprint(_public_raw(key.public_key())),
    }
    body["sig"] = base64.b64encode(key.sign(_canonical(body).encode())).decode()
    line = _canonical(body)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    _append(
        head,
        action=AccessEvent.Action.EXECUTE,
        event=CHECKPOINT_EVENT,
        event_type=AccessEvent.EventType.NORMAL,
        outcome=AccessEvent.Outcome.SUCCESS,
        purpose=SECURITY_PURPOSE,
        actor_id=None,
        actor_username="",
        actor_role="",
        on_behalf_of="",
        municipality_code="",
        network_address="",
        object_type="core.accesslogcheckpoint",
        object_id=str(number),
        subject_pseudonym="",
        reason="",
        trace_id=uuid.uuid4().hex,
    )
    return body


def _read_checkpoints(path: Path, problems: list[str]) -> list[dict]:
    """Parse and check the checkpoint file itself: numbering, the chain of digests, signatures."""
    checkpoints: list[dict] = []
    if not path.exists():
        return checkpoints
    keys = trusted_public_keys()
    prev_digest = ZERO_HASH
    expected = 1
    with path.open(encoding="utf-8", errors="replace") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.strip()
            if not line:
                continue
            try:
                data = json.loads(line)
                body = {k: data[k] for k in ("v", "n", "seq", "hash", "at", "prev", "kid")}
                signature = base64.b64decode(data["sig"], validate=True)
                if not all(isinstance(data[k], int) and not isinstance(data[k], bool) for k in ("n", "seq")) or not all(
                    isinstance(data[k], str) for k in ("hash", "at", "prev", "kid")
                ):
                    raise TypeError("wrong field types")
            except (ValueError, KeyError, TypeError, AttributeError):
                problems.append(f"Checkpointbestand regel {lineno}: onleesbaar.")
                prev_digest = hashlib.sha256(line.encode()).hexdigest()
                expected += 1
                continue
            label = f"Checkpoint {data['n']} (regel {lineno} van het checkpointbestand)"
            key = keys.get(data["kid"])
            if key is None:
                problems.append(f"{label}: ondertekend met een onbekende sleutel.")
            else:
                from cryptography.exceptions import InvalidSignature

                try:
                    key.verify(signature, _canonical(body).encode())
                except InvalidSignature:
                    problems.append(f"{label}: de handtekening klopt niet (de regel is gewijzigd).")
            if data["n"] != expected:
                problems.append(f"{label}: verwacht was checkpoint {expected} (checkpoints ontbreken of zijn dubbel).")
            if data["prev"] != prev_digest:
                problems.append(f"{label}: de verwijzing naar het vorige checkpoint klopt niet.")
            if checkpoints and data["seq"] < checkpoints[-1]["seq"]:
                problems.append(f"{label}: het volgnummer is lager dan dat van het vorige checkpoint.")
            checkpoints.append(data)
            prev_digest = hashlib.sha256(line.encode()).hexdigest()
            expected = data["n"] + 1
    return checkpoints


# Verification -----------------------------------------------------------------------------------------


def verify_chain(batch_size: int = 5000, *, checkpoints: bool = True) -> list[str]:
    """Verify the keyed chain, the head, the database guards and (unless checkpoints=False) every
    checkpoint. Returns Dutch problem descriptions (empty when intact)."""
    from .db.guards import missing_triggers

    problems: list[str] = []
    keys = settings.ACCESS_LOG_KEYS
    cps: list[dict] = []
    cp_path = checkpoint_path()
    if checkpoints:
        cps = _read_checkpoints(cp_path, problems)
    cps_by_seq: dict[int, list[dict]] = {}
    for cp in cps:
        cps_by_seq.setdefault(cp["seq"], []).append(cp)
    cp_numbers = {cp["n"] for cp in cps}
    # each checkpoint's own chain event is the row right after the seq it signs
    cp_event_seqs = {cp["seq"] + 1: cp for cp in cps}
    cp_events_found: set[int] = set()

    expected_prev = ZERO_HASH
    expected_seq = 1
    last_seq = 0
    legacy_last = 0
    seen_keyed = False
    checkpoint_events: list[tuple[int, str]] = []
    for row in AccessEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if row.seq != expected_seq:
            problems.append(f"Regel(s) {expected_seq}–{row.seq - 1} ontbreken (verwijderd).")
        if row.prev_hash != expected_prev:
            problems.append(f"Regel {row.seq}: de verwijzing naar de vorige regel klopt niet.")
        if row.key_id == 0:
            if seen_keyed:
                problems.append(f"Regel {row.seq}: niet met de sleutel beveiligd (na de overgang naar sleutels).")
            else:
                legacy_last = row.seq
        elif not seen_keyed:
            seen_keyed = True
            if legacy_last and not (row.event == KEYED_MARKER_EVENT and row.object_id == str(legacy_last)):
                problems.append(
                    f"Regels tot en met {legacy_last} zijn niet met de sleutel beveiligd en niet afgesloten "
                    "met een sleutelovergang: de keten is zonder sleutel herberekend."
                )
        if row.key_id and row.key_id not in keys:
            problems.append(f"Regel {row.seq}: onbekende sleutel (key_id {row.key_id}); niet te controleren.")
        elif not hmac.compare_digest(row.compute_hash(keys), row.hash):
            problems.append(f"Regel {row.seq}: de inhoud is gewijzigd.")
        if row.event == HEAD_MISSING_EVENT:
            problems.append(f"Regel {row.seq}: alarm: de kop van het log ontbrak en is hersteld; onderzoek dit.")
        elif row.event == CHECKPOINT_EVENT:
            checkpoint_events.append((row.seq, row.object_id))
        cp = cp_event_seqs.get(row.seq)
        if cp is not None and row.event == CHECKPOINT_EVENT and row.object_id == str(cp["n"]):
            cp_events_found.add(cp["n"])
        for cp in cps_by_seq.pop(row.seq, []):
            if not hmac.compare_digest(str(cp["hash"]), row.hash):
                problems.append(
                    f"Checkpoint {cp['n']}: regel {row.seq} heeft niet de vastgelegde hash; "
                    "het log is na het checkpoint herschreven."
                )
        expected_prev = row.hash
        expected_seq = row.seq + 1
        last_seq = row.seq
    if legacy_last and not seen_keyed:
        problems.append(
            f"Regels tot en met {legacy_last} zijn niet met de sleutel beveiligd en niet afgesloten "
            "met een sleutelovergang: de keten is zonder sleutel herberekend."
        )
    for seq, found in sorted(cps_by_seq.items()):
        for cp in found:
            if seq == 0 and cp["hash"] == ZERO_HASH:
                continue  # a checkpoint of the empty log
            problems.append(f"Checkpoint {cp['n']}: regel {seq} ontbreekt in het log; het log is ingekort of geleegd.")
    head = AccessLogHead.objects.filter(pk=1).first()
    if head is None:
        if last_seq:
            problems.append("De kop van het toegangslog ontbreekt (verwijderd): alarm.")
    elif head.seq != last_seq or head.hash != expected_prev:
        problems.append(
            f"De laatste regel in het log ({last_seq}) komt niet overeen met de vastgelegde kop ({head.seq}): "
            "er zijn regels aan het eind verwijderd of gewijzigd, of de kop is verzet."
        )
    if checkpoints:
        if cps and head is not None and head.seq < cps[-1]["seq"]:
            problems.append(f"De kop van het log ({head.seq}) staat achter het nieuwste checkpoint ({cps[-1]['seq']}).")
        for cp in cps:
            if cp["n"] not in cp_events_found:
                problems.append(
                    f"Checkpoint {cp['n']}: regel {cp['seq'] + 1} van het log is niet de regel van dit checkpoint "
                    "(verwijderd of vervangen; het log is na het checkpoint ingekort)."
                )
        for seq, number in checkpoint_events:
            if not number.isdigit() or int(number) not in cp_numbers:
                problems.append(
                    f"Regel {seq}: checkpoint {number} ontbreekt in het checkpointbestand (verwijderd of vervangen)."
                )
        if last_seq and not cps:
            problems.append(
                f"Er zijn geen checkpoints in {cp_path}: het log is niet buiten de database verankerd "
                "(draai manage.py checkpoint_access_log)."
            )
    for name in missing_triggers(connection):
        problems.append(f"De databasebeveiliging {name} ontbreekt of staat uit.")
    return problems
