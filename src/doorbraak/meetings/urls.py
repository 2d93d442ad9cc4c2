from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/aanmelden/", views.register, name="register"),
    path("<int:pk>/wat-neem-ik-mee/", views.takeaway, name="takeaway"),
    path("afmelden/<str:cancel_token>/", views.cancel, name="cancel"),
    path("document/<int:pk>/", views.download, name="download"),
    # The organiser (role moderator)
    path("organiseren/", views.organise, name="organise"),
    path("organiseren/nieuw/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/deelnemers/", views.attendees, name="attendees"),
    path("<int:pk>/deelnemers.csv", views.attendees_csv, name="attendees_csv"),
    path("<int:pk>/documenten/", views.documents, name="documents"),
    path("<int:pk>/verslag/", views.report, name="report"),
    path("moderatie/", views.moderation, name="moderation"),
    path("moderatie/<int:pk>/", views.moderate, name="moderate"),
    path("behoeften/", views.needs, name="needs"),
    path("vervolg/nieuw/", views.follow_up_create, name="follow_up_create"),
    path("vervolg/<int:pk>/status/", views.follow_up_status, name="follow_up_status"),
    path("programma/", views.programme, name="programme"),
]
