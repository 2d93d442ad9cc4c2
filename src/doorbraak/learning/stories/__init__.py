"""Stories: anonymised stories of closed cases, four-eyes approval and the public precedent register."""
