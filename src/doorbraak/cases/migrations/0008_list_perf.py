"""Issue 15, the case list at 1M cases: indexes matching the list's order (newest opened first) and, on
PostgreSQL only, pg_trgm GIN indexes for the search (case title and question, member first and last name).

The trigram indexes are on UPPER(column), the expression Django's `icontains` compares on PostgreSQL
(`UPPER(col::text) LIKE UPPER('%q%')`). SQLite gets none (a scan of the visible set suffices there). Also on
PostgreSQL only: a partial index of the open follow-up moments in due order (the list's "evaluaties")."""

from django.db import migrations, models

TRGM_INDEXES = [
    ("cases_case_title_trgm", "cases_case", "title"),
    ("cases_case_question_trgm", "cases_case", "question"),
    ("cases_person_first_name_trgm", "cases_person", "first_name"),
    ("cases_person_last_name_trgm", "cases_person", "last_name"),
]


# The evaluations due on the case list (selectors.follow_ups_for): open moments in due order, so a lead's list walks
# them in order and stops after the page (the (municipality, done_on, due_on) index does not give that order).
OPEN_FOLLOW_UPS = (
    'CREATE INDEX IF NOT EXISTS "cases_followup_open_due" ON "cases_followupmoment" '
    '("municipality_id", "due_on", "id") WHERE "done_on" IS NULL'
)


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRGM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )
    schema_editor.execute(OPEN_FOLLOW_UPS)


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRGM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    schema_editor.execute('DROP INDEX IF EXISTS "cases_followup_open_due"')


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_rule_book"),  # brief: 0006; rechained after merging main
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["municipality", "-opened_at", "-id"], name="case_list_muni_opened_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["team", "-opened_at", "-id"], name="case_list_team_opened_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["status", "team", "-opened_at", "-id"], name="case_list_status_team_idx"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
