"""Insights: pseudonymised facts, month rollups, the dashboard, pattern analysis, the council report and open
data (every count suppressed, AVG-09)."""
