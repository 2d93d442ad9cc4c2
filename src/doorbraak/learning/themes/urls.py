"""Routes included in the learning namespace (see learning/urls.py): themes, proposals, learning sessions."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("themas/", views.theme_list, name="themes"),
    path("themas/nieuw/", views.theme_create, name="theme_create"),
    path("themas/<int:pk>/", views.theme_detail, name="theme_detail"),
    path("themas/<int:pk>/bewerken/", views.theme_edit, name="theme_edit"),
    path("themas/<int:pk>/voorstel/", views.proposal_create, name="proposal_create"),
    path("voorstellen/<int:pk>/besluit/", views.proposal_decide, name="proposal_decide"),
    path("leersessies/", views.session_list, name="sessions"),
    path("leersessies/nieuw/", views.session_create, name="session_create"),
    path("leersessies/<int:pk>/", views.session_detail, name="session_detail"),
]
