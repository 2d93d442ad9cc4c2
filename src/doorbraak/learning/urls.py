from django.urls import include, path

from . import views

app_name = "learning"

urlpatterns: list = [
    path("", views.dashboard, name="home"),
    path("patronen/", views.patterns, name="patterns"),
    path("cijfers-bijwerken/", views.refresh, name="refresh"),
    path("raadsrapportage/", views.report, name="report"),
    path("raadsrapportage/pdf/", views.report_request, name="report_request"),
    path("raadsrapportage/pdf/<uuid:pk>/", views.report_status, name="report_status"),
    path("raadsrapportage/pdf/<uuid:pk>/download/", views.report_download, name="report_download"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<slug:dataset>.csv", views.open_data_csv, name="open_data_csv"),
    path("", include("doorbraak.learning.urls_stories")),
    path("", include("doorbraak.learning.urls_themes")),
]
