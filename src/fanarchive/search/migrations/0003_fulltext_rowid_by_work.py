"""SQLite text index keyed by work: rowid ``work_id << 32 | chapter_id``, no work_id column.

A match's work id then comes from the index itself instead of the stored
row (where it sat after the whole chapter text), which made word and prefix
searches matching many chapters slow. The index is rebuilt from the
chapters; PostgreSQL is unchanged.
"""

from django.db import migrations

from fanarchive.search.sql import rebuild_sqlite_text_index


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        rebuild_sqlite_text_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_triggers_and_fulltext")]
    # Backwards: 0002's reverse drops whichever layout is installed.
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
