"""Kept for the root URLconf (/casussen/<case_id>/verhaal/, namespace "story"): see learning/stories/urls_case.py."""

from .stories.urls_case import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
