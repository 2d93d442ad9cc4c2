from django.urls import path

from . import views, views_funders, views_funds

app_name = "budget"

urlpatterns: list = [
    path("", views.overview, name="overview"),
    path("fondsen/nieuw/", views.fund_create, name="fund_create"),
    path("kostenkengetallen/", views.catalogue, name="catalogue"),
    path("kostenkengetallen/nieuw/", views.catalogue_add, name="catalogue_add"),
    path("kostenkengetallen/<int:pk>/wijzigen/", views.catalogue_change, name="catalogue_change"),
    # --- issue 12: funds, SEPA, mandates ---
    path("fondsen/<int:fund_id>/", views_funds.fund_detail, name="fund_detail"),
    path("fondsen/<int:fund_id>/csv/", views_funds.fund_csv, name="fund_csv"),
    path("fondsen/<int:fund_id>/iban/", views_funds.fund_iban, name="fund_iban"),
    path("fondsen/<int:fund_id>/sepa/", views_funds.sepa_export, name="sepa_export"),
    path("fondsen/<int:fund_id>/sepa/<int:export_id>/", views_funds.sepa_download, name="sepa_download"),
    path("mandaten/", views_funds.mandates, name="mandates"),
    path("financiers/", views_funders.funders, name="funders"),
    path("financiers/<slug:funder>/", views_funders.funder_change, name="funder_change"),
]
