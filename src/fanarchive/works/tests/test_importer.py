"""Importing files as works: mapping, idempotence, atomicity and hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.management.base import CommandError

from fanarchive.people.models import Pseud
from fanarchive.tags.models import Tag, TagType
from fanarchive.testing import seed_path
from fanarchive.works import importer
from fanarchive.works.importer import WorkImportError, import_file, import_path
from fanarchive.works.models import Chapter, Work, WorkReading, WorkTag
from fanarchive.works.tests.factories import write_work_file

pytestmark = pytest.mark.django_db

LABELLED = """Title: Harbour Lights
Author: Saltwater
Rating: T
Fandom: Sherlock (TV)
Pairing: John Watson/Sherlock Holmes
Characters: John Watson, Sherlock Holmes
Tags: Fluff, Case Fic
Summary: Two men & a boat <b>at night</b>.

The harbour was dark. John counted the lights along the quay, one by one, while Sherlock talked.

"Seven," Sherlock said. "There should be eight."

***

By morning they had found the eighth light, and the man who had put it out.
"""


@pytest.fixture
def seed(tmp_path):
    if not seed_path().is_file():
        pytest.skip("the seed work is not available")
    return write_work_file(tmp_path, "seed.txt", seed_path().read_bytes())


def tag_names(work: Work, tag_type: str) -> set[str]:
    return {t.name for t in work.tags.filter(type=tag_type)}


def test_seed_front_matter_is_stored_apart_from_the_story(seed):
    work = import_file(seed)
    assert "I don&#39;t own anything." in work.disclaimer or "I don't own anything." in work.disclaimer
    assert "slight AU" in work.notes
    first = work.chapters.get(position=1)
    assert first.body.startswith("<p>The lone lamppost")
    assert "own anything" not in first.body
    assert work.complete and work.chapter_count == 1 and work.word_count == first.word_count > 500


def test_seed_page_shows_disclaimer_and_notes_in_their_places(seed, client):
    work = import_file(seed)
    page = BeautifulSoup(client.get(work.get_absolute_url()).content, "html.parser")
    workskin = page.select_one("#workskin")
    disclaimer = workskin.select_one(".disclaimer").get_text(" ", strip=True)
    notes = workskin.select_one(".preface .notes").get_text(" ", strip=True)
    story = workskin.select_one(".chapter .userstuff").get_text(" ", strip=True)
    assert "I don't own anything." in disclaimer
    assert "slight AU" in notes and 'between 2.14 "Innocence"' in notes
    assert story.startswith("The lone lamppost") and "own anything" not in story
    text = workskin.get_text(" ", strip=True)
    assert text.index("I don't own anything") < text.index("slight AU") < text.index("The lone lamppost")


def test_seed_suggestions_are_stored_but_not_applied(seed):
    work = import_file(seed)
    assert tag_names(work, TagType.FANDOM) == set()  # the seed declares none
    assert tag_names(work, TagType.RATING) == {"Not Rated"}
    assert tag_names(work, TagType.WARNING) == {"Creator Chose Not To Use Archive Warnings"}
    reading = WorkReading.objects.get(work=work)
    suggested = {(s["type"], s["name"]) for s in reading.result["suggestions"]}
    assert ("fandom", "Buffy the Vampire Slayer (TV)") in suggested
    assert reading.canon_fandom == "Buffy the Vampire Slayer (TV)"
    assert reading.after_index is not None and reading.before_index > reading.after_index


def test_seed_with_applied_suggestions_gets_the_buffy_fandom(seed):
    work = import_file(seed, apply_suggestions=0.8)
    assert tag_names(work, TagType.FANDOM) == {"Buffy the Vampire Slayer (TV)"}
    low = [s for s in work.reading.result["suggestions"] if s["confidence"] < 0.8]
    assert low and not Tag.objects.filter(name__in=[s["name"] for s in low], work_tags__work=work).exclude(
        type__in=[TagType.RATING, TagType.WARNING]
    ).exists()


def test_declared_tags_map_to_typed_tags_and_counts(tmp_path):
    work = import_file(write_work_file(tmp_path, "harbour.txt", LABELLED))
    assert work.title == "Harbour Lights"
    assert [p.name for p in work.creators.all()] == ["Saltwater"]
    assert tag_names(work, TagType.RATING) == {"Teen And Up Audiences"}
    assert tag_names(work, TagType.FANDOM) == {"Sherlock (TV)"}
    assert tag_names(work, TagType.RELATIONSHIP) == {"John Watson/Sherlock Holmes"}
    assert tag_names(work, TagType.CHARACTER) == {"John Watson", "Sherlock Holmes"}
    assert {"Fluff", "Case Fic"} <= tag_names(work, TagType.FREEFORM)
    assert Tag.objects.get(name="Sherlock (TV)").works_count == 1
    assert "<b>" not in work.summary and "&amp;" in work.summary
    body = work.chapters.get().body
    assert body.count('<hr class="scene-break">') == 1 and body.count("<p>") >= 3


def test_existing_tag_is_reused_case_insensitively_and_other_types_get_their_own(tmp_path):
    fandom = Tag.objects.create(name="sherlock (tv)", type=TagType.FANDOM, canonical=True)
    Tag.objects.create(name="Fluff", type=TagType.CHARACTER)  # a clash of types
    Pseud.objects.create(name="SALTWATER")
    work = import_file(write_work_file(tmp_path, "harbour.txt", LABELLED))
    assert work.tags.filter(pk=fandom.pk).exists()
    assert [p.name for p in work.creators.all()] == ["SALTWATER"]
    assert tag_names(work, TagType.FREEFORM) >= {"Fluff (Additional Tags)"}


def test_reimport_updates_the_same_work(tmp_path):
    path = write_work_file(tmp_path, "harbour.txt", LABELLED)
    first = import_file(path)
    path.write_text(LABELLED.replace("Title: Harbour Lights", "Title: Harbour Lights, Revised").replace(
        "Tags: Fluff, Case Fic", "Tags: Angst"))  # fmt: skip
    second = import_file(path)
    assert second.pk == first.pk and Work.objects.count() == 1
    second.refresh_from_db()
    assert second.title == "Harbour Lights, Revised"
    assert Chapter.objects.filter(work=second).count() == 1
    assert "Fluff" not in tag_names(second, TagType.FREEFORM) and "Angst" in tag_names(second, TagType.FREEFORM)
    assert Tag.objects.get(name="Fluff").works_count == 0
    assert WorkReading.objects.filter(work=second).count() == 1


def test_failure_mid_work_rolls_back_and_keeps_the_previous_version(tmp_path, monkeypatch):
    path = write_work_file(tmp_path, "harbour.txt", LABELLED)
    original = import_file(path)
    before = (Chapter.objects.count(), WorkTag.objects.count(), original.chapters.get().body)
    path.write_text(LABELLED.replace("Title: Harbour Lights", "Title: Broken").replace("harbour", "river"))

    def explode(*args, **kwargs):
        assert Chapter.objects.filter(work=original).exists()  # chapters were written already
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "declared_tags", explode)
    with pytest.raises(RuntimeError):
        import_file(path)
    original.refresh_from_db()
    assert original.title == "Harbour Lights"
    assert (Chapter.objects.count(), WorkTag.objects.count(), original.chapters.get().body) == before


def test_failure_on_a_new_work_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "refresh_works_count", lambda ids: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        import_file(write_work_file(tmp_path, "harbour.txt", LABELLED))
    assert not Work.objects.exists() and not Chapter.objects.exists() and not WorkTag.objects.exists()


HOSTILE_HTML = """<html><body><h1>Bad Manners</h1>
<p>Hello <script>alert(1)</script><img src="x" onerror="alert(2)"> and
<a href="javascript:alert(3)">a link</a> and <a href="https://example.org/">a fine one</a>.</p>
<p>Second paragraph that has enough words to count as story text for the reader.</p>
</body></html>"""

HOSTILE_MARKDOWN = """Title: Bad Markdown

A paragraph with [a trap](javascript:alert(1)) and <script>alert(2)</script> inline,
and <img src=x onerror=alert(3)> too.

Another paragraph of the story follows here, quietly.
"""


@pytest.mark.parametrize("name,content", [("bad.html", HOSTILE_HTML), ("bad.md", HOSTILE_MARKDOWN)])
def test_hostile_markup_is_sanitized(tmp_path, name, content):
    work = import_file(write_work_file(tmp_path, name, content))
    stored = " ".join([work.summary, work.notes, *work.chapters.values_list("body", flat=True)])
    soup = BeautifulSoup(stored, "html.parser")
    assert not soup.find_all(["script", "iframe", "style"])
    for element in soup.find_all(True):
        assert not [name for name in element.attrs if name.startswith("on")]
        assert not element.get("href", "").lower().startswith("javascript")
    assert "paragraph" in soup.get_text()


def test_latin1_and_invalid_utf8_files_still_import(tmp_path):
    latin_text = "Title: Café Noir\n\nShe ordered a café crème and waited.\n"
    latin = write_work_file(tmp_path, "latin.txt", latin_text.encode("latin-1"))
    broken = write_work_file(tmp_path, "broken.txt", b"Title: Broken Bytes\n\nA story \xff\xfe with bad bytes.\n")
    assert import_file(latin).title == "Café Noir"
    assert "story" in import_file(broken).chapters.get().body


@pytest.mark.parametrize(
    "name,content",
    [
        ("empty.txt", b""),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
        ("paper.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8),
        ("notes.docx", b"Title: Wrong Kind\n\nText."),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path, name, content):
    with pytest.raises(WorkImportError) as error:
        import_file(write_work_file(tmp_path, name, content))
    assert str(error.value)
    assert not Work.objects.exists()


def test_oversized_file_is_refused_before_reading(tmp_path, settings):
    settings.FANARCHIVE_MAX_WORK_BYTES = 100
    with pytest.raises(WorkImportError, match="limit"):
        import_file(write_work_file(tmp_path, "long.txt", "word " * 100))


def test_folder_imports_good_files_and_reports_bad_ones(tmp_path):
    write_work_file(tmp_path, "a/one.txt", LABELLED)
    write_work_file(tmp_path, "a/b/two.md", "# Chapter 1\n\nA short story about a river.\n")
    write_work_file(tmp_path, "a/empty.txt", "")
    write_work_file(tmp_path, "a/picture.htm", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    write_work_file(tmp_path, "a/.hidden.txt", LABELLED)
    write_work_file(tmp_path, "a/readme.pdf", b"%PDF")
    result = import_path(tmp_path / "a")
    assert len(result.created) == 2 and not result.updated
    assert sorted(f.path.name for f in result.failures) == ["empty.txt", "picture.htm"]
    assert result.summary() == "Imported 2 works (0 updated), 2 files failed"
    again = import_path(tmp_path / "a")
    assert len(again.updated) == 2 and Work.objects.count() == 2


def test_command_reports_and_exits_nonzero_only_when_nothing_imported(tmp_path, capsys):
    write_work_file(tmp_path, "good.txt", LABELLED)
    bad = write_work_file(tmp_path, "bad.txt", "")
    call_command("import_works", str(tmp_path), "--quiet")
    out, err = capsys.readouterr()
    assert "Imported 1 work (0 updated), 1 file failed" in out
    assert "bad.txt" in err
    with pytest.raises(CommandError):
        call_command("import_works", str(bad), "--quiet")


def test_title_falls_back_to_the_file_name(tmp_path):
    work = import_file(write_work_file(tmp_path, "07_the_long-night.txt", "It was a long night, and nobody slept.\n"))
    assert work.title == "The Long Night"
    assert [p.name for p in work.creators.all()] == ["Anonymous"]


@pytest.mark.parametrize("declared,code", [("English", "en"), ("fr", "fr"), ("Español", "es"), ("Klingon", "en")])
def test_declared_language_becomes_a_code(declared, code):
    assert importer.language_code(declared) == code


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("01_the_long-night.txt", "The Long Night"),
        ("000_e921cebd9ae62899.txt", "Untitled"),
        ("story_4471023.html", "Story"),
        ("part_2.md", "Part 2"),
        ("decade.txt", "Decade"),
    ],
)
def test_title_from_filename_drops_machine_names(name, title):
    assert importer.title_from_filename(Path(name)) == title
