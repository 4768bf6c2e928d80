"""Load and export the tag wrangling graph as JSON.

The format (``fanarchive tags load|export FILE``)::

    {"tags": [
      {"name": "Buffy Summers", "type": "character", "canonical": true,
       "synonym_of": null, "parents": ["Buffy the Vampire Slayer (TV)"]},
      {"name": "Buffy", "type": "character", "canonical": false,
       "synonym_of": "Buffy Summers", "parents": []}
    ]}

``type`` is a :class:`~fanarchive.tags.models.TagType` value; ``canonical``,
``synonym_of`` and ``parents`` may be left out. Names are matched ignoring
case and spacing; a synonym target or parent must be listed in the file or
already exist in the archive. Loading *adds* wrangling (creates tags, makes
them canonical, merges synonyms, adds parent links) and never removes any,
so loading the same file twice changes nothing. It runs in one transaction
through the model's wrangling helpers, so a loop or an invalid synonym
rejects the whole file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from fanarchive.tags.models import Tag, TagParent, TagType, tag_key


class TagGraphError(ValueError):
    """The graph file is invalid; the message says where."""


@dataclass
class LoadResult:
    created: int = 0
    canonicalised: int = 0
    synonyms: int = 0
    parent_links: int = 0

    def summary(self) -> str:
        return (
            f"{self.created} tags created, {self.canonicalised} made canonical, "
            f"{self.synonyms} synonyms merged, {self.parent_links} parent links added"
        )


def load_graph(data: dict[str, Any]) -> LoadResult:
    """Apply the graph in ``data`` (the JSON format above) to the archive."""
    entries = _validated(data)
    result = LoadResult()
    with transaction.atomic():
        tags = {tag_key(e["name"]): _ensure_tag(e, result) for e in entries}

        def lookup(name: str, where: str) -> Tag:
            key = tag_key(name)
            tag = tags.get(key) or Tag.objects.filter(key=key).first()
            if tag is None:
                raise TagGraphError(f"{where}: unknown tag “{name}” (not in the file nor the archive)")
            tags[key] = tag
            return tag

        try:
            for entry in entries:
                if target := entry.get("synonym_of"):
                    tag = tags[tag_key(entry["name"])]
                    canonical = lookup(target, f"“{entry['name']}” synonym_of")
                    if tag.merger_id != canonical.pk:
                        tag.make_synonym_of(canonical)
                        result.synonyms += 1
            for entry in entries:
                child = tags[tag_key(entry["name"])]
                for parent_name in entry.get("parents") or []:
                    parent = lookup(parent_name, f"“{entry['name']}” parents")
                    if not TagParent.objects.filter(child=child, parent=parent).exists():
                        child.add_parent(parent)
                        result.parent_links += 1
        except ValidationError as error:
            raise TagGraphError("; ".join(error.messages)) from error
    return result


def export_graph() -> dict[str, Any]:
    """Every wrangled tag (canonical, synonym or with parents) in the JSON format."""
    parents: dict[int, list[str]] = defaultdict(list)
    for child_id, parent_name in TagParent.objects.values_list("child_id", "parent__name").order_by(
        "child_id", "parent__key"
    ):
        parents[child_id].append(parent_name)
    wrangled = Tag.objects.filter(Q(canonical=True) | Q(merger__isnull=False) | Q(parent_links__isnull=False))
    rows = wrangled.distinct().order_by("type", "key").values_list("id", "name", "type", "canonical", "merger__name")
    return {
        "tags": [
            {"name": name, "type": tag_type, "canonical": canonical, "synonym_of": merger, "parents": parents[pk]}
            for pk, name, tag_type, canonical, merger in rows.iterator(chunk_size=5000)
        ]
    }


def _validated(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get("tags"), list):
        raise TagGraphError('expected an object {"tags": [...]}')
    seen: dict[str, int] = {}
    for number, entry in enumerate(data["tags"], 1):
        where = f"tag #{number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise TagGraphError(f"{where}: needs a non-empty “name”")
        where = f"tag #{number} “{entry['name']}”"
        if entry.get("type") not in TagType.values:
            raise TagGraphError(f"{where}: “type” must be one of {', '.join(TagType.values)}")
        if entry.get("canonical") and entry.get("synonym_of"):
            raise TagGraphError(f"{where}: a synonym cannot be canonical")
        if not isinstance(entry.get("parents") or [], list):
            raise TagGraphError(f"{where}: “parents” must be a list of names")
        key = tag_key(entry["name"])
        if key in seen:
            raise TagGraphError(f"{where}: listed twice (also tag #{seen[key]})")
        seen[key] = number
    return data["tags"]


def _ensure_tag(entry: dict[str, Any], result: LoadResult) -> Tag:
    name, tag_type = entry["name"], entry["type"]
    tag = Tag.objects.filter(key=tag_key(name)).first()
    if tag is None:
        tag = Tag.objects.create(name=name, type=tag_type, canonical=bool(entry.get("canonical")))
        result.created += 1
        result.canonicalised += tag.canonical
        return tag
    if tag.type != tag_type:
        raise TagGraphError(f"“{name}” is a {tag.type} tag in the archive, but {tag_type} in the file")
    if entry.get("canonical") and not tag.canonical:
        if tag.merger_id:
            raise TagGraphError(f"“{name}” is a synonym of “{tag.merger}” in the archive; it cannot be canonical")
        tag.canonical = True
        tag.save(update_fields=["canonical"])
        result.canonicalised += 1
    return tag
