"""Database guards of the access log (triggers) and the SQLite backend that keeps `flush` working."""
