"""The learning namespace under /leren/: its three sub-domains (insights, stories, themes) each list their routes."""

from django.urls import include, path

app_name = "learning"

urlpatterns: list = [
    path("", include("doorbraak.learning.insights.urls")),
    path("", include("doorbraak.learning.stories.urls")),
    path("", include("doorbraak.learning.themes.urls")),
]
