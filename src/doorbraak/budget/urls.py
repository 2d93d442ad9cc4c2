from django.urls import path

from . import views

app_name = "budget"

urlpatterns: list = [
    path("", views.overview, name="overview"),
    path("fondsen/nieuw/", views.fund_create, name="fund_create"),
    path("kostenkengetallen/", views.catalogue, name="catalogue"),
    path("kostenkengetallen/nieuw/", views.catalogue_add, name="catalogue_add"),
    path("kostenkengetallen/<int:pk>/wijzigen/", views.catalogue_change, name="catalogue_change"),
]
