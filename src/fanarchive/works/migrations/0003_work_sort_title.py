"""Works sort by ``sort_title`` (see ``sortable_title``), which the filter index can hold too."""

from django.db import migrations, models

from fanarchive.works.models import sortable_title

BATCH = 10_000


def fill_sort_titles(apps, schema_editor):
    """Give every existing work its sort title, a batch at a time.

    One plain UPDATE per work (executemany), not ``bulk_update``, whose
    CASE over the whole batch makes every row scan the batch's ids.
    """
    Work = apps.get_model("works", "Work")
    table = schema_editor.quote_name(Work._meta.db_table)
    last = 0
    while True:
        batch = list(Work.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "title")[:BATCH])
        if not batch:
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET sort_title = %s WHERE id = %s",
                [(sortable_title(title), pk) for pk, title in batch],
            )
        last = batch[-1][0]


def binary_order_on_postgresql(apps, schema_editor):
    """Order sort titles by code point on PostgreSQL too, whatever the database's locale.

    SQLite compares text bytewise already; the filter index compares in
    Python, also by code point. (Django's state does not record this
    collation; it only changes how PostgreSQL orders the column.)
    """
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE works_work ALTER COLUMN sort_title TYPE varchar(255) COLLATE "C"')


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0001_initial'),
        ('tags', '0002_fixed_tags'),
        ('works', '0002_worktag_drop_redundant_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='work',
            name='work_title_idx',
        ),
        migrations.AddField(
            model_name='work',
            name='sort_title',
            field=models.CharField(blank=True, editable=False, help_text='sortable_title(title), kept by save().', max_length=255),
        ),
        migrations.RunPython(binary_order_on_postgresql, migrations.RunPython.noop),
        migrations.RunPython(fill_sort_titles, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='work',
            index=models.Index(fields=['sort_title', 'id'], name='work_sort_title_idx'),
        ),
    ]
