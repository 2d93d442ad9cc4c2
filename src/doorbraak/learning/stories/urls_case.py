"""Story drafting from a case, mounted at /casussen/<case_id>/verhaal/ (namespace "story")."""

from django.urls import path

from . import views

app_name = "story"

urlpatterns: list = [
    path("", views.case_stories, name="case"),
    path("maken/", views.story_create, name="create"),
    path("<int:pk>/", views.story_detail, name="detail"),
    path("<int:pk>/bewerken/", views.story_edit, name="edit"),
    path("<int:pk>/goedkeuren/", views.story_approve, name="approve"),
    path("<int:pk>/markeringen/<int:flag_id>/houden/", views.story_flag_keep, name="flag_keep"),
]
