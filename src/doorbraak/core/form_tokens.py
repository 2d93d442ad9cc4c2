"""One-time form tokens (issue 11, moved from cases): every write form carries a hidden UUID; the service claims
it in its own transaction, so a double submit changes nothing and a token of another user or object is refused.

    claim_form_token(user, token, purpose="budget.pay", obj=plan)   # inside transaction.atomic()

`purge_form_tokens` (a task, scheduled nightly in doorbraak/schedule.py) deletes tokens older than any session.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from .models import FormToken
from .tasks import retried_task

# A form token only has to outlive the form it was rendered in; a form lives at most one session (10 hours).
FORM_TOKEN_RETENTION_DAYS = 2

REPLAY_MESSAGE = _lazy("Dit formulier was al verstuurd; er is niets opnieuw opgeslagen.")


class DuplicateSubmission(Exception):
    """The same form was submitted twice; the first submit counts, the second changes nothing."""

    message = REPLAY_MESSAGE


class ForeignToken(DuplicateSubmission):
    """The one-time token was used before by another user, for another purpose or for another object: refused.
    A subclass of DuplicateSubmission so every caller that stops on a replay also stops on this (nothing is
    written); `message` says what happened."""

    message = _lazy(
        "Dit formulier hoort bij een andere gebruiker of een ander dossier; er is niets opgeslagen. "
        "Open het formulier opnieuw."
    )


def _object_key(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower[:60], str(obj.pk)[:40]


def claim_form_token(user, token, *, purpose: str = "", obj=None) -> None:
    """Record a one-time form token, bound to the user, the purpose and the object. Call inside atomic().

    Raises DuplicateSubmission if this user used it before for the same purpose and object (a double submit),
    ForeignToken if it was used by someone else or for something else."""
    if token is None:
        return
    object_type, object_id = _object_key(obj)
    try:
        with transaction.atomic():
            FormToken.objects.create(
                token=token, user=user, purpose=purpose[:60], object_type=object_type, object_id=object_id
            )
    except IntegrityError as exc:
        used = FormToken.objects.filter(token=token).first()
        if used is not None and (used.user_id, used.purpose, used.object_type, used.object_id) == (
            user.pk,
            purpose[:60],
            object_type,
            object_id,
        ):
            raise DuplicateSubmission from exc
        raise ForeignToken from exc


def purge_expired(days: int = FORM_TOKEN_RETENTION_DAYS, now=None) -> int:
    """Delete form tokens used more than `days` days ago (longer than any session, so the form they guard
    can no longer be submitted); returns the number deleted. Idempotent."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    with transaction.atomic():
        deleted, _per_model = FormToken.objects.filter(used_at__lt=cutoff).delete()
    return deleted


@retried_task
def purge_form_tokens(days: int = FORM_TOKEN_RETENTION_DAYS) -> int:
    """The nightly purge (doorbraak/schedule.py)."""
    return purge_expired(days=days)
