"""PostgreSQL: fill the ``repeats`` vector of chapters indexed before it existed.

``repeats`` (see ``sql.REPEAT_LEVELS``) lets a word's relevance come from
the GIN index instead of every matching chapter's whole tsvector. The
column, its index and the trigger keeping it current are installed by
``sql.install``; this fills it once from the stored documents. SQLite is
unchanged.
"""

from django.db import migrations

from fanarchive.search.sql import PG_FTS_TABLE, install


def fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    install(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {PG_FTS_TABLE} SET repeats = search_repeated_words(document) WHERE repeats = ''")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_fulltext_rowid_by_work")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
