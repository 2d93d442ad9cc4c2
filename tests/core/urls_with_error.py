"""The real URLconf plus one view that fails, to test the 500 page (SEC-15)."""

from django.urls import path

from doorbraak.urls import handler400, handler403, handler404, handler500  # noqa: F401
from doorbraak.urls import urlpatterns as real_patterns


def boom(request):
    raise RuntimeError("geheime details")


urlpatterns = [path("test-fout/", boom), *real_patterns]
