"""What every /api/ response carries (ADR-05, ADR-06, ADR-09, ADR-14, ADR-15): the API-Version header, the
security headers, problem details instead of HTML error pages, no trailing-slash redirects, and CORS from an
allow-list (`*` only for the OpenAPI document and the public resources)."""

from django.conf import settings

from .problems import PROBLEM_TYPE, problem_response

API_PREFIX = "/api/"
PUBLIC_PREFIXES = ("/api/v1/openapi.", "/api/v1/initiatieven", "/api/v1/open-data")
ALLOWED_HEADERS = "Authorization, Content-Type, Acting-User"
EXPOSED_HEADERS = "API-Version, Link, X-Total-Count, Location, Retry-After"
API_CSP = "default-src 'none'; frame-ancestors 'none'"


def api_version() -> str:
    return settings.SPECTACULAR_SETTINGS["VERSION"]


def is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


class ApiResponseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(API_PREFIX):
            return self.get_response(request)
        origin = request.META.get("HTTP_ORIGIN", "")
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = self._preflight(path, origin)
        else:
            response = self._errors_as_problems(request, self.get_response(request))
        self._cors(response, path, origin)
        self._headers(request, response, path)
        return response

    @staticmethod
    def _preflight(path, origin):
        from django.http import HttpResponse

        response = HttpResponse(status=204)
        if origin and (is_public(path) or origin in settings.API_CORS_ALLOWED_ORIGINS):
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS" if not is_public(path) else "GET, OPTIONS"
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "600"
        return response

    @staticmethod
    def _errors_as_problems(request, response):
        # A trailing slash (or any other unknown /api/ path) is a 404, never a redirect (ADR-06).
        if response.status_code in (301, 302, 308) and response.get("Location", "").split("?")[0].endswith(
            request.path_info + "/"
        ):
            return problem_response(404, "Deze bron bestaat niet.", request=request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(PROBLEM_TYPE):
            detail = {404: "Deze bron bestaat niet.", 400: "Ongeldig verzoek.", 403: "Geen toegang."}.get(
                response.status_code, ""
            )
            return problem_response(response.status_code, detail, request=request)
        return response

    @staticmethod
    def _cors(response, path, origin):
        if is_public(path):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        elif origin and origin in settings.API_CORS_ALLOWED_ORIGINS:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if not is_public(path):
            response["Vary"] = ", ".join(filter(None, [response.get("Vary", ""), "Origin"]))

    @staticmethod
    def _headers(request, response, path):
        response["API-Version"] = api_version()
        response["X-Content-Type-Options"] = "nosniff"
        response["X-Frame-Options"] = "DENY"
        response["Content-Security-Policy"] = API_CSP
        response["Referrer-Policy"] = "no-referrer"
        response["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if not (is_public(path) and request.method in ("GET", "HEAD") and response.status_code == 200):
            response["Cache-Control"] = "no-store"
