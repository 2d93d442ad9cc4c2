"""The public precedent register, mounted at /precedenten/ (namespace "precedents"). No login."""

app_name = "precedents"

urlpatterns: list = []
