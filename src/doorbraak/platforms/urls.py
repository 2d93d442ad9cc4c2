from django.urls import path

from . import views

app_name = "platforms"

urlpatterns = [
    path("", views.index, name="index"),
    path("bijeenroepen/", views.convene, name="convene"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/uitnodigen/", views.invite, name="invite"),
    path("<int:pk>/acties/", views.action_add, name="action_add"),
    path("<int:pk>/acties/<int:action_id>/gedaan/", views.action_done, name="action_done"),
    path("<int:pk>/besluiten/", views.decision_add, name="decision_add"),
    path("<int:pk>/doorbraak/", views.breakthrough, name="breakthrough"),
    path("<int:pk>/evaluatie/", views.evaluation, name="evaluation"),
    path("<int:pk>/opschalen/", views.escalate, name="escalate"),
    path("<int:pk>/opschalen/<int:escalation_id>/uitkomst/", views.escalation_outcome, name="escalation_outcome"),
    path("<int:pk>/samenvatting/", views.summary, name="summary"),
    # --- issue 16 ---
    path("<int:pk>/deelnemer-zonder-account/", views.external_add, name="external_add"),
]
