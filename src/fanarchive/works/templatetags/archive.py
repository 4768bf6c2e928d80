"""Template helpers shared by every archive page: skins, badges, languages."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from fanarchive.sanitize import clean_html
from fanarchive.search.filters import LANGUAGES
from fanarchive.tags.models import WARNINGS
from fanarchive.works.models import Work
from fanarchive.works.page_cache import render_blurbs
from fanarchive.works.skins import chosen_skin

register = template.Library()

RATING_CODES = {
    "General Audiences": "G",
    "Teen And Up Audiences": "T",
    "Mature": "M",
    "Explicit": "E",
    "Not Rated": "NR",
}
NO_WARNINGS = "No Archive Warnings Apply"
CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"
#: The warnings that name actual content.
CONTENT_WARNINGS = set(WARNINGS) - {NO_WARNINGS, CHOSE_NOT_TO_WARN}


@dataclass(frozen=True)
class Badge:
    """One of a blurb's required-tag squares: a short symbol and its full meaning."""

    kind: str
    symbol: str
    label: str
    css: str


@register.simple_tag(takes_context=True)
def skin_class(context) -> str:
    """The class for <html> that selects the skin."""
    return f"skin-{chosen_skin(context.get('request'))}"


@register.simple_tag(takes_context=True)
def current_skin(context) -> str:
    return chosen_skin(context.get("request"))


def work_badges(work: Work) -> list[Badge]:
    """AO3's four required-tag squares (rating, warnings, category, status) as badges."""
    ratings = [tag.name for tag in work.ratings]
    rating = ratings[0] if ratings else "Not Rated"
    code = RATING_CODES.get(rating, "?")
    badges = [Badge("Rating", code, rating, f"rating-{code.lower()}")]

    warnings = [tag.name for tag in work.warnings]
    if CONTENT_WARNINGS & set(warnings):
        badges.append(Badge("Warnings", "!", ", ".join(warnings), "warning-yes"))
    elif CHOSE_NOT_TO_WARN in warnings or not warnings:
        badges.append(Badge("Warnings", "?", CHOSE_NOT_TO_WARN, "warning-unknown"))
    else:
        badges.append(Badge("Warnings", "–", NO_WARNINGS, "warning-none"))

    categories = [tag.name for tag in work.categories]
    if not categories:
        badges.append(Badge("Category", "–", "No category", "category-none"))
    else:
        symbol = categories[0] if len(categories) == 1 else "Multi"
        badges.append(Badge("Category", symbol, ", ".join(categories), "category"))

    if work.complete:
        badges.append(Badge("Status", "✓", "Complete Work", "complete-yes"))
    else:
        badges.append(Badge("Status", "…", "Work in Progress", "complete-no"))
    return badges


@register.simple_tag
def blurbs(works: list[Work]) -> SafeString:
    """The blurbs of ``works``, each from the fragment cache when it holds a current copy."""
    return render_blurbs(works)


@register.inclusion_tag("works/_badges.html")
def required_tags(work: Work) -> dict:
    return {"badges": work_badges(work)}


@register.filter
def sanitized(html: str) -> SafeString:
    """User HTML from a field not sanitized on the way in, cleaned now so it can be shown."""
    return mark_safe(clean_html(html or ""))


@register.filter
def language_name(code: str) -> str:
    """The English name of a language code ("en" -> "English")."""
    return LANGUAGES.get(code, code)


@register.simple_tag
def language_options(selected: str) -> SafeString:
    """The filter form's language ``<option>`` list, ``selected`` marked.

    Built once per selection: rendering a hundred lazily translated names
    through the template took about a third of an uncached listing's time.
    """
    return _language_options(selected or "")


@functools.lru_cache(maxsize=None)  # one entry per language code at most
def _language_options(selected: str) -> SafeString:
    names = sorted(((code, str(name)) for code, name in LANGUAGES.items()), key=lambda item: item[1])
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((code, mark_safe(" selected") if code == selected else "", name) for code, name in names),
    )


@register.simple_tag(takes_context=True)
def page_link(context, number: int) -> str:
    """The query string for page ``number`` of the current listing.

    Filter pages rebuild it from their criteria (dropping values that were
    ignored); other listings keep the request's parameters.
    """
    criteria = context.get("criteria")
    if criteria is not None:
        return criteria.querystring(page=number)
    params = context["request"].GET.copy()
    params["page"] = str(number)
    return f"?{params.urlencode()}"
