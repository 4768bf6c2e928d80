"""The works filter at scale: the bitmap index and full-text search, ORM as fallback.

:func:`find_works` has the ORM filter's signature and returns the same
:class:`ResultPage`, so views do not know which engine answered.

* ``FANARCHIVE_FILTER_ENGINE=index`` (default): use the filter index when its
  file has been built (``fanarchive index rebuild``), else the ORM.
  ``orm`` always uses the ORM.
* With a shared cache (Redis), each result page's ids are cached for a
  minute under the query string plus the *generation*: the last change-log
  id the answering index has applied and the wrangling generation. Any
  post, edit or wrangle moves the generation, so a cached page is never
  staler than the index itself; hot listings cost one cache read plus
  loading 20 works.
* A search box query (``q``) is matched with the full-text index and
  combined with every other filter. Sorted by the default (date updated),
  text results are ordered by relevance instead; any other sort applies to
  the matching works. Each work gets ``search_snippet``, a highlighted
  passage (safe HTML).
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import os
from collections.abc import Callable, Collection

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.db.models.expressions import RawSQL
from pyroaring import BitMap

from fanarchive.search import fulltext, orm
from fanarchive.search.filters import DEFAULT_SORT, FilterCriteria
from fanarchive.search.index import SORT_COLUMNS, micros
from fanarchive.search.live import live_index
from fanarchive.search.models import IndexChange
from fanarchive.search.resolve import resolve
from fanarchive.search.results import PER_PAGE, ResultPage, load_works, paginate
from fanarchive.tags.models import wrangle_version
from fanarchive.works.models import Work


def engine_name() -> str:
    """The configured filter engine: "index" or "orm"."""
    configured = getattr(settings, "FANARCHIVE_FILTER_ENGINE", None)
    return (configured or os.environ.get("FANARCHIVE_FILTER_ENGINE") or "index").strip().lower()


def _cache_is_shared() -> bool:
    """Whether the cache is shared by processes (Redis), not per process (locmem)."""
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


#: One page of the given matching works, best match first (ties: newest id first), from an offset.
Ranking = Callable[[Collection[int], int], list[int]]


def _by_relevance(relevance: dict[int, float]) -> Ranking:
    """Rank pages by precomputed relevance (every match scored up front)."""

    def page(ids: Collection[int], offset: int) -> list[int]:
        best = heapq.nsmallest(offset + PER_PAGE, ids, key=lambda work_id: (-relevance[work_id], -work_id))
        return best[offset:]

    return page


def _text_matches(text: fulltext.TextQuery, by_relevance: bool) -> tuple[BitMap, Ranking | None]:
    """The works matching ``text`` and, ordered by relevance, how to rank a page of them."""
    relevance = fulltext.scores(text, ranked=by_relevance)
    return BitMap(relevance), _by_relevance(relevance) if by_relevance else None


#: Seconds a cached result page lives (it is also retired by any change).
LISTING_TTL = 60


def generation() -> str:
    """What the cached pages depend on: applied change-log position and wrangling generation."""
    live = live_index() if engine_name() == "index" else None
    index = None
    if live is not None:
        with live.lock:
            index = live.current()
    change_id = index.change_id if index is not None else IndexChange.objects.aggregate(latest=Max("id"))["latest"]
    return f"{change_id}:{wrangle_version()}"


#: Bitmaps hold 32-bit ids; a larger id in a URL names no indexed work.
MAX_INDEXED_ID = 2**32 - 1


def public_work_stamp(work_id: int) -> int | None:
    """The work's ``updated_at`` (microseconds) when anonymous readers may see it, else None.

    Answered by this process's filter index when one is built, without a
    database query (current within the poll interval); else by the database.
    """
    if engine_name() == "index":
        live = live_index()
        with live.lock:
            index = live.current()
            if index is not None:
                public = work_id <= MAX_INDEXED_ID and work_id in index.public
                return index.columns["updated_at"].values[work_id] if public else None
    updated_at = Work.objects.visible_to(None).filter(pk=work_id).values_list("updated_at", flat=True).first()
    return None if updated_at is None else micros(updated_at)


def find_works(criteria: FilterCriteria, user) -> ResultPage:
    """One page of the works matching ``criteria`` that ``user`` may see."""
    if not _cache_is_shared():
        return _find_works(criteria, user)
    visibility = "member" if _signed_in(user) else "public"
    key = f"listing:{generation()}:{visibility}:{hashlib.sha256(criteria.querystring().encode()).hexdigest()}"
    cached = cache.get(key)
    if cached is not None:
        ids, total, found_notices = cached
        notices = [*criteria.notices, *found_notices]
        page = ResultPage(works=load_works(ids), total=total, page=criteria.page, notices=notices)
        return _with_snippets(page, fulltext.parse(criteria.q) if criteria.q else None)
    page = _find_works(criteria, user)
    found_notices = page.notices[len(criteria.notices) :]  # the request's own notices vary per URL
    cache.set(key, ([work.pk for work in page.works], page.total, found_notices), LISTING_TTL)
    return page


def _find_works(criteria: FilterCriteria, user) -> ResultPage:
    """Answer from the index when it can, else from the ORM; text search on either."""
    text = fulltext.parse(criteria.q) if criteria.q else None
    plain = dataclasses.replace(criteria, q="")
    notices = list(criteria.notices)
    if text is not None and not text:
        notices.append(f"“{criteria.q}” has no words to search for, so it was ignored.")
        text = None
    # With the default sort, text matches are ordered by relevance; else by the chosen sort.
    text_filter, ranking = _text_matches(text, criteria.sort == DEFAULT_SORT) if text else (None, None)

    page = None
    if engine_name() == "index" and criteria.sort in SORT_COLUMNS:
        page = _from_index(plain, user, text_filter, ranking, notices)
    if page is None:
        page = _from_orm(plain, user, text_filter, ranking, notices)
    return _with_snippets(page, text)


def _from_index(
    criteria: FilterCriteria, user, text_filter: BitMap | None, ranking: Ranking | None, notices: list[str]
) -> ResultPage | None:
    """The page from this process's filter index, or None when no index is built."""
    resolved = resolve(criteria)
    if (placed := orm.placed_during(criteria)) is not None:  # "set during" is in indexed DB columns, not bitmaps
        placed_ids = BitMap(placed.values_list("work_id", flat=True))
        text_filter = placed_ids if text_filter is None else text_filter & placed_ids
    live = live_index()
    with live.lock:
        index = live.current()
        if index is None:
            return None
        matches = index.matching(resolved, criteria, _signed_in(user), text_filter)
        offset = (criteria.page - 1) * PER_PAGE
        if ranking is None:
            ids = index.page(matches, criteria.sort, offset, PER_PAGE) if offset < len(matches) else []
    if ranking is not None:  # may query the text index: outside the lock
        ids = ranking(matches, offset)
    notices = [*notices, *resolved.notices]
    return ResultPage(works=load_works(ids), total=len(matches), page=criteria.page, notices=notices)


def _from_orm(
    criteria: FilterCriteria, user, text_filter: BitMap | None, ranking: Ranking | None, notices: list[str],
) -> ResultPage:  # fmt: skip
    """The page from the ORM filter, narrowed to the text matches when there is a query."""
    works, filter_notices = orm.filtered_works(criteria, user)
    notices = [*notices, *filter_notices]
    if text_filter is not None:
        works = works.filter(pk__in=RawSQL(*fulltext.id_list_sql(text_filter)))
    if ranking is None:
        return paginate(works, criteria.page, notices)
    matching = set(works.values_list("pk", flat=True))
    ids = ranking(matching, (criteria.page - 1) * PER_PAGE)
    return ResultPage(works=load_works(ids), total=len(matching), page=criteria.page, notices=notices)


def _with_snippets(page: ResultPage, text: fulltext.TextQuery | None) -> ResultPage:
    """Attach each work's highlighted passage (``work.search_snippet``) for a text search."""
    if text:
        found = fulltext.snippets(text, [work.pk for work in page.works])
        for work in page.works:
            work.search_snippet = found.get(work.pk, "")
    return page
