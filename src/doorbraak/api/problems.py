"""RFC 9457 problem details on every API error (ADR-09/10/11): `application/problem+json` with type, title,
status, detail and instance; a 400 lists every invalid field at once in `invalidParams`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from doorbraak.core.access import Refusal, log_forbidden
from doorbraak.core.audit import log_access
from doorbraak.core.errors import RuleError
from doorbraak.core.form_tokens import DuplicateSubmission, ForeignToken
from doorbraak.core.models import AccessEvent

from .auth import acting_for

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Ongeldige invoer.",
    401: "Niet geauthenticeerd.",
    403: "Geen toegang.",
    404: "Niet gevonden.",
    405: "Methode niet toegestaan.",
    406: "Niet aanvaardbaar.",
    409: "Conflict met de toestand van de bron.",
    415: "Mediatype niet ondersteund.",
    429: "Te veel verzoeken.",
    500: "Interne serverfout.",
}


def problem(status_code: int, detail: str = "", *, request=None, **extra) -> dict:
    body = {
        "type": f"https://doorbraak.example.nl/api/v1/problemen/{status_code}",
        "title": TITLES.get(status_code, "Fout."),
        "status": status_code,
        "detail": str(detail or TITLES.get(status_code, "")),
    }
    if request is not None:
        body["instance"] = request.path[:200]
    body.update(extra)
    return body


def problem_response(status_code: int, detail: str = "", *, request=None, **extra) -> JsonResponse:
    """A plain Django response (middleware and URLconf handlers use it outside DRF)."""
    response = JsonResponse(problem(status_code, detail, request=request, **extra), status=status_code)
    response["Content-Type"] = PROBLEM_TYPE
    return response


# The services' field names, as the API calls them.
SERVICE_FIELDS = {
    "stuck_since": "vastgelopenSinds",
    "date_of_birth": "hoofdpersoon.geboortedatum",
    "bsn": "hoofdpersoon.bsn",
    "convened_on": "datum",
    "user": "genodigden",
    "title": "titel",
    "question": "hulpvraag",
    "tried": "geprobeerd",
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _invalid_params(detail, prefix="") -> list[dict]:
    """Flatten DRF's nested error structure into [{name, code, reason}], names in dotted camelCase."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "nonFieldErrors" if key == "non_field_errors" else str(key)  # the serializers' names are the API's
            out += _invalid_params(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            for item in detail:
                out.append(
                    {"name": prefix or "nonFieldErrors", "code": getattr(item, "code", "invalid"), "reason": str(item)}
                )
        else:
            for i, item in enumerate(detail):
                out += _invalid_params(item, f"{prefix}.{i}")
    else:
        out.append(
            {"name": prefix or "nonFieldErrors", "code": getattr(detail, "code", "invalid"), "reason": str(detail)}
        )
    return out


def _log_refusal(request, refusal: Refusal) -> None:
    user = getattr(request, "user", None)
    if refusal.logged or user is None or not user.is_authenticated:
        return
    log_access(
        request._request if hasattr(request, "_request") else request,
        refusal.event,
        action=AccessEvent.Action.READ,
        object_type=refusal.object_type,
        object_id=refusal.object_id if refusal.object_id is not None else (request.path[:64]),
        subject=refusal.subject,
        purpose=refusal.purpose,
        outcome=AccessEvent.Outcome.DENIED,
        reason=refusal.reason,
        on_behalf_of=acting_for(request),
    )
    refusal.logged = True


def _dutch_detail(exc) -> str:
    """DRF's own messages are English (DRF is a library here, not an installed app with its locale)."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Geef een toegangstoken mee (Authorization: Bearer ...).")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Deze methode is hier niet toegestaan.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Stuur de body als application/json.")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Deze API antwoordt alleen in JSON.")
    if isinstance(exc, exceptions.ParseError):
        return _("De body is geen geldige JSON.")
    detail = exc.detail if isinstance(exc.detail, str) else ""
    return str(detail or TITLES.get(exc.status_code, ""))


def exception_handler(exc, context):
    request = context["request"]
    headers = {}
    extra = {}
    if isinstance(exc, Refusal):
        _log_refusal(request, exc)
        status_code, detail = 404, _("Deze bron bestaat niet of u mag haar niet zien.")
    elif isinstance(exc, Http404 | exceptions.NotFound):
        status_code, detail = 404, _("Deze bron bestaat niet of u mag haar niet zien.")
    elif isinstance(exc, RuleError):
        if exc.field:
            status_code = 400
            name = SERVICE_FIELDS.get(exc.field, _camel(exc.field))
            extra["invalidParams"] = [{"name": name, "code": "rule", "reason": str(exc.message)}]
        else:
            status_code = 409
        detail = str(exc.message)
    elif isinstance(exc, DuplicateSubmission | ForeignToken):
        status_code, detail = 409, str(exc)
    elif isinstance(exc, PermissionDenied) and not isinstance(exc, exceptions.APIException):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            log_forbidden(request._request)
        status_code, detail = 403, _("U mag deze bewerking niet uitvoeren.")
    else:
        response = drf_exception_handler(exc, context)
        if response is None:
            return None
        status_code = response.status_code
        for name in ("WWW-Authenticate", "Retry-After", "Allow"):
            if name in response:
                headers[name] = response[name]
        if isinstance(exc, exceptions.ValidationError):
            detail = _("Een of meer velden zijn niet goed ingevuld.")
            extra["invalidParams"] = _invalid_params(exc.detail)
        elif isinstance(exc, exceptions.Throttled):
            detail = _("Te veel verzoeken; probeer het over %(s)s seconden opnieuw.") % {"s": int(exc.wait or 1)}
        else:
            detail = _dutch_detail(exc)
    response = Response(problem(status_code, detail, request=request, **extra), status=status_code, headers=headers)
    response.content_type = PROBLEM_TYPE
    return response


def api_not_found(request, exception=None):
    return problem_response(status.HTTP_404_NOT_FOUND, _("Deze bron bestaat niet."), request=request)
