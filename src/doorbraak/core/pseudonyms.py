"""Keyed pseudonyms (HMAC-SHA256): stable per subject, not reversible without PSEUDONYM_KEY (AVG-09)."""

import hashlib
import hmac

from django.conf import settings


def pseudonym(kind: str, identifier) -> str:
    """Return a 32-hex-character pseudonym for (kind, identifier), e.g. ("household", 42)."""
    message = f"{kind}:{identifier}".encode()
    return hmac.new(settings.PSEUDONYM_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]
