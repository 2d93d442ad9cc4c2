from django.urls import path

from . import views, views_list

app_name = "cases"

urlpatterns = [
    path("", views_list.case_list, name="list"),
    path("nieuw/", views.case_create, name="create"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/gezinslid/", views.member_add, name="member_add"),
    path("<int:case_id>/scores/", views.scores_add, name="scores_add"),
    path("<int:case_id>/betrokkenen/", views.involvement_add, name="involvement_add"),
    path("<int:case_id>/betrokkenen/<int:pk>/beeindigen/", views.involvement_end, name="involvement_end"),
    path("<int:case_id>/toestemming/", views.consent_add, name="consent_add"),
    path("<int:case_id>/toestemming/<int:pk>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:case_id>/sluiten/", views.case_close, name="close"),
    path("<int:case_id>/nazorg/plannen/", views.follow_up_plan, name="follow_up_plan"),
    path("<int:case_id>/nazorg/nieuw/", views.follow_up_add, name="follow_up_add"),
    path("<int:case_id>/nazorg/<int:pk>/gehouden/", views.follow_up_hold, name="follow_up_hold"),
    path("<int:case_id>/uitkomsten/nieuw/", views.measurement_add, name="measurement_add"),
]
