"""How many visible works each fandom has (its synonyms' works included)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import Coalesce

from fanarchive.tags.models import Tag, TagType, wrangle_version
from fanarchive.works.models import Work, WorkTag

#: Counts are one grouped scan of the fandom tags' works; keep them this many seconds.
COUNTS_TIMEOUT = 600


def _count_works_per_fandom(user) -> dict[int, int]:
    """Canonical fandom id -> number of works ``user`` may see tagged with it or a synonym."""
    rows = (
        WorkTag.objects.filter(tag__type=TagType.FANDOM, work__in=Work.objects.visible_to(user))
        .annotate(fandom_id=Coalesce("tag__merger_id", "tag_id"))
        .values("fandom_id")
        .annotate(works=Count("work_id", distinct=True))
    )
    return {row["fandom_id"]: row["works"] for row in rows}


def fandom_work_counts(user, limit: int | None = None) -> list[tuple[Tag, int]]:
    """Canonical fandoms with their number of works ``user`` may see, biggest first.

    A synonym's works count for its canonical fandom; a work tagged with both
    counts once. Fandoms with no visible works are left out. Cached for a few
    minutes per audience (anonymous or signed in) and wrangling generation.
    """
    audience = "members" if getattr(user, "is_authenticated", False) else "public"
    key = f"tags:fandom-counts:{wrangle_version()}:{audience}"
    counts = cache.get(key)
    if counts is None:
        counts = _count_works_per_fandom(user)
        cache.set(key, counts, COUNTS_TIMEOUT)
    fandoms = Tag.objects.filter(pk__in=counts, canonical=True).prefetch_related("parents")
    ranked = sorted(((tag, counts[tag.pk]) for tag in fandoms), key=lambda pair: (-pair[1], pair[0].key))
    return ranked[:limit] if limit else ranked
