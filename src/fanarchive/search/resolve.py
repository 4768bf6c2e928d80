"""Turn the tag names of a :class:`FilterCriteria` into sets of tag ids.

Shared by every filter backend: the ORM one (:mod:`fanarchive.search.orm`)
and any faster index plugged in behind :func:`fanarchive.search.engine.find_works`
receive the same clauses, so wrangling means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fanarchive.search.filters import FilterCriteria
from fanarchive.tags.models import Tag, TagType, tag_key


@dataclass
class ResolvedFilter:
    """The tag part of a filter, as tag ids.

    A work matches when, for every set in ``all_of``, it carries at least one
    tag of that set, and it carries no tag in ``none_of``. ``matches_nothing``
    is set when a required tag does not exist, so no work can match.
    """

    all_of: list[set[int]] = field(default_factory=list)
    none_of: set[int] = field(default_factory=set)
    notices: list[str] = field(default_factory=list)
    matches_nothing: bool = False


def resolve(criteria: FilterCriteria) -> ResolvedFilter:
    """Look up every tag name in ``criteria`` (one query) and expand it to its filter scope."""
    names = [
        *criteria.tags, *criteria.exclude, *criteria.fandoms,
        *criteria.ratings, *criteria.warnings, *criteria.categories,
    ]  # fmt: skip
    by_key = {tag.key: tag for tag in Tag.objects.named(names)} if names else {}
    resolved = ResolvedFilter()

    for name in criteria.tags:
        tag = by_key.get(tag_key(name))
        if tag is None:
            resolved.notices.append(f"No tag named “{name}”, so no works match.")
            resolved.matches_nothing = True
        else:
            resolved.all_of.append(Tag.filter_scope([tag.pk]))

    excluded = []
    for name in criteria.exclude:
        tag = by_key.get(tag_key(name))
        if tag is None:
            resolved.notices.append(f"No tag named “{name}” to exclude; it was ignored.")
        else:
            excluded.append(tag.pk)
    resolved.none_of = Tag.filter_scope(excluded)

    groups = [
        (criteria.fandoms, TagType.FANDOM),
        (criteria.ratings, TagType.RATING),
        (criteria.warnings, TagType.WARNING),
        (criteria.categories, TagType.CATEGORY),
    ]
    for group_names, tag_type in groups:
        if not group_names:
            continue
        found = []
        for name in group_names:
            tag = by_key.get(tag_key(name))
            if tag is not None and tag.type == tag_type:
                found.append(tag.pk)
            else:
                resolved.notices.append(f"No {TagType(tag_type).label.lower()} tag named “{name}”.")
        if found:
            resolved.all_of.append(Tag.filter_scope(found))
        else:
            resolved.matches_nothing = True
    return resolved
