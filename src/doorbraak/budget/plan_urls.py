"""The custom plan of one case, under /casussen/<case_id>/plan/."""

from django.urls import path

from . import views, views_funds

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
    path("goedkeuren/", views_funds.plan_approve, name="approve"),
    path("terugsturen/", views.plan_return, name="return"),
    path("betalen/", views_funds.plan_pay, name="pay"),
    path("lening/", views_funds.plan_loan, name="loan"),
    path("lening/<int:loan_id>/uitkomst/", views_funds.loan_outcome, name="loan_outcome"),
    path("lening/<int:loan_id>/aflossing/", views_funds.loan_repay, name="loan_repay"),
    path("terugvordering/", views_funds.reclaim_add, name="reclaim_add"),
    path("terugvordering/<int:reclaim_id>/", views_funds.reclaim_move, name="reclaim_move"),
    path("werkelijke-kosten/", views.plan_realised, name="realised"),
    path("pdf/", views.plan_pdf, name="pdf"),
    # --- issue 12: funds, loans, payments ---
    path("lening/<int:loan_id>/afschrijven/", views_funds.loan_write_off, name="loan_write_off"),
    path("financiering/afsluiten/", views_funds.funding_close, name="funding_close"),
]
