"""Routes included in the learning namespace (see learning/urls.py): approved anonymised stories."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("verhalen/", views.shared_list, name="stories"),
    path("verhalen/<int:pk>/", views.shared_detail, name="story_detail"),
    path("verhalen/<int:pk>/publiceren/", views.shared_publish, name="story_publish"),
    path("verhalen/<int:pk>/intrekken/", views.shared_withdraw, name="story_withdraw"),
]
