from django.urls import include, path

from . import views

app_name = "learning"

urlpatterns: list = [
    path("", views.dashboard, name="home"),
    path("patronen/", views.patterns, name="patterns"),
    path("cijfers-bijwerken/", views.refresh, name="refresh"),
    path("raadsrapportage/", views.report, name="report"),
    path("raadsrapportage.pdf", views.report_pdf, name="report_pdf"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<slug:dataset>.csv", views.open_data_csv, name="open_data_csv"),
    path("", include("doorbraak.learning.urls_stories")),
    path("", include("doorbraak.learning.urls_themes")),
]
