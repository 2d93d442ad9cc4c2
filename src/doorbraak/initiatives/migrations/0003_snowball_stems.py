"""Recompute the SQLite full-text index with the Snowball Dutch stems (issue 11, point 5).

The FTS5 table held the stems of the former hand-written stemmer; the queries now use Snowball's, so every row
is rewritten from `search_document`. PostgreSQL's tsvector is a generated column (to_tsvector('dutch', ...)) and
needs nothing. Backwards there is nothing to undo: the old stems cannot be recomputed without the old code, and
`services.reindex` rewrites a row whenever an initiative changes.
"""

from django.db import migrations


def restem(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from doorbraak.initiatives.stemming import stem_text

    Initiative = apps.get_model("initiatives", "Initiative")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM initiatives_initiative_fts")
        for pk, document in Initiative.objects.values_list("pk", "search_document").iterator():
            cursor.execute(
                "INSERT INTO initiatives_initiative_fts(rowid, body) VALUES (%s, %s)", [pk, stem_text(document)]
            )


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_search_index")]

    operations = [migrations.RunPython(restem, migrations.RunPython.noop)]
