"""/api/v1 (namespace "api"). No pattern ends in a slash: a trailing slash is a 404 (ADR-06)."""

from django.urls import path

from . import schema, views

app_name = "api"

urlpatterns = [
    path("openapi.json", schema.SchemaJsonView.as_view(), name="openapi_json"),
    path("openapi.yaml", schema.SchemaYamlView.as_view(), name="openapi_yaml"),
    path("oauth/token", views.TokenView.as_view(), name="token"),
    path("casussen", views.CaseListView.as_view(), name="cases"),
    path("casussen/_zoek", views.CaseSearchView.as_view(), name="case_search"),
    path("casussen/<int:casusId>", views.CaseDetailView.as_view(), name="case"),
    path("casussen/<int:casusId>/casusplatforms", views.PlatformListView.as_view(), name="platforms"),
    path(
        "casussen/<int:casusId>/casusplatforms/<int:platformId>",
        views.PlatformDetailView.as_view(),
        name="platform",
    ),
    path("maatwerkplannen", views.PlanListView.as_view(), name="plans"),
    path("maatwerkplannen/<int:planId>", views.PlanDetailView.as_view(), name="plan"),
    path("fondsen", views.FundListView.as_view(), name="funds"),
    path("leerinzichten", views.LearningInsightsView.as_view(), name="learning_insights"),
    path("initiatieven", views.InitiativeListView.as_view(), name="initiatives"),
    path("initiatieven/<slug:slug>", views.InitiativeDetailView.as_view(), name="initiative"),
    path("open-data/<str:gemeentecode>/datasets", views.DatasetListView.as_view(), name="datasets"),
    path("open-data/<str:gemeentecode>/datasets/<slug:dataset>", views.DatasetView.as_view(), name="dataset"),
]
