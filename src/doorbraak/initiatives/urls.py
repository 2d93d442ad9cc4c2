from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("aanmelden/", views.submit, name="submit"),
    path("aanmelden/bedankt/", views.submit_thanks, name="submit_thanks"),
    path("rapport/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("moderatie/", views.moderation, name="moderation"),
    path("moderatie/reactie/<int:pk>/", views.moderate_comment, name="moderate_comment"),
    path("moderatie/aanmelding/<int:pk>/", views.moderate_submission, name="moderate_submission"),
    path("moderatie/initiatief/<int:pk>/publiceren/", views.publish, name="publish"),
    path("<slug:slug>/", views.initiative_detail, name="detail"),
]
