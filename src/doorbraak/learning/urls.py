from django.urls import path

from . import views

app_name = "learning"

urlpatterns: list = [
    path("", views.home, name="home"),
]
