from django.urls import path

from . import views

app_name = "transfer"

urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.upload, name="upload"),
    path("import/<int:batch_id>/", views.import_status, name="import_status"),
    path("import/<int:batch_id>/bevestigen/", views.import_confirm, name="import_confirm"),
    path("import/<int:batch_id>/annuleren/", views.import_cancel, name="import_cancel"),
    path("export/", views.export, name="export"),
    path("export/casussen.csv", views.export_cases_csv, name="export_cases_csv"),
    path("export/casussen.xlsx", views.export_cases_xlsx, name="export_cases_xlsx"),
    path("export/dossier/<int:case_id>/", views.case_file, name="case_file"),
    path("export/dossier/<int:case_id>/inzage.json", views.case_file_json, name="case_file_json"),
    path("export/dossier/<int:case_id>/inzage.pdf", views.case_file_pdf, name="case_file_pdf"),
]
