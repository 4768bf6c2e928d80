"""Change-log triggers and the full-text index, per database vendor.

Triggers (not Django signals) write the change log so that bulk_create,
QuerySet.update and cascades are logged too, in the writer's transaction.
Full text: SQLite gets an FTS5 table fed by triggers through the
``fanarchive_plaintext`` SQL function (registered on every connection by the
search app); PostgreSQL gets a side table of stored tsvectors with a GIN
index, fed by a trigger (its parser already skips HTML tags and entities).
"""

from django.db import migrations

from fanarchive.search.sql import forward_sql, reverse_sql


def create(apps, schema_editor):
    for statement in forward_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in reverse_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("works", "0001_initial"),
        ("tags", "0001_initial"),
    ]
    operations = [migrations.RunPython(create, drop)]
