"""Full-text search structures per database vendor.

PostgreSQL: a stored generated tsvector column (Dutch configuration; the name weighs most) with a GIN
index. SQLite: an FTS5 table filled by services.reindex with stemmed text (stemming.py).
The Django model does not know these; selectors.py queries them.
"""

from django.db import migrations

PG_FORWARD = [
    """
    ALTER TABLE initiatives_initiative ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch'::regconfig, coalesce(name, '')), 'A')
        || setweight(to_tsvector('dutch'::regconfig, coalesce(search_document, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX initiative_search_gin ON initiatives_initiative USING GIN (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS initiative_search_gin",
    "ALTER TABLE initiatives_initiative DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE initiatives_initiative_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS initiatives_initiative_fts"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = PG_FORWARD if vendor == "postgresql" else SQLITE_FORWARD if vendor == "sqlite" else []
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = PG_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD if vendor == "sqlite" else []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
