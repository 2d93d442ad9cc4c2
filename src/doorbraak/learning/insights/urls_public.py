"""Public open data of a municipality, mounted at /open-data/ (namespace "open_data"). No login."""

from django.urls import path

from . import views

app_name = "open_data"

urlpatterns = [
    path("<str:code>/", views.public_open_data, name="index"),
    path("<str:code>/<slug:dataset>.csv", views.public_open_data_csv, name="csv"),
]
