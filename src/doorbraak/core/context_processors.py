from django.conf import settings

from .selectors import navigation_for


def doorbraak(request):
    user = getattr(request, "user", None)
    return {
        "DEMO": settings.DEMO,
        "nav_items": navigation_for(user) if user is not None else [],
    }
