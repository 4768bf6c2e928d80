"""Whole-page cache for anonymous readers of work pages and listings.

Most readers are not signed in, and an anonymous work page or listing is the
same HTML for all of them apart from the skin class. Such pages are kept in
Django's cache (Redis with ``REDIS_URL``, else per process) for
:data:`PAGE_TTL` seconds under a key that also holds *versions*, so an edit
shows at once instead of after the TTL:

* a work page: the work's version (bumped by saving the work, its chapters,
  tags, creators or series places; see :mod:`fanarchive.works.signals`), its
  ``updated_at`` and the site version (tag and pseud renames, wrangling).
  Visibility and ``updated_at`` are checked on every request, in the filter
  index when it is built (no database query; a work restricted or deleted
  by another process stops being served within the index poll interval,
  0.5 s) or else in the database;
* a listing: the filter index generation (every logged post, tag change,
  wrangle) and the content version (any work saved anywhere).

Never cached: signed-in readers (any session cookie), readers with a
pending message, pages that set a cookie or used a CSRF token, errors,
pages over :data:`PAGE_MAX_BYTES`. With a
per-process cache, an edit made by one process reaches the others' cached
copies through ``updated_at``, visibility and the index generation; a change
none of those see (a title typo fixed in another process) shows within the TTL.

Listings that miss the page cache (a new filter, signed-in readers) still
reuse each work's rendered blurb (:func:`render_blurbs`), keyed by the work's
version, the site version and every column the blurb shows (so a counter
flush or an update is a new key). Only the works whose blurb is not cached
get their tags and creators loaded.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe

from fanarchive.search import counters
from fanarchive.search.results import attach_blurb_data
from fanarchive.search.scale import generation, public_work_stamp
from fanarchive.tags.models import WRANGLE_VERSION_KEY
from fanarchive.works.models import Work
from fanarchive.works.skins import chosen_skin

#: Seconds a cached page lives at most (edits retire it sooner through the versions).
PAGE_TTL = 60
#: Pages larger than this are not cached (a long work read whole), so the cache holds many pages.
PAGE_MAX_BYTES = 256 * 1024
#: Seconds a cached blurb lives at most (its key changes with every shown column and version).
BLURB_TTL = 300
#: Response header telling whether the page came from the cache ("hit") or was rendered ("miss").
CACHE_HEADER = "X-Page-Cache"
SITE_VERSION_KEY = "page-version:site"
CONTENT_VERSION_KEY = "page-version:content"
MESSAGES_COOKIE = "messages"

View = Callable[..., HttpResponse]


def _work_version_key(work_id: int) -> str:
    return f"page-version:work:{work_id}"


def _fresh_version() -> int:
    """A version no earlier key used, for a version key that is missing.

    A per-process cache may evict version keys; restarting them at a fixed
    number could bring back pages cached under that number before an edit.
    """
    return time.time_ns()


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # missing: evicted, or never bumped
        cache.set(key, _fresh_version(), timeout=None)


def note_work_changed(work_id: int) -> None:
    """Retire the cached pages showing work ``work_id`` (its page and every listing)."""
    _bump(_work_version_key(work_id))
    _bump(CONTENT_VERSION_KEY)


def note_site_changed() -> None:
    """Retire every cached page (a tag or pseud renamed: any page may show it)."""
    _bump(SITE_VERSION_KEY)
    _bump(CONTENT_VERSION_KEY)


def _current_versions(keys: list[str]) -> dict[str, int]:
    """The versions under ``keys``, starting the missing ones at a fresh value."""
    found = cache.get_many(keys)
    missing = {key: _fresh_version() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
    return {**found, **missing}


def _versions(*keys: str) -> str:
    found = _current_versions(list(keys))
    return ":".join(str(found[key]) for key in keys)


def is_cacheable(request: HttpRequest) -> bool:
    """Whether ``request`` may be answered from (and stored in) the anonymous page cache."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def _page_key(request: HttpRequest, kind: str, version: str) -> str:
    """The key of a page; ``version`` must include the wrangling generation (tag pages and blurbs show it)."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{kind}:{version}:{chosen_skin(request)}:{path}"


def _cached_or_rendered(request: HttpRequest, key: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page stored under ``key``, else ``render()`` (stored when it is the same for every anonymous reader)."""
    stored = cache.get(key)
    if stored is not None:
        content, content_type = stored
        response = HttpResponse(content, content_type=content_type)
        patch_vary_headers(response, ["Cookie"])  # the skin cookie picks the copy
        response[CACHE_HEADER] = "hit"
        return response
    response = render()
    shareable = (
        response.status_code == 200
        and not response.streaming
        and len(response.content) <= PAGE_MAX_BYTES
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )
    if shareable:
        cache.set(key, (response.content, response["Content-Type"]), PAGE_TTL)
    response[CACHE_HEADER] = "miss"
    return response


def cache_work_page(count_hit: bool) -> Callable[[View], View]:
    """Cache a work or chapter view (``view(request, work_id, ...)``) for anonymous readers.

    With ``count_hit``, a page served from the cache still counts a hit, as
    the view itself does when it renders.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, work_id: int, *args, **kwargs) -> HttpResponse:
            if not is_cacheable(request):
                return view(request, work_id, *args, **kwargs)
            updated_at = public_work_stamp(work_id)
            if updated_at is None:  # missing, draft or restricted: the view answers (404)
                return view(request, work_id, *args, **kwargs)
            versions = _versions(_work_version_key(work_id), SITE_VERSION_KEY, WRANGLE_VERSION_KEY)  # one round trip
            version = f"{work_id}:{updated_at}:{versions}"
            key = _page_key(request, "work", version)
            response = _cached_or_rendered(request, key, lambda: view(request, work_id, *args, **kwargs))
            if count_hit and response[CACHE_HEADER] == "hit":
                counters.count("hits", work_id)
            return response

        return wrapped

    return decorate


def cache_listing(view: View) -> View:
    """Cache a listing view for anonymous readers until the index generation or any work changes."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_cacheable(request):
            return view(request, *args, **kwargs)
        key = _page_key(request, "listing", f"{generation()}:" + _versions(CONTENT_VERSION_KEY, SITE_VERSION_KEY))
        return _cached_or_rendered(request, key, lambda: view(request, *args, **kwargs))

    return wrapped


def _blurb_key(work: Work, version: str) -> str:
    shown = (
        work.updated_at.timestamp(), work.hits, work.kudos_count, work.bookmarks_count, work.comments_count,
        work.word_count, work.chapter_count, work.expected_chapters, work.complete, work.language,
    )  # fmt: skip
    return f"blurb:{work.pk}:{version}:" + ":".join(map(str, shown))


def render_blurbs(works: list[Work]) -> SafeString:
    """The blurbs of ``works`` (loaded with the blurb columns), cached ones reused, the rest rendered and stored."""
    cacheable = [work for work in works if not getattr(work, "search_snippet", "")]
    versions = _current_versions([SITE_VERSION_KEY, *(_work_version_key(work.pk) for work in cacheable)])
    site = versions[SITE_VERSION_KEY]
    keys = {work.pk: _blurb_key(work, f"{versions[_work_version_key(work.pk)]}:{site}") for work in cacheable}
    found = cache.get_many(list(keys.values()))
    missing = [work for work in works if keys.get(work.pk) not in found]
    attach_blurb_data(work for work in missing if "tag_links" not in work.__dict__)
    rendered = {work.pk: render_to_string("works/_blurb.html", {"work": work}) for work in missing}
    cache.set_many({keys[pk]: html for pk, html in rendered.items() if pk in keys}, BLURB_TTL)
    return mark_safe("".join(found.get(keys.get(work.pk), "") or rendered[work.pk] for work in works))
