from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("gelezen/", views.mark_read, name="mark_all_read"),
    path("<int:pk>/gelezen/", views.mark_read, name="mark_read"),
    path("instellingen/", views.preferences, name="preferences"),
    path("agenda/", views.calendar_page, name="calendar"),
    path("agenda/feed/<str:secret>/", views.feed, name="feed"),
    path("agenda/casus/<int:case_id>/platform/<int:pk>/", views.platform_ics, name="platform_ics"),
    path("agenda/casus/<int:case_id>/evaluatie/<int:pk>/", views.moment_ics, name="moment_ics"),
]
