"""How many visible works each fandom has (its synonyms' works included)."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import Coalesce

from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Work, WorkTag


def fandom_work_counts(user, limit: int | None = None) -> list[tuple[Tag, int]]:
    """Canonical fandoms with their number of works ``user`` may see, biggest first.

    A synonym's works count for its canonical fandom; a work tagged with both
    counts once. Fandoms with no visible works are left out.
    """
    rows = (
        WorkTag.objects.filter(tag__type=TagType.FANDOM, work__in=Work.objects.visible_to(user))
        .annotate(fandom_id=Coalesce("tag__merger_id", "tag_id"))
        .values("fandom_id")
        .annotate(works=Count("work_id", distinct=True))
        .order_by("-works", "fandom_id")
    )
    counts = {row["fandom_id"]: row["works"] for row in rows}
    fandoms = Tag.objects.filter(pk__in=counts, canonical=True).prefetch_related("parents")
    ranked = sorted(((tag, counts[tag.pk]) for tag in fandoms), key=lambda pair: (-pair[1], pair[0].key))
    return ranked[:limit] if limit else ranked
