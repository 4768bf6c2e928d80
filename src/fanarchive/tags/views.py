"""Tag pages, the fandom index and tag-name autocomplete."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from fanarchive.search.engine import find_works
from fanarchive.search.filters import FilterCriteria, plain_text
from fanarchive.tags.counts import fandom_work_counts
from fanarchive.tags.models import MEDIA, Tag, TagType

AUTOCOMPLETE_LIMIT = 15
UNCATEGORIZED = "Uncategorized Fandoms"


def group_by_type(tags) -> list[tuple[str, list[Tag]]]:
    """``tags`` grouped under their type's label, in TagType order, names sorted."""
    order = {value: position for position, value in enumerate(TagType.values)}
    ordered = sorted(tags, key=lambda tag: (order[tag.type], tag.key))
    return [(TagType(kind).label, list(group)) for kind, group in groupby(ordered, key=lambda tag: tag.type)]


@require_safe
def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    """A tag: its type, wrangling status, relatives, and the first page of its works."""
    tag = Tag.objects.named([plain_text(name)]).select_related("merger").first()
    if tag is None:
        raise Http404(f"No tag named {name}.")
    criteria = FilterCriteria(tags=[tag.name])
    return render(
        request,
        "tags/tag_detail.html",
        {
            "tag": tag,
            "synonyms": tag.synonyms.order_by("key"),
            "parents": group_by_type(tag.parents.all()),
            "children": group_by_type(tag.children.all()),
            "criteria": criteria,
            "result": find_works(criteria, request.user),
        },
    )


@require_safe
def autocomplete(request: HttpRequest) -> JsonResponse:
    """Up to 15 tag names starting with ``term`` (canonical ones first), optionally of one ``type``."""
    term = plain_text(request.GET.get("term", ""))
    if not term:
        return JsonResponse([], safe=False)
    tags = Tag.objects.starting_with(term)
    if request.GET.get("type") in TagType.values:
        tags = tags.filter(type=request.GET["type"])
    names = tags.order_by("-canonical", "key").values_list("name", flat=True)[:AUTOCOMPLETE_LIMIT]
    return JsonResponse(list(names), safe=False)


def first_letter(tag: Tag) -> str:
    """The jump-letter a fandom is filed under: A–Z, or "#" for anything else."""
    letter = tag.name[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"


@require_safe
def fandom_index(request: HttpRequest) -> HttpResponse:
    """Every fandom with visible works, grouped by media, then by first letter."""
    by_media: dict[str, list[tuple[Tag, int]]] = defaultdict(list)
    for fandom, count in fandom_work_counts(request.user):
        media = [parent.name for parent in fandom.parents.all() if parent.type == TagType.MEDIA]
        for name in media or [UNCATEGORIZED]:
            by_media[name].append((fandom, count))
    media_order = {name: position for position, name in enumerate(MEDIA)}
    ordered_media = sorted(by_media, key=lambda m: (m == UNCATEGORIZED, media_order.get(m, len(MEDIA)), m))
    sections = []
    for position, media in enumerate(ordered_media):
        fandoms = sorted(by_media[media], key=lambda pair: (first_letter(pair[0]), pair[0].key))
        letters = [(letter, list(group)) for letter, group in groupby(fandoms, key=lambda pair: first_letter(pair[0]))]
        sections.append({"media": media, "anchor": f"media-{position}", "letters": letters})
    return render(request, "tags/fandom_index.html", {"sections": sections})
