"""Reader-facing pages for works: home, the works filter, a work and its chapters, series, skins."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from fanarchive.reading.canon import load_canon
from fanarchive.search import counters
from fanarchive.search.engine import find_works
from fanarchive.search.filters import (
    CHECKBOX_GROUPS, SORTS, FilterCriteria, is_number, plain_text, timeline_fandoms,
)  # fmt: skip
from fanarchive.search.results import attach_blurb_data, blurb_works
from fanarchive.tags.counts import fandom_work_counts
from fanarchive.works.models import Chapter, Series, Work
from fanarchive.works.page_cache import cache_listing, cache_work_page
from fanarchive.works.reading_view import reading_view_for
from fanarchive.works.skins import SKIN_COOKIE, SKINS

RECENT_ON_HOME = 10
FANDOMS_ON_HOME = 12


def visible_works(request: HttpRequest):
    """Works the requesting user may see."""
    return Work.objects.visible_to(request.user)


@require_safe
@cache_listing
def home(request: HttpRequest) -> HttpResponse:
    """Intro, search box, most recently updated works and the biggest fandoms."""
    recent = blurb_works(visible_works(request).order_by("-updated_at", "-id")[:RECENT_ON_HOME])
    return render(
        request,
        "works/home.html",
        {
            "recent_works": recent,
            "top_fandoms": fandom_work_counts(request.user, limit=FANDOMS_ON_HOME),
            "work_total": visible_works(request).count(),
        },
    )


@require_safe
@cache_listing
def work_index(request: HttpRequest) -> HttpResponse:
    """The works filter: every state lives in the query string."""
    criteria = FilterCriteria.from_params(request.GET)
    result = find_works(criteria, request.user)
    checkbox_groups = [
        (group, [(name, name in getattr(criteria, group.field)) for name in group.names])
        for group in CHECKBOX_GROUPS
    ]
    return render(
        request,
        "works/work_index.html",
        {
            "criteria": criteria,
            "result": result,
            "checkbox_groups": checkbox_groups,
            "sorts": SORTS,
            "timeline_fandoms": timeline_fandoms(),
            "timeline": load_canon().timeline(criteria.set_in) if criteria.set_in else [],
        },
    )


@require_safe
@cache_control(max_age=3600, public=True)
def timeline_json(request: HttpRequest) -> JsonResponse:
    """A canon fandom's episodes in order, for the "set during" field: ``{"fandom", "episodes"}``.

    404 with an ``error`` message when the fandom (``?fandom=`` name or alias) has no known timeline.
    """
    name = plain_text(request.GET.get("fandom", ""))
    fandom = load_canon().fandom(name) if name else None
    if fandom is None or not fandom.timeline:
        return JsonResponse({"error": f"No episode list is known for “{name}”."}, status=404)
    episodes = [{"code": e.code, "title": e.title, "season": e.season} for e in fandom.timeline]
    return JsonResponse({"fandom": fandom.name, "episodes": episodes})


@dataclass
class SeriesPlace:
    """A work's place in one series, with its visible neighbours."""

    series: Series
    position: int
    previous: Work | None
    next: Work | None


def series_places(work: Work, request: HttpRequest) -> list[SeriesPlace]:
    """The series ``work`` belongs to, each with the previous and next visible work."""
    places = []
    for part in work.series_parts.select_related("series").order_by("series__title"):
        neighbours = visible_works(request).filter(series_parts__series=part.series)
        before = neighbours.filter(series_parts__position__lt=part.position)
        after = neighbours.filter(series_parts__position__gt=part.position)
        places.append(
            SeriesPlace(
                series=part.series,
                position=part.position,
                previous=before.order_by("-series_parts__position").first(),
                next=after.order_by("series_parts__position").first(),
            )
        )
    return places


def render_work(request: HttpRequest, work: Work, chapter: Chapter | None) -> HttpResponse:
    """A work page: the whole work when ``chapter`` is None, else that one chapter."""
    posted = work.chapters.filter(posted=True).order_by("position")
    index = list(posted.only("id", "work_id", "position", "title"))
    if chapter is None:
        shown = list(posted)
        previous_chapter = next_chapter = None
        is_first = is_last = True
    else:
        shown = [chapter]
        at = next(i for i, entry in enumerate(index) if entry.pk == chapter.pk)
        previous_chapter = index[at - 1] if at > 0 else None
        next_chapter = index[at + 1] if at + 1 < len(index) else None
        is_first, is_last = previous_chapter is None, next_chapter is None
    return render(
        request,
        "works/work_detail.html",
        {
            "work": work,
            "chapters": shown,
            "chapter_index": index,
            "current_chapter": chapter,
            "previous_chapter": previous_chapter,
            "next_chapter": next_chapter,
            "is_first": is_first,
            "is_last": is_last,
            "series_places": series_places(work, request),
            "reading_view": reading_view_for(work),
        },
    )


def get_visible_work(request: HttpRequest, work_id: int) -> Work:
    work = get_object_or_404(visible_works(request), pk=work_id)
    attach_blurb_data([work])
    return work


@require_safe
@cache_work_page(count_hit=True)
def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    """A work: whole if it has one chapter or ``?view_full_work=1``, else its first chapter.

    Opening a work counts a hit (also when anonymous readers get the cached page);
    moving between its chapters does not.
    """
    work = get_visible_work(request, work_id)
    counters.count("hits", work.pk)
    if request.GET.get("view_full_work") in {"1", "true"} or work.chapters.filter(posted=True).count() <= 1:
        return render_work(request, work, None)
    first = work.chapters.filter(posted=True).order_by("position").first()
    return render_work(request, work, first)


@require_safe
@cache_work_page(count_hit=False)
def chapter_detail(request: HttpRequest, work_id: int, position: int) -> HttpResponse:
    """One posted chapter of a work, with links to its neighbours."""
    work = get_visible_work(request, work_id)
    chapter = get_object_or_404(work.chapters.filter(posted=True), position=position)
    return render_work(request, work, chapter)


@require_safe
def chapter_jump(request: HttpRequest, work_id: int) -> HttpResponse:
    """Target of the chapter index menu: go to the chosen chapter (works without JS)."""
    work = get_visible_work(request, work_id)
    position = request.GET.get("chapter", "")
    if is_number(position) and work.chapters.filter(posted=True, position=int(position)).exists():
        return redirect("works:chapter", work.pk, int(position))
    return redirect(work)


@require_safe
def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    """A series and its visible works in order; 404 when none is visible."""
    series = get_object_or_404(Series.objects.prefetch_related("creators"), pk=series_id)
    works = blurb_works(visible_works(request).filter(series_parts__series=series).order_by("series_parts__position"))
    if not works:
        raise Http404("No visible works in this series.")
    return render(request, "works/series_detail.html", {"series": series, "works": works})


def posted_from_this_site(request: HttpRequest) -> bool:
    """Whether a browser says the POST comes from one of our own pages.

    Browsers send ``Sec-Fetch-Site`` or ``Origin`` with every form post; a
    request with neither did not come from a cross-site page in a browser.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in {"same-origin", "none"}
    origin = request.headers.get("Origin")
    return origin is None or origin == f"{request.scheme}://{request.get_host()}"


@csrf_exempt
@require_POST
def set_skin(request: HttpRequest) -> HttpResponse:
    """Remember the reader's skin in a cookie ("auto" forgets it), then go back.

    No CSRF token: the toggle is on every page, and a token in the page would
    make pages differ per reader, so they could not be cached. Cross-site
    posts are refused by their ``Origin``/``Sec-Fetch-Site`` instead (and the
    most a forged one could do is change a cosmetic cookie).
    """
    if not posted_from_this_site(request):
        return HttpResponseForbidden("The skin can only be changed from this site's pages.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = reverse("works:home")
    response = HttpResponseRedirect(back)
    skin = request.POST.get("skin", "")
    if skin in SKINS:
        response.set_cookie(
            SKIN_COOKIE,
            skin,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    else:
        response.delete_cookie(SKIN_COOKIE, samesite="Lax")
    return response
