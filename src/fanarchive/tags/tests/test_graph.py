"""Loading and exporting the tag wrangling graph."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fanarchive.tags.graph import TagGraphError, export_graph, load_graph
from fanarchive.tags.models import Tag, TagParent
from fanarchive.works.demo import DEMO_DIR

pytestmark = pytest.mark.django_db

GRAPH = {
    "tags": [
        {"name": "Buffyverse", "type": "fandom", "canonical": True, "parents": ["TV Shows"]},
        {"name": "Buffy the Vampire Slayer (TV)", "type": "fandom", "canonical": True, "parents": ["Buffyverse"]},
        {"name": "BtVS", "type": "fandom", "synonym_of": "buffy the vampire slayer (tv)"},
        {"name": "Buffy Summers", "type": "character", "canonical": True,
         "parents": ["Buffy the Vampire Slayer (TV)"]},
        {"name": "Buffy", "type": "character", "synonym_of": "Buffy Summers"},
    ]
}  # fmt: skip


def test_load_wrangles_and_is_idempotent():
    first = load_graph(GRAPH)
    assert (first.created, first.synonyms, first.parent_links) == (5, 2, 3)
    again = load_graph(GRAPH)
    assert (again.created, again.synonyms, again.parent_links) == (0, 0, 0)
    buffy = Tag.objects.get(name="Buffy Summers")
    assert Tag.objects.get(name="Buffy").merger == buffy
    fandom = Tag.objects.get(name="Buffyverse")
    assert buffy.pk in Tag.filter_scope([fandom.pk])


def test_loop_rejects_the_whole_file():
    load_graph(GRAPH)
    before = (Tag.objects.count(), TagParent.objects.count())
    looped = {"tags": [
        {"name": "Buffyverse", "type": "fandom", "canonical": True, "parents": ["Buffy Summers Fandom"]},
        {"name": "Buffy Summers Fandom", "type": "fandom", "canonical": True,
         "parents": ["Buffy the Vampire Slayer (TV)"]},
    ]}  # fmt: skip
    with pytest.raises(TagGraphError, match="loop"):
        load_graph(looped)
    assert (Tag.objects.count(), TagParent.objects.count()) == before


@pytest.mark.parametrize(
    "bad,message",
    [
        ({"tags": [{"name": "X", "type": "colour"}]}, "type"),
        ({"tags": [{"name": "X", "type": "freeform", "parents": ["Nowhere"]}]}, "unknown tag"),
        ({"tags": [{"name": "X", "type": "freeform"}, {"name": "x", "type": "freeform"}]}, "twice"),
        ({"tags": [{"name": "Mature", "type": "freeform"}]}, "rating"),
        ([], "expected"),
    ],
)
def test_invalid_files_are_refused_with_a_reason(bad, message):
    with pytest.raises(TagGraphError, match=message):
        load_graph(bad)


def test_export_round_trips(tmp_path):
    call_command("tag_graph", "load", str(DEMO_DIR / "tag_graph.json"))
    out = tmp_path / "graph.json"
    call_command("tag_graph", "export", str(out))
    exported = json.loads(out.read_text())
    assert export_graph() == exported
    spuffy = next(t for t in exported["tags"] if t["name"] == "Spuffy")
    assert spuffy == {"name": "Spuffy", "type": "relationship", "canonical": False,
                      "synonym_of": "Buffy Summers/Spike", "parents": []}  # fmt: skip
    Tag.objects.filter(parent_links__isnull=False).delete()
    Tag.objects.filter(merger__isnull=False).delete()
    call_command("tag_graph", "load", str(out))
    assert export_graph() == exported


def test_command_reports_bad_json(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("tag_graph", "load", str(bad))
