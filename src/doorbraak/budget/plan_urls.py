"""The custom plan of one case, under /casussen/<case_id>/plan/."""

app_name = "plan"

urlpatterns: list = []
