"""Background work through Django's Tasks API (issue 14, part 2)."""
