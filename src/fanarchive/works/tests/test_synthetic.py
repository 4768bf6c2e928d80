"""Synthetic corpus: counts, determinism, idempotence and a long-tailed tag shape."""

import statistics

import pytest
from django.db import connection

from fanarchive.tags.models import Tag, TagType
from fanarchive.works import synthetic
from fanarchive.works.models import Chapter, Work, WorkTag
from fanarchive.works.synthetic import generate

pytestmark = pytest.mark.django_db


def fingerprint() -> list[tuple]:
    works = Work.objects.order_by("import_key").values_list("import_key", "title", "word_count", "kudos_count")
    return [(*row, tuple(sorted(Work.objects.get(import_key=row[0]).tags.values_list("name", flat=True))))
            for row in works[:20]]  # fmt: skip


def test_generate_creates_n_consistent_works():
    result = generate(300, seed=3, batch_size=64)
    assert result.created == 300 and Work.objects.count() == 300
    for work in Work.objects.all()[:50]:
        assert Chapter.objects.filter(work=work).count() == work.chapter_count >= 1
        assert work.tags.filter(type=TagType.RATING).count() == 1
        assert work.tags.filter(type=TagType.FANDOM).exists()
        assert work.creators.count() == 1
    counted = {t.pk: t.works_count for t in Tag.objects.filter(works_count__gt=0)}
    for tag_id, works in list(counted.items())[:50]:
        assert WorkTag.objects.filter(tag_id=tag_id).count() == works


def test_generate_is_idempotent_and_extends():
    generate(100, seed=5)
    assert generate(100, seed=5).created == 0
    assert generate(150, seed=5).created == 50
    assert Work.objects.count() == 150


def test_generate_is_deterministic_for_a_seed():
    generate(60, seed=9, batch_size=25)
    first = fingerprint()
    Work.objects.all().delete()
    generate(60, seed=9, batch_size=7)
    assert fingerprint() == first


def test_freeform_usage_has_a_long_tail():
    generate(2000, seed=1)
    uses = sorted(
        (t.works_count for t in Tag.objects.filter(type=TagType.FREEFORM, works_count__gt=0)), reverse=True
    )
    assert uses[0] > 20 * statistics.median(uses)
    fandoms = sorted(Tag.objects.filter(type=TagType.FANDOM, works_count__gt=0).values_list("works_count", flat=True))
    assert fandoms[-1] > 10 * statistics.median(fandoms)


def test_generated_tags_are_wrangled():
    generate(500, seed=2)
    assert Tag.objects.filter(merger__isnull=False, type=TagType.CHARACTER).exists()
    assert Tag.objects.filter(type=TagType.FANDOM, parents__type=TagType.MEDIA).exists()
    assert Tag.objects.filter(type=TagType.FREEFORM, parents__type=TagType.FREEFORM).exists()
    assert WorkTag.objects.filter(tag__merger__isnull=False).exists()  # works also use synonyms


# --- bulk loads defer the sort indexes ---------------------------------------------------

SORT_INDEXES = {index.name for index in Work._meta.indexes} | {index.name for index in WorkTag._meta.indexes}


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        return {
            name for model in (Work, WorkTag)
            for name in connection.introspection.get_constraints(cursor, model._meta.db_table)
        }  # fmt: skip


@pytest.fixture
def indexes_during_batches(monkeypatch):
    """The index names present while each batch is written."""
    seen = []
    real = synthetic._write_batch

    def spy(*args):
        seen.append(index_names())
        return real(*args)

    monkeypatch.setattr(synthetic, "_write_batch", spy)
    monkeypatch.setattr(synthetic, "DEFER_INDEXES_FROM", 50)
    return seen


def test_a_large_load_builds_the_sort_indexes_once_at_the_end(indexes_during_batches):
    generate(120, seed=4, batch_size=40)
    assert len(indexes_during_batches) == 3
    assert all(not (SORT_INDEXES & names) for names in indexes_during_batches)
    assert SORT_INDEXES <= index_names()
    indexes_during_batches.clear()
    generate(150, seed=4, batch_size=40)  # fewer new works than exist: indexes stay
    assert indexes_during_batches and all(SORT_INDEXES <= names for names in indexes_during_batches)


def test_a_failed_load_still_restores_the_indexes(indexes_during_batches, monkeypatch):
    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(synthetic, "_write_batch", fail)
    with pytest.raises(RuntimeError):
        generate(120, seed=4, batch_size=40)
    assert SORT_INDEXES <= index_names()


def test_indexes_left_missing_are_restored():
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX work_kudos_idx")
    assert "work_kudos_idx" not in index_names()
    assert synthetic.restore_sort_indexes() == ["work_kudos_idx"]
    assert SORT_INDEXES <= index_names()


def test_a_generate_with_nothing_to_add_restores_indexes_an_interrupted_load_left_out():
    generate(20, seed=6)
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX worktag_tag_work_idx")
    assert generate(20, seed=6).created == 0
    assert SORT_INDEXES <= index_names()
