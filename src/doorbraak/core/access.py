"""Refused reads are access events (NEN 7513, issue 10 part 4).

Every gate that answers 404 or 403 to a logged-in user goes through this module, so the refusal lands in the
access log with outcome "denied" and a reason code, while the user sees exactly the page an unknown id gives:

    case = get_visible_or_404(request, Case.objects.visible_to(user), case_id,
                              subject=lambda c: ("household", c.household_id))
    raise deny(request)                        # a role-gated page: 404 + reason "role"
    raise RoleForbidden                        # a 403 with reason "role" (logged by the 403 handler)

Reasons (short codes, never free text):
- ``tenancy``       the object exists in another municipality;
- ``need_to_know``  the object exists in the user's municipality but is not visible to this user;
- ``role``          the user's role may not open this page at all;
- ``forbidden``     any other 403 (PermissionDenied from a service, a lead-only action);
- ``csrf``          a logged-in user's POST failed the CSRF check (core.views.csrf_failure);
- ``not_found``     the id does not exist at all. Logged too (without a client pseudonym): a burst of unknown ids
                    is how enumeration shows, and the answer is the same 404 either way.

The helpers accept a request or a user (selectors have only the user). The Refusal exception carries the event
and RefusalLogMiddleware writes it with the request (network address, trace id) once the exception has left the
view, so a transaction the view or a service had open and rolls back cannot take the event with it. Django then
renders the ordinary 404 page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django_scopes import scopes_disabled

from .audit import log_access
from .models import AccessEvent

TENANCY = "tenancy"
NEED_TO_KNOW = "need_to_know"
ROLE = "role"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"

_CODE = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")  # the access log's code format
Subject = tuple[str, object] | Callable[[object], tuple[str, object] | None] | None


def _split(request_or_user):
    """(request or None, user or None)."""
    if hasattr(request_or_user, "META"):
        return request_or_user, getattr(request_or_user, "user", None)
    return None, request_or_user


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None) if request is not None else None
    return (match.view_name if match is not None and match.view_name else "")[:64]


class Refusal(Http404):
    """A 404 that is also a denied access event. Django renders it as the ordinary 404 page."""

    def __init__(
        self,
        event: str,
        *,
        reason: str,
        object_type: str,
        object_id=None,
        subject=None,
        purpose: str = "case_management",
        user=None,
    ):
        super().__init__()
        self.event = event
        self.reason = reason
        self.object_type = object_type
        self.object_id = object_id
        self.subject = subject
        self.purpose = purpose
        self.user = user
        self.logged = False

    def log(self, request_or_user) -> None:
        """Write the event once (no-op for anonymous visitors and when already written)."""
        if self.logged:
            return
        request, user = _split(request_or_user)
        if not _authenticated(user):
            user = self.user
        if not _authenticated(user):
            return
        object_id = self.object_id
        if object_id is None and self.object_type == "page":
            object_id = _view_name(request)
        log_access(
            request if request is not None and _authenticated(request.user) else user,
            self.event,
            action=AccessEvent.Action.READ,
            object_type=self.object_type,
            object_id=object_id,
            subject=self.subject,
            purpose=self.purpose,
            outcome=AccessEvent.Outcome.DENIED,
            reason=self.reason,
        )
        self.logged = True


class RoleForbidden(PermissionDenied):
    """A 403 because of the user's role; the 403 handler logs it with reason "role"."""

    reason = ROLE


def _subject_of(subject: Subject, obj):
    if subject is None or obj is None:
        return None
    return subject(obj) if callable(subject) else subject


def get_visible_or_404(
    request_or_user,
    visible_qs,
    pk,
    *,
    model=None,
    event: str | None = None,
    subject: Subject = None,
    reason_if_hidden: str = NEED_TO_KNOW,
    purpose: str = "case_management",
    **lookup,
):
    """The object `pk` from `visible_qs` (the user's need-to-know queryset, plus any extra `lookup` such as
    case=case), or a Refusal (Http404) that RefusalLogMiddleware writes to the access log.

    When the object is not visible but exists (looked up unscoped through the model's base manager), the
    reason is ``tenancy`` for another municipality and `reason_if_hidden` otherwise; an unknown id is
    ``not_found``. `subject` is (kind, id) or a function of the hidden object returning it, so the client's
    pseudonym is on the refusal too.
    """
    _request, user = _split(request_or_user)
    model = model or visible_qs.model
    try:
        return visible_qs.get(pk=pk, **lookup)
    except model.DoesNotExist:
        pass
    except (ValueError, TypeError, ValidationError):
        pk = None
    hidden = subject_value = None
    if pk is not None:
        with scopes_disabled():
            hidden = model._base_manager.filter(pk=pk).first()
            subject_value = _subject_of(subject, hidden)
    if hidden is None:
        reason = NOT_FOUND
    elif getattr(hidden, "municipality_id", None) != getattr(user, "municipality_id", None):
        reason = TENANCY
    else:
        reason = reason_if_hidden
    refusal = Refusal(
        event or f"{model._meta.model_name}.read",
        reason=reason,
        object_type=model._meta.label_lower,
        object_id="" if pk is None else str(pk)[:64],
        subject=subject_value,
        purpose=purpose,
        user=user,
    )
    raise refusal


def deny(
    request_or_user,
    *,
    reason: str = ROLE,
    event: str = "page.read",
    object_type: str = "page",
    object_id=None,
    subject: tuple[str, object] | None = None,
    purpose: str = "case_management",
) -> Refusal:
    """A refusal for a page or object the user may not reach (``raise deny(request)``): 404 plus a denied event.
    For object_type "page" the object id is the URL name (for example learning:home)."""
    _request, user = _split(request_or_user)
    return Refusal(
        event, reason=reason, object_type=object_type, object_id=object_id, subject=subject, purpose=purpose, user=user
    )


def log_forbidden(request, exception=None, *, reason: str = "") -> None:
    """The 403 handler's part: a denied event for a logged-in user; the reason is given, or taken from the exception
    (RoleForbidden: "role"), or "forbidden"."""
    user = getattr(request, "user", None)
    if not _authenticated(user):
        return
    reason = reason or getattr(exception, "reason", "")
    if not isinstance(reason, str) or not _CODE.match(reason):
        reason = FORBIDDEN
    log_access(
        request,
        "page.read" if request.method in ("GET", "HEAD") else "page.write",
        action=AccessEvent.Action.READ if request.method in ("GET", "HEAD") else AccessEvent.Action.EXECUTE,
        object_type="page",
        object_id=_view_name(request),
        outcome=AccessEvent.Outcome.DENIED,
        purpose="case_management",
        reason=reason,
    )
