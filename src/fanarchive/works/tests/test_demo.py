"""The demo archive loads completely and idempotently."""

import pytest
from django.core.management import call_command

from fanarchive.tags.models import Tag, TagParent
from fanarchive.works.demo import DEMO_DIR
from fanarchive.works.importer import work_files
from fanarchive.works.models import Chapter, Series, Work, WorkTag

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[int, ...]:
    return (
        Work.objects.count(), Chapter.objects.count(), WorkTag.objects.count(),
        Tag.objects.count(), TagParent.objects.count(), Series.objects.count(),
    )  # fmt: skip


def test_demo_loads_every_work_once_even_when_run_twice():
    call_command("load_demo")
    first = snapshot()
    kudos = dict(Work.objects.values_list("import_key", "kudos_count"))
    call_command("load_demo")
    assert snapshot() == first
    assert first[0] == len(work_files(DEMO_DIR)) >= 8
    assert dict(Work.objects.values_list("import_key", "kudos_count")) == kudos
    assert all(k > 0 for k in kudos.values())


def test_demo_has_series_wrangling_and_multichapter_works():
    call_command("load_demo")
    series = Series.objects.get()
    assert [part.work.title for part in series.parts.all()] == ["What The Cold Keeps", "What The Thaw Brings"]
    buffy = Tag.objects.get(name="Buffy the Vampire Slayer (TV)")
    assert Tag.objects.get(name="Buffyverse").pk in set(buffy.parents.values_list("pk", flat=True))
    assert Tag.objects.get(name="Spuffy").merger == Tag.objects.get(name="Buffy Summers/Spike")
    assert Work.objects.filter(chapter_count__gt=1, complete=False).exists()
    assert Work.objects.filter(tags__name="Good Omens (TV)").exists()


def test_demo_with_synthetic_works_adds_them_once():
    call_command("load_demo", works=30)
    call_command("load_demo", works=30)
    assert Work.objects.filter(import_key__startswith="synthetic:").count() == 30
