"""The works filter as plain ORM queries: correct on any database, indexed, not clever.

Each tag clause is an ``EXISTS`` on the (tag, work) index of WorkTag, the
order uses the indexed sort columns with an id tie-break, and only works the
user may see are considered.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from fanarchive.search.filters import FilterCriteria
from fanarchive.search.resolve import resolve
from fanarchive.search.results import ResultPage, paginate
from fanarchive.works.models import Work, WorkReading, WorkTag

#: Sort key -> ORDER BY, matching the indexes on Work.
ORDERINGS = {
    "updated": ("-updated_at", "-id"),
    "published": ("-published_at", "-id"),
    "kudos": ("-kudos_count", "-id"),
    "hits": ("-hits", "-id"),
    "bookmarks": ("-bookmarks_count", "-id"),
    "comments": ("-comments_count", "-id"),
    "words": ("-word_count", "-id"),
    "title": ("sort_title", "id"),
}


def _tagged_with_any(tag_ids: set[int]) -> Exists:
    """Works carrying at least one tag in ``tag_ids``."""
    return Exists(WorkTag.objects.filter(work=OuterRef("pk"), tag_id__in=tag_ids))


def placed_during(criteria: FilterCriteria) -> QuerySet | None:
    """Readings that place their work during the "set during" episode; None without that filter.

    ``after_index <= E < before_index`` with missing bounds unbounded (see
    :meth:`FilterCriteria.set_during_episode`), written as three ranges on
    the (canon_fandom, after_index, before_index) index.
    """
    setting = criteria.set_during_episode()
    if setting is None:
        return None
    fandom, episode = setting
    at = episode.index
    return WorkReading.objects.filter(
        Q(after_index__lte=at, before_index__gt=at)
        | Q(after_index__lte=at, before_index__isnull=True)
        | Q(after_index__isnull=True, before_index__gt=at),
        canon_fandom=fandom,
    )


def filtered_works(criteria: FilterCriteria, user) -> tuple[QuerySet, list[str]]:
    """The ordered queryset of visible works matching ``criteria``, and any notices.

    ``criteria.q`` is not handled here: full-text search (:mod:`fanarchive.search.fulltext`)
    narrows these works when there is a query.
    """
    resolved = resolve(criteria)
    works = Work.objects.visible_to(user)
    if resolved.matches_nothing:
        return works.none(), resolved.notices
    for tag_ids in resolved.all_of:
        works = works.filter(_tagged_with_any(tag_ids))
    if resolved.none_of:
        works = works.filter(~_tagged_with_any(resolved.none_of))
    if criteria.complete:
        works = works.filter(complete=True)
    if criteria.words_from is not None:
        works = works.filter(word_count__gte=criteria.words_from)
    if criteria.words_to is not None:
        works = works.filter(word_count__lte=criteria.words_to)
    if criteria.language:
        works = works.filter(language=criteria.language)
    if criteria.updated_since:
        since = datetime.datetime.combine(criteria.updated_since, datetime.time.min, tzinfo=datetime.UTC)
        works = works.filter(updated_at__gte=since)
    if (placed := placed_during(criteria)) is not None:
        works = works.filter(pk__in=placed.values("work_id"))
    return works.order_by(*ORDERINGS[criteria.sort]), resolved.notices


def find_works(criteria: FilterCriteria, user) -> ResultPage:
    """One page of the works matching ``criteria`` that ``user`` may see."""
    works, notices = filtered_works(criteria, user)
    return paginate(works, criteria.page, [*criteria.notices, *notices])
