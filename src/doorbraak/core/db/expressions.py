"""Query expressions shared by the apps' selectors."""

from django.db.models import Exists


class PerRowExists(Exists):
    """EXISTS that PostgreSQL evaluates per row: with an OFFSET the planner neither pulls it up into a join nor
    hashes the whole subquery (PostgreSQL's choice for a large estimated outer set, even under a LIMIT). Used where a
    walk in a list's order checks each row against the gate (case search, evaluations due, a lead's plans)."""

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="EXISTS(%(subquery)s OFFSET 0)", **extra_context)
