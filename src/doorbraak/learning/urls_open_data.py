"""Kept for the root URLconf (/open-data/, namespace "open_data"): see learning/insights/urls_public.py."""

from .insights.urls_public import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
