"""Compare the filter index with the ORM filter on random filters.

Used by ``fanarchive index check`` on a live archive: every difference is
a bug (or an index that is not current), since the ORM reads the source of
truth directly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from fanarchive.search import orm, scale
from fanarchive.search.filters import FilterCriteria
from fanarchive.search.index import SORT_COLUMNS
from fanarchive.tags.models import RATINGS, Tag
from fanarchive.works.models import WorkTag

SIGNED_IN = SimpleNamespace(is_authenticated=True)


@dataclass
class CheckReport:
    compared: int = 0
    differences: list[str] = field(default_factory=list)


def difference(criteria: FilterCriteria, user) -> str | None:
    """How the index's page differs from the ORM's for ``criteria``, or None."""
    fast = scale.find_works(criteria, user)
    slow = orm.find_works(criteria, user)
    fast_ids = [work.pk for work in fast.works]
    slow_ids = [work.pk for work in slow.works]
    if fast.total == slow.total and fast_ids == slow_ids:
        return None
    who = "signed in" if user is SIGNED_IN else "anonymous"
    return (
        f"{criteria.querystring() or '(no filter)'} [{who}]: index {fast.total} {fast_ids[:5]}…, "
        f"ORM {slow.total} {slow_ids[:5]}…"
    )


def tag_names(limit: int = 300) -> list[str]:
    """Names of the most used tags plus some of the long tail."""
    popular = WorkTag.objects.values("tag_id").annotate(uses=Count("id")).order_by("-uses")[:limit]
    ids = [row["tag_id"] for row in popular]
    ids += list(WorkTag.objects.order_by("?").values_list("tag_id", flat=True)[:limit])
    return list(Tag.objects.filter(pk__in=ids).values_list("name", flat=True))


def random_criteria(rng: random.Random, names: list[str]) -> FilterCriteria:
    """A plausible filter: a few included / excluded tags, ratings, ranges, a sort and page."""
    criteria = FilterCriteria(
        tags=rng.sample(names, k=min(len(names), rng.choice([0, 1, 1, 2]))),
        exclude=rng.sample(names, k=min(len(names), rng.choice([0, 0, 1, 2]))),
        ratings=rng.sample(RATINGS, k=rng.choice([0, 0, 1, 2])),
        complete=rng.random() < 0.3,
        sort=rng.choice(list(SORT_COLUMNS)),
        page=rng.choice([1, 1, 2, 5]),
    )
    if rng.random() < 0.3:
        criteria.words_from = rng.choice([1000, 5000, 10_000])
    if rng.random() < 0.2:
        criteria.words_to = rng.choice([2000, 20_000, 100_000])
        if criteria.words_from is not None and criteria.words_from > criteria.words_to:
            criteria.words_from = None
    return criteria


def compare_random_filters(samples: int, rng: random.Random) -> CheckReport:
    """Run ``samples`` random filters through both engines (as both kinds of reader)."""
    names = tag_names()
    report = CheckReport()
    for _ in range(samples):
        user = SIGNED_IN if rng.random() < 0.5 else AnonymousUser()
        if problem := difference(random_criteria(rng, names), user):
            report.differences.append(problem)
        report.compared += 1
    return report
