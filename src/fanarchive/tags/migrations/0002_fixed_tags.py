"""Create the tags every archive has: ratings, archive warnings, categories, media."""

from django.db import migrations


def create_fixed_tags(apps, schema_editor):
    from fanarchive.tags.models import FIXED_TAGS, tag_key

    Tag = apps.get_model("tags", "Tag")
    for tag_type, names in FIXED_TAGS.items():
        for name in names:
            Tag.objects.get_or_create(key=tag_key(name), defaults={"name": name, "type": tag_type, "canonical": True})


class Migration(migrations.Migration):
    dependencies = [("tags", "0001_initial")]
    operations = [migrations.RunPython(create_fixed_tags, migrations.RunPython.noop)]
