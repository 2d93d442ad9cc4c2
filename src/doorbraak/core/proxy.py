"""The client's address behind a reverse proxy (issue 14).

gunicorn passes the proxy's address as REMOTE_ADDR. Only when that direct peer is a trusted proxy
(settings.FORWARDED_ALLOW_IPS, the same variable gunicorn.conf.py uses for X-Forwarded-Proto) is REMOTE_ADDR
replaced by the right-most address in X-Forwarded-For that is not itself a trusted proxy. Anyone else's
X-Forwarded-For is ignored, so a visitor cannot pick an address to slip past the public forms' rate limit.
"""

from django.conf import settings


def client_from_forwarded(remote_addr: str, forwarded_for: str, trusted: list[str]) -> str:
    if "*" not in trusted and remote_addr not in trusted:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if "*" in trusted:  # every peer is trusted: the address the nearest proxy saw
        return hops[-1] if hops else remote_addr
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return remote_addr


class ForwardedForMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            request.META["REMOTE_ADDR"] = client_from_forwarded(
                request.META.get("REMOTE_ADDR", ""), forwarded, settings.FORWARDED_ALLOW_IPS
            )
        return self.get_response(request)
