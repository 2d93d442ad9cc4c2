from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("inloggen/tweede-stap/", views.otp_verify, name="otp_verify"),
    path("inloggen/tweede-stap/instellen/", views.otp_setup, name="otp_setup"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility"),
]
