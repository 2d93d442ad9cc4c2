from django.urls import path

from . import views, views_account

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("inloggen/tweede-stap/", views.otp_verify, name="otp_verify"),
    path("inloggen/tweede-stap/instellen/", views.otp_setup, name="otp_setup"),
    path("inloggen/koppelen/<str:token>/", views.enrolment_link, name="enrolment_link"),
    path("inloggen/wachtwoord-vergeten/", views_account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "inloggen/wachtwoord-vergeten/verstuurd/",
        views_account.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "inloggen/nieuw-wachtwoord/<uidb64>/<token>/",
        views_account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "inloggen/nieuw-wachtwoord/klaar/",
        views_account.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("uitloggen/", views.logout_view, name="logout"),
    path("account/", views_account.account, name="account"),
    path("account/wachtwoord/", views_account.PasswordChangeView.as_view(), name="password_change"),
    path("account/meldingen/gezien/", views_account.notices_seen, name="notices_seen"),
    path("account/sessies/<int:session_id>/beeindigen/", views_account.end_session, name="end_session"),
    path("account/sessies/andere-beeindigen/", views_account.end_other_sessions, name="end_other_sessions"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility"),
]
