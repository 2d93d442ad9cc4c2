"""The public precedent register, mounted at /precedenten/ (namespace "precedents"). No login."""

from django.urls import path

from . import views

app_name = "precedents"

urlpatterns: list = [
    path("", views.precedent_list, name="list"),
    path("<int:pk>/", views.precedent_detail, name="detail"),
]
