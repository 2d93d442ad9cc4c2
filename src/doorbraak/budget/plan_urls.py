"""The custom plan of one case, under /casussen/<case_id>/plan/."""

from django.urls import path

from . import views

app_name = "plan"

urlpatterns: list = [
    path("", views.plan_detail, name="detail"),
    path("starten/", views.plan_start, name="start"),
    path("instellingen/", views.plan_settings, name="settings"),
    path("regel/nieuw/", views.line_add, name="line_add"),
    path("regel/<int:line_id>/verwijderen/", views.line_remove, name="line_remove"),
    # --- issue 12: cost schedule and shares ---
    path("regel/<int:line_id>/wijzigen/", views.line_change, name="line_change"),
    path("verdeling/", views.plan_shares, name="shares"),
    path("verdeling/<int:share_id>/afspraak/", views.share_agreement, name="share_agreement"),
    path("cofinanciering/", views.plan_cofunding, name="cofunding"),
    path("indienen/", views.plan_submit, name="submit"),
    path("goedkeuren/", views.plan_approve, name="approve"),
    path("terugsturen/", views.plan_return, name="return"),
    path("betalen/", views.plan_pay, name="pay"),
    path("lening/", views.plan_loan, name="loan"),
    path("lening/<int:loan_id>/uitkomst/", views.loan_outcome, name="loan_outcome"),
    path("lening/<int:loan_id>/aflossing/", views.loan_repay, name="loan_repay"),
    path("terugvordering/", views.reclaim_add, name="reclaim_add"),
    path("terugvordering/<int:reclaim_id>/", views.reclaim_move, name="reclaim_move"),
    path("werkelijke-kosten/", views.plan_realised, name="realised"),
    path("pdf/", views.plan_pdf, name="pdf"),
]
