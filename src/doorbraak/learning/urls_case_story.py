"""Story drafting from a case, mounted at /casussen/<case_id>/verhaal/ (namespace "story")."""

app_name = "story"

urlpatterns: list = []
