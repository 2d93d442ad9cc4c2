"""Themes: system-barrier themes, policy proposals and learning sessions."""
