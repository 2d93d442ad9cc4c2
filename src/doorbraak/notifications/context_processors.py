from django.core.cache import cache
from django.urls import reverse

from .services import nav_cache_key


def inbox_count(request):
    """The number of work items and new notifications next to "Overzicht" in the menu: read from the cache (set by
    the inbox, cleared by a new notification), so no page gains a database query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_count": cache.get(nav_cache_key(user.pk)), "inbox_count_url": reverse("core:home")}
