"""Front matter, chapters, paragraphs and scene breaks for each source format."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanarchive.reading import read
from fanarchive.reading.frontmatter import sentences, split_items
from fanarchive.reading.model import ReaderError
from fanarchive.reading.sources import chapter_heading, is_scene_break
from fanarchive.reading.structure import count_words, detect_format
from fanarchive.testing import seed_path

FIXTURES = Path(__file__).parent / "fixtures"


def structure_of(text: str, filename: str | None = None):
    return read(text, filename=filename, depth="structure")


def fixture(name: str):
    return read((FIXTURES / name).read_bytes(), filename=name, depth="structure")


# --- small pieces -------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["***", "* * *", "~~~", "oOo", "-o-", "xXx", "---", "___", "§", "   #   ", "+", "~*~*~", "o0o", "(scene break)"],
)
def test_scene_break_lines(line):
    assert is_scene_break(line)


@pytest.mark.parametrize("line", ["...", "“…”", "Oh.", "xxx!", "Box", "No", "?!", "OK", "ooh"])
def test_lines_that_are_not_scene_breaks(line):
    assert not is_scene_break(line)


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Chapter 1", ""),
        ("Chapter One: The Harvest", "The Harvest"),
        ("CHAPTER TWENTY-ONE", ""),
        ("Ch. 2 - Welcome to the Hellmouth", "Welcome to the Hellmouth"),
        ("Part 3", ""),
        ("Part IV: Becoming", "Becoming"),
        ("~Chapter 5~", ""),
        ("**Chapter 6: Lie to Me**", "Lie to Me"),
        ("Prologue", "Prologue"),
        ("Epilogue: After", "Epilogue: After"),
        ("1.", ""),
        ("12. The Dark Age", "The Dark Age"),
    ],
)
def test_chapter_headings(line, title):
    assert chapter_heading(line, alone=True) == title


@pytest.mark.parametrize("line", ["Part of me wanted to stay.", "Chi", "Chapters later, she smiled.", "Chapter"])
def test_story_lines_are_not_chapter_headings(line):
    assert chapter_heading(line, alone=True) is None


def test_bare_numbers_are_headings_only_when_alone():
    assert chapter_heading("3.", alone=False) is None


@pytest.mark.parametrize(
    ("value", "items"),
    [
        ("Spike/Buffy, Giles & Willow", ["Spike/Buffy", "Giles & Willow"]),
        ("none", []),
        ("None.", []),
        ("n/a", []),
        ("Angst; Hurt/Comfort; Fluff.", ["Angst", "Hurt/Comfort", "Fluff"]),
    ],
)
def test_declared_lists_are_split(value, items):
    assert split_items(value) == items


def test_sentences_keep_episode_numbers_and_titles_together():
    text = 'Set between 2.14 "Innocence" and 2.21 "Becoming, Part I". Mr. Giles approves. Enjoy!'
    assert sentences(text) == [
        'Set between 2.14 "Innocence" and 2.21 "Becoming, Part I".',
        "Mr. Giles approves.",
        "Enjoy!",
    ]


def test_word_count_ignores_punctuation_only_tokens():
    assert count_words("Well — I don't know... * * * you—you're sure?") == 6


def test_word_count_counts_each_chinese_character_like_ao3():
    assert count_words("他看见John靠在病床边。 Hello, world — 123") == 12


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("anything", "work.md", "markdown"),
        ("<p>x</p>", "work.txt", "text"),
        ("anything", "WORK.HTM", "html"),
        ("<!DOCTYPE html><html><body><p>Hi</p></body></html>", None, "html"),
        ("Some text.\n\n<p>One</p><p>two</p><br>", None, "html"),
        ("# Title\n\nText", None, "markdown"),
        ("Plain story.\n\n* * *\n\nMore.", None, "text"),
    ],
)
def test_format_detection(text, filename, expected):
    assert detect_format(text, filename) == expected


# --- plain text -----------------------------------------------------------------------


def test_plain_oneshot_notes_before_and_after_the_story():
    reading = fixture("oneshot_notes.txt")
    front = reading.front
    assert front.disclaimer == "I own nothing but the plot."
    assert front.notes[0].startswith("This is an AU where the Initiative never existed")
    assert front.notes[1].startswith("It's set in the summer after 3.22")
    assert [chapter.title for chapter in reading.chapters] == [""]
    paragraphs = reading.chapters[0].paragraphs
    assert paragraphs[0].text.startswith("The motel sign buzzed")
    assert paragraphs[-1].text == "By morning the sign had gone out altogether."
    assert paragraphs[-1].scene_break_before and not paragraphs[1].scene_break_before
    assert front.end_notes == ["Thanks for reading! This was written for a summer prompt."]
    assert any("3.22" in statement for statement in front.setting)
    assert any("canon-compliant" in statement for statement in front.continuity)


def test_ffnet_style_multichapter_text():
    reading = fixture("ffnet_multichapter.txt")
    front = reading.front
    assert (front.title, front.author, front.rating) == ("Library Hours", "QuietStacks", "T")
    assert front.relationships == ["Willow/Tara", "Giles & Xander"]
    assert front.characters == ["Willow Rosenberg", "Tara Maclay", "Rupert Giles"]
    assert front.warnings == []
    assert front.summary == "Willow finds a book that reads back. Giles would rather it didn't."
    assert front.disclaimer == "Joss owns them; I only borrow."
    first, second = reading.chapters
    assert (first.number, first.title, second.number, second.title) == (1, "Overdue", 2, "Renewal")
    assert first.notes_begin.startswith("Thanks to my beta")
    assert first.notes_end == "More soon. Please review!"
    assert first.paragraphs[0].text.startswith("The library smelled")
    assert [p.scene_break_before for p in first.paragraphs] == [False, False, False, True]
    assert second.paragraphs[-1].text == '"We should go," Willow said. Nobody moved.'
    assert front.end_notes == ["Thanks for reading! Reviews are love."]
    assert any("season 4" in statement for statement in front.setting)
    assert reading.word_count == first.word_count + second.word_count
    story_words = sum(count_words(p.text) for c in reading.chapters for p in c.paragraphs)
    assert reading.word_count == story_words and "beta" not in " ".join(p.text for p in first.paragraphs)


def test_fanfiction_net_story_line():
    text = (
        "Ghosts of Sunnydale\nBy QuietStacks\n\n"
        "Rated: Fiction T - English - Hurt/Comfort/Romance - [Buffy S., Spike] Willow R. - Chapters: 3 - "
        "Words: 5,234 - Published: 5/2/2010 - Complete\n\n"
        "The lights went out.\n"
    )
    front = structure_of(text).front
    assert (front.title, front.author, front.rating, front.language) == ("Ghosts of Sunnydale", "QuietStacks", "T", "English")
    assert front.freeforms == ["Hurt/Comfort", "Romance"]
    assert front.relationships == ["Buffy S./Spike"]
    assert front.characters == ["Buffy S.", "Spike", "Willow R."]


def test_one_paragraph_per_line_text():
    text = (
        "Rating: K+\n"
        "Buffy sat on the swing.\n"
        '"You came," Angel said.\n'
        '"I always do."\n'
        "The chains creaked.\n"
    )
    reading = structure_of(text)
    assert reading.front.rating == "K+"
    assert [p.text for p in reading.chapters[0].paragraphs] == [
        "Buffy sat on the swing.", '"You came," Angel said.', '"I always do."', "The chains creaked."
    ]


def test_hard_wrapped_paragraphs_are_joined():
    wrapped = (
        "The Bronze was loud that night, louder than it had any right to be on a\n"
        "school night, and Xander had already lost track of Willow twice.\n"
        "\n"
        "He found her by the pool table, frowning at a cue as if it owed her money.\n"
    )
    paragraphs = structure_of(wrapped).chapters[0].paragraphs
    assert len(paragraphs) == 2
    assert paragraphs[0].text.endswith("on a school night, and Xander had already lost track of Willow twice.")


def test_indented_lines_start_new_paragraphs_in_wrapped_text():
    text = (
        "    Cordelia checked her reflection in the window of the Magic Box, then\n"
        "remembered she was furious and stopped.\n"
        "    Anya did not look up from the till. Customers, she had decided, were\n"
        "a renewable resource.\n"
    )
    paragraphs = structure_of(text).chapters[0].paragraphs
    assert [p.text[:9] for p in paragraphs] == ["Cordelia ", "Anya did "]
    assert paragraphs[1].text.endswith("were a renewable resource.")


def test_label_with_its_value_in_the_next_block():
    text = "Summary:\n\nOz comes back for one night only.\n\nThe van pulled up at dusk.\n"
    reading = structure_of(text)
    assert reading.front.summary == "Oz comes back for one night only."
    assert reading.chapters[0].paragraphs[0].text == "The van pulled up at dusk."


def test_multiline_label_values_continue_until_blank_line():
    text = (
        "Summary: Faith gets a second chance\n"
        "and a very bad roommate.\n"
        "Notes: Written for a friend\n"
        "who asked nicely.\n\n"
        "Faith kicked the door shut.\n"
    )
    front = structure_of(text).front
    assert front.summary == "Faith gets a second chance and a very bad roommate."
    assert front.notes == ["Written for a friend who asked nicely."]


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("A/N: hello", "notes", ["hello"]),
        ("AN: hello", "notes", ["hello"]),
        ("Author's Note: hello", "notes", ["hello"]),
        ("Authors note - hello", "notes", ["hello"]),
        ("(A/N: hello)", "notes", ["hello"]),
        ("Pairings: Xander/Anya", "relationships", ["Xander/Anya"]),
        ("Relationship(s): Xander/Anya, Willow & Oz", "relationships", ["Xander/Anya", "Willow & Oz"]),
        ("Warnings: Character death", "warnings", ["Character death"]),
        ("Fandom: Angel", "fandoms", ["Angel"]),
        ("Additional Tags: Angst, Hurt/Comfort", "freeforms", ["Angst", "Hurt/Comfort"]),
        ("Category: F/M", "categories", ["F/M"]),
        ("Language: English", "language", "English"),
        ("Title: Lost Weekend", "title", "Lost Weekend"),
        ("Author: Someone", "author", "Someone"),
        ("Timeline: post-Chosen", "setting", ["Timeline: post-Chosen"]),
        ("Spoilers: through season 7", "setting", ["Spoilers: through season 7"]),
        ("**Rating:** M", "rating", "M"),
    ],
)
def test_front_matter_labels(line, field, expected):
    reading = structure_of(f"{line}\n\nThe story starts here and goes on.\n")
    assert getattr(reading.front, field) == expected
    assert reading.chapters[0].paragraphs[0].text == "The story starts here and goes on."


def test_unlabelled_disclaimer_and_notes_before_the_story():
    text = (
        "Buffy belongs to Joss Whedon, not me.\n\n"
        "My first fic, please enjoy!\n\n"
        "Dawn counted the steps twice.\n"
    )
    reading = structure_of(text)
    assert reading.front.disclaimer == "Buffy belongs to Joss Whedon, not me."
    assert reading.front.notes == ["My first fic, please enjoy!"]
    assert reading.chapters[0].paragraphs[0].text == "Dawn counted the steps twice."


@pytest.mark.parametrize(
    "opening",
    [
        "The wind came off the ocean, cold and sour.",
        "I hope he calls tonight. I wrote him a note and left it on the fridge.",
        "The ticket cost 3.50 and she was prompt for once.",
        '"Is this the story you told Giles?" Willow asked.',
    ],
)
def test_unlabelled_opening_story_paragraph_is_not_taken_as_a_note(opening):
    reading = structure_of(f"Disclaimer: not mine.\n\n{opening}\n\nShe walked on.\n")
    assert reading.front.notes == []
    assert reading.chapters[0].paragraphs[0].text == opening


def test_notes_only_input_is_kept_as_story_rather_than_lost():
    reading = structure_of("I hope you enjoy this fic, it is my first one.\n")
    assert reading.chapters[0].paragraphs[0].text.startswith("I hope you enjoy")


def test_labels_only_input_is_refused():
    with pytest.raises(ReaderError, match="no story text"):
        structure_of("Rating: T\nPairing: none\n")


def test_scene_break_is_not_a_paragraph_and_marks_the_next_one():
    text = "One.\n\n* * *\n\nTwo.\n\noOo\n\n~~~\n\nThree.\n"
    paragraphs = structure_of(text).chapters[0].paragraphs
    assert [(p.text, p.scene_break_before) for p in paragraphs] == [
        ("One.", False), ("Two.", True), ("Three.", True)
    ]


def test_chapter_notes_begin_and_end():
    text = (
        "Chapter 1\n\nA/N: First one!\n\nStory one.\n\nMore story.\n\nA/N: see you next time\n\n"
        "Chapter 2: Later\n\nAuthor's Note: Second.\n\nStory two.\n"
    )
    first, second = structure_of(text).chapters
    assert (first.notes_begin, first.notes_end) == ("First one!", "see you next time")
    assert [p.text for p in first.paragraphs] == ["Story one.", "More story."]
    assert (second.title, second.notes_begin) == ("Later", "Second.")


def test_table_of_contents_does_not_make_empty_chapters():
    text = "Chapter 1\nChapter 2\n\nChapter 1\n\nAlpha.\n\nChapter 2\n\nBeta.\n"
    chapters = structure_of(text).chapters
    assert [(c.number, [p.text for p in c.paragraphs]) for c in chapters] == [(1, ["Alpha."]), (2, ["Beta."])]


def test_plain_text_html_is_escaped():
    paragraph = structure_of("Xander typed <script>alert(1)</script> & laughed.\n").chapters[0].paragraphs[0]
    assert paragraph.html == "Xander typed &lt;script&gt;alert(1)&lt;/script&gt; &amp; laughed."


# --- Markdown -------------------------------------------------------------------------


def test_markdown_work():
    reading = fixture("markdown_work.md")
    front = reading.front
    assert reading.source_format == "markdown"
    assert front.title == "The Long Way Round"
    assert front.fandoms == ["Good Omens (TV)"]
    assert front.relationships == ["Aziraphale/Crowley"]
    assert front.freeforms == ["Road Trips", "Fluff"]
    assert front.summary == "Crowley takes the scenic route. Aziraphale notices."
    first, second = reading.chapters
    assert (first.title, second.title) == ("Petrol", "Tea")
    refuel = first.paragraphs[2]
    assert refuel.text == '"I am refuelling," said Crowley.'
    assert "<strong>refuelling</strong>" in refuel.html
    assert first.paragraphs[3].scene_break_before
    assert second.paragraphs[0].text.startswith("The café had one table")
    assert "<em>two</em>" in second.paragraphs[0].html
    assert not second.paragraphs[0].scene_break_before  # a break right after a heading is no break


@pytest.mark.parametrize("rule", ["* * *", "***", "---", "___", "~~~", "*", "+", "-", "oOo", "-o-", "#", "§"])
def test_markdown_scene_breaks(rule):
    reading = structure_of(f"One.\n\n{rule}\n\nTwo.\n", filename="w.md")
    assert [(p.text, p.scene_break_before) for p in reading.chapters[0].paragraphs] == [
        ("One.", False), ("Two.", True)
    ]


def test_markdown_bare_numbers_are_chapters_not_lists():
    reading = structure_of("1.\n\nOne.\n\n2.\n\nTwo.\n", filename="w.md")
    assert [[p.text for p in c.paragraphs] for c in reading.chapters] == [["One."], ["Two."]]


def test_markdown_raw_html_is_escaped():
    reading = structure_of("Text with <b onclick=x>raw</b> html.\n", filename="w.md")
    assert "<b" not in reading.chapters[0].paragraphs[0].html


def test_markdown_headings_without_title_become_chapters():
    text = "## One\n\nFirst.\n\n## Two\n\nSecond.\n"
    reading = structure_of(text, filename="w.md")
    assert [c.title for c in reading.chapters] == ["One", "Two"]
    assert reading.front.title == ""


# --- HTML -----------------------------------------------------------------------------


def test_ao3_download_layout():
    reading = fixture("ao3_download.html")
    front = reading.front
    assert reading.source_format == "html"
    assert (front.title, front.author) == ("Second Watch", "nightjarwriter")
    assert front.rating == "Teen And Up Audiences"
    assert front.warnings == ["No Archive Warnings Apply"]
    assert front.categories == ["Gen"]
    assert front.fandoms == ["Buffy the Vampire Slayer (TV)"]
    assert front.relationships == ["Buffy Summers & Rupert Giles"]
    assert front.characters == ["Buffy Summers", "Rupert Giles", "Joyce Summers"]
    assert front.freeforms == ["Missing Scene", "Patrolling"]
    assert front.language == "English"
    assert front.summary.startswith("Giles takes a turn on patrol")
    assert front.notes == ['Set early in season 3, before "Helpless".']
    assert front.end_notes == ["Thank you for reading this little thing."]
    assert front.setting == ['Set early in season 3, before "Helpless".']
    assert "Missing Scene" in front.continuity
    first, second = reading.chapters
    assert (first.title, first.notes_begin, first.notes_end) == ("Dusk", "The first half.", "One more to go.")
    assert first.paragraphs[0].html == "The cemetery gates were <em>open</em>, which was never a good sign."
    assert first.paragraphs[3].scene_break_before
    assert second.title == "Dawn"
    assert [p.text for p in second.paragraphs][-1] == '"Tea?" she asked, and Giles nearly wept.'
    assert "Published" not in " ".join(p.text for c in reading.chapters for p in c.paragraphs)


def test_ao3_story_text_is_trusted_not_searched_for_notes():
    page = (FIXTURES / "ao3_download.html").read_text().replace(
        "<p>Joyce had left", "<p>A/N: not a label here.</p><p>Joyce had left"
    ).replace("nearly wept.</p>", "nearly wept.</p><p>Thanks for reading, said the sign.</p>")
    second = structure_of(page).chapters[1]
    assert second.paragraphs[0].text == "A/N: not a label here."
    assert second.paragraphs[-1].text == "Thanks for reading, said the sign."


def test_ao3_single_chapter_heading_does_not_replace_the_title():
    page = (FIXTURES / "ao3_download.html").read_text()
    start, end = page.index('  <div class="meta group">\n    <h2 class="heading">Chapter 2'), page.index('<div id="afterword">')
    page = page[:start] + "</div>\n" + page[end:]
    page = page.replace("Chapter 1: Dusk", "Dusk")
    reading = structure_of(page)
    assert reading.front.title == "Second Watch"
    assert [chapter.title for chapter in reading.chapters] == ["Dusk"]


def test_markdown_notes_heading_before_the_story():
    text = "## Author's Note\n\nWritten on a train.\n\n## Chapter 1\n\nStory.\n"
    reading = structure_of(text, filename="w.md")
    assert reading.front.notes == ["Written on a train."]
    assert [(c.title, c.paragraphs[0].text) for c in reading.chapters] == [("", "Story.")]


def test_plain_html_with_headings_breaks_and_unsafe_markup():
    page = (
        "<html><body><h1>Night Shift</h1><p>Rating: G</p>"
        "<h2>Chapter 1</h2><p>She <i>ran</i>.<script>alert(1)</script></p>"
        '<p align="center">* * *</p><p onclick="x()">He <b>stayed</b>.<br>Then left.</p>'
        "<h2>Chapter 2</h2><p>Done.</p></body></html>"
    )
    reading = structure_of(page)
    assert reading.front.title == "Night Shift" and reading.front.rating == "G"
    first = reading.chapters[0]
    assert [p.text for p in first.paragraphs] == ["She ran.", "He stayed.\nThen left."]
    assert first.paragraphs[0].html == "She <em>ran</em>."
    assert first.paragraphs[1].html == "He <strong>stayed</strong>.<br>Then left."
    assert first.paragraphs[1].scene_break_before
    assert len(reading.chapters) == 2


def test_deeply_nested_html_is_an_error_or_a_reading_not_a_crash():
    page = "<div>" * 5000 + "Deep words." + "</div>" * 5000
    try:
        reading = structure_of(page, filename="deep.html")
    except ReaderError as error:
        assert "nested" in str(error)
    else:
        assert reading.word_count >= 1


# --- the seed -------------------------------------------------------------------------


@pytest.fixture
def seed_reading():
    path = seed_path()
    if not path.exists():
        pytest.skip("seed work not available")
    return read(path.read_bytes(), filename=path.name, depth="structure")


def test_seed_front_matter(seed_reading):
    front = seed_reading.front
    assert front.disclaimer == "I don't own anything."
    assert any(note.startswith("I imagine this being a slight AU") for note in front.notes)
    assert any("sometime between 2.14" in note for note in front.notes)
    assert any("sometime between 2.14" in statement for statement in front.setting)
    assert any("canon-compliant" in statement and "AU" in statement for statement in front.continuity)


def test_seed_story_starts_at_the_lamppost(seed_reading):
    assert len(seed_reading.chapters) == 1 and seed_reading.chapters[0].title == ""
    paragraphs = seed_reading.chapters[0].paragraphs
    assert paragraphs[0].text.startswith("The lone lamppost")
    assert paragraphs[-1].text == "She leaves him."
    story = " ".join(p.text for p in paragraphs)
    assert "own anything" not in story and "2.14" not in story


def test_ao3_style_tag_list_without_links_is_split_into_tags():
    page = (
        '<html><body><div id="preface"><h1>Tea</h1><dl class="tags">'
        "<dt>Fandom:</dt><dd>Good Omens (TV)</dd>"
        "<dt>Characters:</dt><dd>Aziraphale (Good Omens), Crowley (Good Omens)</dd>"
        "<dt>Additional Tags:</dt><dd>Established Relationship, Fluff</dd>"
        '</dl></div><div id="chapters"><div class="userstuff"><p>They drank tea.</p></div></div></body></html>'
    )
    front = read(page, filename="tea.html", depth="structure").front
    assert front.characters == ["Aziraphale (Good Omens)", "Crowley (Good Omens)"]
    assert front.freeforms == ["Established Relationship", "Fluff"]
