"""The access log helper every feature uses to record reads and writes of personal data.

    log_access(request, "case.read", obj=case, subject=("household", case.household_id),
               purpose="case_management")

Rows hold codes, ids and a pseudonym of the client only (LOG-02, LOG-06).
"""

import re
import uuid

from django.db import transaction

from .models import AccessEvent, AccessLogHead
from .pseudonyms import pseudonym

_CODE = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")


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
    with transaction.atomic():
        head, _created = AccessLogHead.objects.select_for_update().get_or_create(pk=1)
        row = AccessEvent(
            seq=head.seq + 1,
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
            prev_hash=head.hash,
        )
        row.hash = row.compute_hash()
        row.save()
        head.seq = row.seq
        head.hash = row.hash
        head.save(update_fields=["seq", "hash"])
    return row


def verify_chain(batch_size: int = 5000) -> list[str]:
    """Recompute the chain; return a list of Dutch problem descriptions (empty when intact)."""
    problems: list[str] = []
    expected_prev = "0" * 64
    expected_seq = 1
    last_seq = 0
    qs = AccessEvent.objects.order_by("seq")
    for row in qs.iterator(chunk_size=batch_size):
        if row.seq != expected_seq:
            problems.append(f"Regel(s) {expected_seq}–{row.seq - 1} ontbreken (verwijderd).")
        if row.prev_hash != expected_prev:
            problems.append(f"Regel {row.seq}: de verwijzing naar de vorige regel klopt niet.")
        if row.compute_hash() != row.hash:
            problems.append(f"Regel {row.seq}: de inhoud is gewijzigd.")
        expected_prev = row.hash
        expected_seq = row.seq + 1
        last_seq = row.seq
    head = AccessLogHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last_seq or head.hash != expected_prev):
        problems.append(
            f"De laatste regel in het log ({last_seq}) komt niet overeen met de vastgelegde kop ({head.seq}): "
            "er zijn regels aan het eind verwijderd of gewijzigd."
        )
    return problems
