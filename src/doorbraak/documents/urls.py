"""Documents of a case, under /casussen/<case_id>/documenten/ (mounted in the root URLconf)."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<slug:owner>/<int:owner_id>/nieuw/", views.upload, name="upload"),
    path("<int:pk>/", views.download, name="download"),
]
