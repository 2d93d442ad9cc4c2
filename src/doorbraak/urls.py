from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from doorbraak.core import health
from doorbraak.core.admin_site import configure_admin

configure_admin(admin.site)

urlpatterns = [
    # Probes (answered earlier by core.health.HealthProbeMiddleware; here too so the URLs are named).
    path("_healthz/livez", health.livez, name="livez"),
    path("_healthz/readyz", health.readyz, name="readyz"),
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("doorbraak.core.urls")),
    path("casussen/", include("doorbraak.cases.urls")),
    path("casussen/<int:case_id>/platform/", include("doorbraak.platforms.urls")),
    path("casussen/<int:case_id>/plan/", include("doorbraak.budget.plan_urls")),
    path("budget/", include("doorbraak.budget.urls")),
    path("casussen/<int:case_id>/verhaal/", include("doorbraak.learning.urls_case_story")),
    path("leren/", include("doorbraak.learning.urls")),
    path("precedenten/", include("doorbraak.learning.urls_public")),
    path("open-data/", include("doorbraak.learning.urls_open_data")),
    path("initiatieven/", include("doorbraak.initiatives.urls")),
    # --- issue 16: notifications ---
    path("meldingen/", include("doorbraak.notifications.urls")),
    path("bijeenkomsten/", include("doorbraak.meetings.urls")),  # issue 18
    path("api/v1/", include("doorbraak.api.urls")),  # issue 17
    # --- issue 17: import and export ---
    path("gegevens/", include("doorbraak.transfer.urls")),
    # --- issue 16: documents ---
    path("casussen/<int:case_id>/documenten/", include("doorbraak.documents.urls")),
]

handler400 = "doorbraak.core.views.bad_request"
handler403 = "doorbraak.core.views.permission_denied"
handler404 = "doorbraak.core.views.page_not_found"
handler500 = "doorbraak.core.views.server_error"

admin.site.site_header = _("Doorbraak – beheer")
