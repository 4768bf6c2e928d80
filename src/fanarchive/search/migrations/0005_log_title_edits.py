"""Log title edits too: the filter index now sorts by title (``Work.sort_title``).

The work-update trigger is replaced so that its list of watched columns
includes ``title``; the rest of ``sql.install`` is idempotent.
"""

from django.db import migrations

from fanarchive.search.sql import install


def replace_work_update_trigger(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS search_log_work_upd")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS search_log_work_upd ON works_work")
    install(connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_pg_repeated_words"), ("works", "0003_work_sort_title")]
    operations = [migrations.RunPython(replace_work_update_trigger, migrations.RunPython.noop)]
