"""Kept for the root URLconf (/precedenten/, namespace "precedents"): see learning/stories/urls_public.py."""

from .stories.urls_public import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
