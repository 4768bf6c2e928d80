"""Synthetic corpus: counts, determinism, idempotence and a long-tailed tag shape."""

import statistics

import pytest

from fanarchive.tags.models import Tag, TagType
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
