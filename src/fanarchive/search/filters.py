"""What a reader asked the works filter for, read from (and written back to) a query string.

Every filter page is a plain GET URL, so any result can be linked, bookmarked
and shared. :meth:`FilterCriteria.from_params` never raises: a value it cannot
use is dropped and explained in ``notices``, which the page shows.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import global_settings

from fanarchive.reading.canon import load_canon
from fanarchive.reading.model import Episode
from fanarchive.tags.models import CATEGORIES, RATINGS, WARNINGS

#: Sort keys the filter offers, with their labels, in menu order.
SORTS = {
    "updated": "Date Updated",
    "published": "Date Posted",
    "kudos": "Kudos",
    "hits": "Hits",
    "bookmarks": "Bookmarks",
    "comments": "Comments",
    "words": "Word Count",
    "title": "Title",
}
DEFAULT_SORT = "updated"

#: Language codes a work may carry, with their English names.
LANGUAGES = dict(global_settings.LANGUAGES)



@dataclass(frozen=True)
class CheckboxGroup:
    """A fixed tag type the filter offers as checkboxes."""

    param: str  # query parameter, repeated once per ticked box
    field: str  # FilterCriteria attribute holding the ticked names
    label: str
    names: list[str]


CHECKBOX_GROUPS = [
    CheckboxGroup("rating", "ratings", "Ratings", RATINGS),
    CheckboxGroup("warning", "warnings", "Warnings", WARNINGS),
    CheckboxGroup("category", "categories", "Categories", CATEGORIES),
]


#: Largest number accepted in a count field (word counts are 32-bit columns).
MAX_COUNT = 2**31 - 1
_CONTROL_CHARACTERS = dict.fromkeys([*range(0x00, 0x20), 0x7F], " ")


def plain_text(value: str) -> str:
    """``value`` without control characters (NUL breaks PostgreSQL) and with spaces collapsed."""
    return " ".join(value.translate(_CONTROL_CHARACTERS).split())


def is_number(value: str) -> bool:
    """Whether ``value`` is a plain decimal number (ASCII digits only: int() refuses "²")."""
    return value.isascii() and value.isdigit()


def _names(values: Iterable[str]) -> list[str]:
    """Split repeated and comma-separated tag names, dropping blanks and repeats."""
    seen: dict[str, str] = {}
    for value in values:
        for name in value.split(","):
            name = plain_text(name)
            if name:
                seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _count(value: str, label: str, notices: list[str]) -> int | None:
    """A non-negative whole number, or None (with a notice) when ``value`` is not one."""
    value = value.strip().replace(",", "")
    if not value:
        return None
    if is_number(value) and int(value) <= MAX_COUNT:
        return int(value)
    notices.append(f"{label} “{value}” is not a word count, so it was ignored.")
    return None


def timeline_fandoms() -> list[str]:
    """Canon fandoms with a known timeline, by name: those "set during" can filter on."""
    return sorted((f.name for f in load_canon().fandoms.values() if f.timeline), key=str.casefold)


def _setting(fandom_name: str, episode_name: str, notices: list[str]) -> tuple[str, str]:
    """The canon fandom name and episode code of a "set during" request.

    Either may come back "" (with a notice when something typed was unusable);
    a fandom without an episode is kept so the form remembers it, but does
    not filter.
    """
    if not fandom_name:
        if episode_name:
            notices.append(f"Choose the fandom of “{episode_name}” to filter by episode; it was ignored.")
        return "", ""
    fandom = load_canon().fandom(fandom_name)
    if fandom is None or not fandom.timeline:
        notices.append(f"There is no episode list for “{fandom_name}”, so “set during” was ignored.")
        return "", ""
    if not episode_name:
        return fandom.name, ""
    episode = fandom.episode(episode_name)
    if episode is None:
        notices.append(f"“{episode_name}” is not an episode of {fandom.name} that we know; “set during” was ignored.")
        return fandom.name, ""
    return fandom.name, episode.code


def parse_page(value: str, notices: list[str]) -> int:
    """A 1-based page number; anything else means page 1 (with a notice)."""
    value = value.strip()
    if not value:
        return 1
    if is_number(value) and int(value) >= 1:
        return int(value)
    notices.append(f"“{value}” is not a page number; showing page 1.")
    return 1


@dataclass
class FilterCriteria:
    """One works-filter request. Tag-like fields hold names, as typed in the URL."""

    tags: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    ratings: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    complete: bool = False
    words_from: int | None = None
    words_to: int | None = None
    language: str = ""
    updated_since: datetime.date | None = None
    q: str = ""
    #: "Set during": a canon fandom (name or alias) and an episode code or
    #: title on its timeline; see :meth:`set_during_episode`.
    set_in: str = ""
    set_during: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1
    #: Why parts of the request were ignored; not part of the query string.
    notices: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def from_params(cls, params: Mapping) -> FilterCriteria:
        """Read a request's GET parameters (a QueryDict or a plain dict of lists/strings)."""
        notices: list[str] = []

        def many(key: str) -> list[str]:
            if hasattr(params, "getlist"):
                return params.getlist(key)
            value = params.get(key, [])
            return [value] if isinstance(value, str) else list(value)

        def one(key: str) -> str:
            values = many(key)
            return plain_text(values[-1]) if values else ""

        checked: dict[str, list[str]] = {}
        for group in CHECKBOX_GROUPS:
            by_key = {name.casefold(): name for name in group.names}
            checked[group.field] = []
            for name in _names(many(group.param)):
                if name.casefold() in by_key:
                    checked[group.field].append(by_key[name.casefold()])
                else:
                    notices.append(f"There is no {group.param} called “{name}”; it was ignored.")

        words_from = _count(one("words_from"), "Words from", notices)
        words_to = _count(one("words_to"), "Words to", notices)
        if words_from is not None and words_to is not None and words_from > words_to:
            words_from, words_to = words_to, words_from
            notices.append("The word range was reversed; it has been swapped.")

        language = one("language")
        if language and language not in LANGUAGES:
            notices.append(f"“{language}” is not a language code we know; it was ignored.")
            language = ""

        updated_since = None
        if raw_date := one("updated_since"):
            try:
                updated_since = datetime.date.fromisoformat(raw_date)
            except ValueError:
                notices.append(f"“{raw_date}” is not a date (use YYYY-MM-DD); it was ignored.")

        sort = one("sort") or DEFAULT_SORT
        if sort not in SORTS:
            notices.append(f"Works cannot be sorted by “{sort}”; sorted by date updated instead.")
            sort = DEFAULT_SORT

        page = parse_page(one("page"), notices)
        set_in, set_during = _setting(one("set_in"), one("set_during"), notices)

        return cls(
            tags=_names(many("tag")),
            exclude=_names(many("exclude")),
            **checked,
            fandoms=_names(many("fandom")),
            complete=one("complete").lower() in {"1", "true", "on", "yes"},
            words_from=words_from,
            words_to=words_to,
            language=language,
            updated_since=updated_since,
            q=one("q"),
            set_in=set_in,
            set_during=set_during,
            sort=sort,
            page=page,
            notices=notices,
        )

    def params(self) -> list[tuple[str, str]]:
        """The query parameters that reproduce this request (defaults left out)."""
        pairs: list[tuple[str, str]] = []
        named = [("tag", self.tags), ("exclude", self.exclude), ("fandom", self.fandoms)]
        named += [(group.param, getattr(self, group.field)) for group in CHECKBOX_GROUPS]
        for key, names in named:
            pairs += [(key, name) for name in names]
        if self.complete:
            pairs.append(("complete", "1"))
        if self.words_from is not None:
            pairs.append(("words_from", str(self.words_from)))
        if self.words_to is not None:
            pairs.append(("words_to", str(self.words_to)))
        if self.language:
            pairs.append(("language", self.language))
        if self.updated_since:
            pairs.append(("updated_since", self.updated_since.isoformat()))
        if self.q:
            pairs.append(("q", self.q))
        if self.set_in and self.set_during:
            pairs += [("set_in", self.set_in), ("set_during", self.set_during)]
        if self.sort != DEFAULT_SORT:
            pairs.append(("sort", self.sort))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def querystring(self, **changes) -> str:
        """``?…`` for this request with ``changes`` applied (``page=2``, ``sort="kudos"``), or ""."""
        criteria = dataclasses.replace(self, **changes) if changes else self
        encoded = urlencode(criteria.params())
        return f"?{encoded}" if encoded else ""

    def set_during_episode(self) -> tuple[str, Episode] | None:
        """The canon fandom's name and the episode a "set during" filter asks for, if any.

        A work is set during episode E when its stored placement, the open
        interval (after, before), starts at or before E and ends after it:
        ``after_index <= E.index < before_index``, a missing bound being
        unbounded. ``after == E`` counts: the work is set in E's aftermath. A
        placement with neither bound says nothing about time and never matches.
        """
        if not (self.set_in and self.set_during):
            return None
        fandom = load_canon().fandom(self.set_in)
        episode = fandom.episode(self.set_during) if fandom else None
        return (fandom.name, episode) if fandom and episode else None

    @property
    def is_filtered(self) -> bool:
        """Whether anything narrows the results (sorting and paging do not)."""
        return bool(dataclasses.replace(self, sort=DEFAULT_SORT, page=1).params())
