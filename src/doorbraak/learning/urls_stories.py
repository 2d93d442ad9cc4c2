"""Routes included in the learning namespace (see learning/urls.py)."""

urlpatterns: list = []
