"""Quotation finding and speaker attribution (fanarchive.reading.dialogue).

The passages here are written for these tests; the seed test reads the
project's seed work and is skipped when it is absent.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanarchive.reading.dialogue import (
    NARRATOR,
    Cast,
    attribute_paragraphs,
    attribute_quotes,
    find_quotations,
)
from fanarchive.reading.model import Chapter, FrontMatter, Paragraph, Reading
from fanarchive.testing import seed_path


@pytest.fixture
def cast() -> Cast:
    """Spike, Buffy (alias Slayer), Giles and Willow."""
    return Cast(
        names={
            "Spike": "Spike",
            "Buffy": "Buffy Summers",
            "Buffy Summers": "Buffy Summers",
            "Slayer": "Buffy Summers",
            "Giles": "Rupert Giles",
            "Willow": "Willow Rosenberg",
        },
        genders={"Spike": "m", "Buffy Summers": "f", "Rupert Giles": "m", "Willow Rosenberg": "f"},
    )


def quotes_of(paragraphs: list[str]) -> list[str]:
    """The words of every quotation found, in order."""
    return [q.text for q in find_quotations(paragraphs)]


def speakers(paragraphs: list[str], cast: Cast) -> list[str | None]:
    return [q.speaker for q in attribute_paragraphs(paragraphs, cast)]


# ---------------------------------------------------------------- finding quotations


def test_straight_double_quotes_keep_apostrophes_inside():
    assert quotes_of(["\"'m old, Slayer. You know that?\" Spike asks. \"Not that old.\""]) == [
        "'m old, Slayer. You know that?",
        "Not that old.",
    ]


def test_curly_double_quotes():
    assert quotes_of(["“Go,” she said. “Now.”"]) == ["Go,", "Now."]


def test_span_offsets_cover_the_marks():
    text = 'He waited. "Spike," she says.'
    (span,) = find_quotations([text])
    assert text[span.start:span.end] == '"Spike,"'


def test_single_quotes_are_not_fooled_by_apostrophes():
    text = "'I was gettin' tired of keepin' him 'round,' said Willow. 'Spike's late.'"
    assert quotes_of([text]) == ["I was gettin' tired of keepin' him 'round,", "Spike's late."]


def test_curly_single_quotes_with_plural_possessive():
    text = "‘Don’t,’ said Giles. ‘It’s the boys’ room, not the library.’"
    assert quotes_of([text]) == ["Don’t,", "It’s the boys’ room, not the library."]


def test_short_single_quotes_nested_in_single_quoted_speech():
    text = ("‘He never says ‘please,’ nor ‘thank you,’ — not once, Giles,’ said Willow. "
            "‘Don’t ‘but’ me.’")
    assert quotes_of([text]) == [
        "He never says ‘please,’ nor ‘thank you,’ — not once, Giles,",
        "Don’t ‘but’ me.",
    ]


def test_single_quote_left_open_before_a_new_one_is_not_nested():
    text = "‘Wait,’ said Willow. ‘Go now ‘Stop!’ he cried."
    assert quotes_of([text]) == ["Wait,", "Go now ‘Stop!"]


def test_apostrophes_in_double_quoted_text_are_not_quotes():
    text = "She'd keep him 'round, she thought. \"Hey,\" he said."
    assert quotes_of([text]) == ["Hey,"]


def test_quote_running_over_paragraphs_is_one_quotation(cast):
    paragraphs = [
        '"The first thing you learn is patience. It takes years.',
        '"The second thing is the stake," Giles said.',
    ]
    (quote,) = attribute_paragraphs(paragraphs, cast)
    assert quote.text.startswith("The first thing") and "the stake," in quote.text
    assert quote.paragraph == 0
    assert quote.speaker == "Rupert Giles"


def test_unclosed_quote_ends_with_its_paragraph():
    paragraphs = ['"Wait, she said.', "Nobody waited."]
    assert quotes_of(paragraphs) == ["Wait, she said."]


def test_dash_dialogue():
    paragraphs = ["— Come here, — said Giles. — Now.", "— No."]
    assert quotes_of(paragraphs) == ["Come here,", "Now.", "No."]


def test_dash_dialogue_ends_before_a_lowercase_attribution(cast):
    quotes = attribute_paragraphs(["Giles looked up. — Back to the books! he said."], cast)
    assert [q.text for q in quotes] == ["Back to the books!"]
    assert quotes[0].speaker == "Rupert Giles"


def test_dash_speech_resumes_after_its_attribution_until_narration(cast):
    paragraphs = ["— Thanks, old chap, Giles said. That will do. Switch it off, will you? "
                  "He stepped down and looked at the window. The rain had stopped."]
    quotes = attribute_paragraphs(paragraphs, cast)
    assert [q.text for q in quotes] == ["Thanks, old chap,", "That will do. Switch it off, will you?"]
    assert {q.speaker for q in quotes} == {"Rupert Giles"}


def test_dash_speech_stops_at_a_narration_sentence():
    assert quotes_of(["— Come up, Kinch! Come up now! He turned and walked to the parapet."]) == [
        "Come up, Kinch! Come up now!"]


def test_two_hyphens_open_dash_dialogue_despite_a_stray_apostrophe():
    paragraphs = ["The soldiers 'slugs lay in the yard.", "His mother said: -- O, Stephen will apologize.",
                  "Dante said: -- O, if not, the eagles will come."]
    assert quotes_of(paragraphs) == ["O, Stephen will apologize.", "O, if not, the eagles will come."]


def test_dash_speech_after_an_attribution_is_not_resumed_by_narration():
    assert quotes_of(["— Come in, she said. Spike walked through the door and stopped."]) == ["Come in,"]


def test_hyphens_inside_words_do_not_split_dash_dialogue():
    assert quotes_of(["— You—you're the bleeding white hats, — he said."]) == [
        "You—you're the bleeding white hats,"
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="\"'“”‘’—– ,.?!aSpikeheBuffysaid\n:", max_size=60), max_size=6))
def test_any_mix_of_marks_gives_quotes_inside_their_paragraphs(paragraphs):
    cast = Cast(names={"Spike": "Spike", "Buffy": "Buffy"}, genders={"Spike": "m", "Buffy": "f"})
    for quote in attribute_paragraphs(paragraphs, cast):
        assert 0 <= quote.start <= quote.end <= len(paragraphs[quote.paragraph])
        assert quote.method in ("explicit", "pronoun", "turn-taking", "context", "unknown")
        assert (quote.speaker is None) == (quote.method == "unknown")


def test_unbalanced_marks_never_crash():
    paragraphs = ['"', '""', '" "', '“', '”', "'", "‘’’", '"Hello', 'Bye"', "— ", "—"]
    for quote in find_quotations(paragraphs):
        assert 0 <= quote.start <= quote.end <= len(paragraphs[quote.paragraph])


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ('"a" ' * 50_000, 50_000),  # 100,000 marks, quotes back to back
        ('"a" x ' * 10_000, 10_000),  # one long turn with narration between quotes
        ('"a, Spike," he said. ' * 10_000, 10_000),  # attributions and vocatives
        ('" ' * 20_000, 10_000),  # bare marks
        ("'b' " * 10_000, 10_000),  # single marks
        ("'em " * 10_000, 0),  # elisions only
    ],
)
def test_paragraphs_with_many_marks_finish(cast, paragraph, expected):
    """Attribution is linear: these would take minutes if any step were quadratic."""
    assert len(attribute_paragraphs([paragraph], cast)) == expected


def test_thousands_of_unattributed_paragraphs_finish(cast):
    paragraphs = ['"Hi," said Buffy.', '"Hello," said Giles.'] + ['"Yes."'] * 10_000
    quotes = attribute_paragraphs(paragraphs, cast)
    assert quotes[-1].speaker in ("Buffy Summers", "Rupert Giles")


# ---------------------------------------------------------------- explicit attribution


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"Are you coming?" Spike asks.', "Spike"),
        ('"Research," says Giles.', "Rupert Giles"),
        ('"Research," said Giles quietly.', "Rupert Giles"),
        ('"Hush," Willow whispered.', "Willow Rosenberg"),
        ('"Hush," Willow softly whispered.', "Willow Rosenberg"),
        ('Spike snapped, "Get out."', "Spike"),
        ('"Fine," snarled the Slayer.', "Buffy Summers"),
    ],
)
def test_say_verb_with_a_name(cast, text, speaker):
    (quote,) = attribute_paragraphs([text], cast)
    assert quote.speaker == speaker
    assert quote.method == "explicit"
    assert quote.confidence > 0.8


def test_pronoun_resolved_by_gender(cast):
    paragraphs = [
        "Buffy and Giles come into the library.",
        '"We have a problem," she tells him.',
        '"We always do," he mutters.',
    ]
    quotes = attribute_paragraphs(paragraphs, cast)
    assert [q.speaker for q in quotes] == ["Buffy Summers", "Rupert Giles"]
    assert [q.method for q in quotes] == ["pronoun", "pronoun"]
    assert quotes[0].addressee == "Rupert Giles"


def test_epithet_from_the_cast():
    cast = Cast(names={"Spike": "Spike", "Buffy": "Buffy"}, genders={"Spike": "m", "Buffy": "f"},
                epithets={"the vampire": "Spike"})
    (quote,) = attribute_paragraphs(['"Bored now," the vampire growled.'], cast)
    assert quote.speaker == "Spike"


def test_unknown_description_is_named_as_written(cast):
    quotes = attribute_paragraphs(['"Tickets," said the old conductor.', '"Please," he repeated.'], cast)
    assert quotes[0].speaker == "the old conductor"
    assert quotes[1].speaker == "the old conductor"


def test_reported_speech_is_not_an_attribution(cast):
    paragraphs = ['Willow nods. "It works."', '"Tell me," Buffy said. Giles replied that it did.']
    assert speakers(paragraphs, cast) == ["Willow Rosenberg", "Buffy Summers"]


def test_interrupted_quote_has_one_speaker(cast):
    text = '"Thing is, Slayer," Spike says, "I could deal."'
    quotes = attribute_paragraphs([text], cast)
    assert [q.text for q in quotes] == ["Thing is, Slayer,", "I could deal."]
    assert [q.speaker for q in quotes] == ["Spike", "Spike"]


def test_clause_before_the_second_part_of_an_interrupted_quote(cast):
    text = '"My dear Giles," said Willow to him, "have you heard?" Buffy shrugs.'
    assert speakers([text], cast) == ["Willow Rosenberg", "Willow Rosenberg"]


def test_say_verb_earlier_in_the_paragraph(cast):
    text = 'Buffy says nothing, but that is fine because he answers for her. "No, you couldn\'t."'
    quotes = attribute_paragraphs(["Spike circles her.", text], cast)
    assert quotes[0].speaker == "Spike"


def test_first_person_narrator(cast):
    quotes = attribute_paragraphs(['"Not tonight," I said.'], cast)
    assert quotes[0].speaker == NARRATOR
    named = Cast(names=cast.names, genders=cast.genders, narrator="Willow Rosenberg")
    assert attribute_paragraphs(['"Not tonight," I said.'], named)[0].speaker == "Willow Rosenberg"


def test_described_speaker_is_the_unnamed_she_before_her():
    cast = Cast(names={"Giles": "Rupert Giles"}, genders={"Rupert Giles": "m"})
    paragraphs = [
        "“Is anyone there?” she asked, her voice low.",
        "Giles did not turn round.",
        "“I know you are there,” said the tall lady.",
    ]
    assert speakers(paragraphs, cast) == ["the woman", "the woman"]


def test_name_first_heard_in_address_names_the_described_subject_before_it():
    cast = Cast(names={"Giles": "Rupert Giles", "Tommy": "Tommy"}, genders={"Rupert Giles": "m"})
    paragraphs = [
        "“Can I have an apple?” asked the small boy.",
        "“Later,” said Giles.",
        "Giles went back to his book. The small boy kicked his heels against the wall. "
        "“Tommy,” said Giles, “stop that.”",
        "“I’m bored,” replied Tommy.",
    ]
    assert speakers(paragraphs, cast) == ["Tommy", "Rupert Giles", "Rupert Giles", "Rupert Giles", "Tommy"]


def test_this_lad_after_a_say_verb_is_the_described_boy_and_the_next_he():
    cast = Cast(names={"Giles": "Rupert Giles"}, genders={"Rupert Giles": "m"})
    paragraphs = [
        "“Is that your dog?” asked the small boy.",
        "“It is,” said Giles.",
        "“Can I pat him?” pursued this eager lad. And then, at a nod from Giles -- “He is soft,” he declared.",
    ]
    assert speakers(paragraphs, cast) == ["the small boy", "Rupert Giles", "the small boy", "the small boy"]


def test_his_answer_before_a_quote_makes_him_its_speaker():
    cast = Cast(names={"Giles": "Rupert Giles"}, genders={"Rupert Giles": "m"})
    paragraphs = ["Giles sat by the fire. I asked him whether the book was his. "
                  "To this his answer was quick. “No, it is not.”"]
    assert speakers(paragraphs, cast) == ["Rupert Giles"]


def test_reply_verb_goes_to_the_other_speaker(cast):
    paragraphs = [
        "Spike and Giles glare at each other.",
        '"Watcher," Spike says.',
        '"What do you want?" he replied.',
    ]
    assert speakers(paragraphs, cast) == ["Spike", "Rupert Giles"]


# ---------------------------------------------------------------- context


def test_action_beat_names_the_speaker(cast):
    text = 'Spike lifts his chin, throws a haughty look her way. "Do me in, Slayer."'
    (quote,) = attribute_paragraphs([text], cast)
    assert quote.speaker == "Spike"
    assert quote.method == "context"
    assert quote.addressee == "Buffy Summers"


def test_pronoun_action_beat(cast):
    paragraphs = ["Spike rolls closer.", 'He stares up at her. "That\'s gone."']
    assert speakers(paragraphs, cast) == ["Spike"]


def test_the_character_acting_nearest_before_a_quote_speaks_it():
    cast = Cast(names={"Tom": "Tom", "Jo": "Jo"}, genders={"Tom": "m", "Jo": "f"})
    for first, second in (("Tom", "Jo"), ("Jo", "Tom")):
        text = f'{first} came in from the garden. {second} put down the book. The clock struck five. "Where is everyone?"'
        assert speakers([text], cast) == [second]


def test_an_exclamation_about_someone_is_not_a_new_person():
    # "A capital fellow!" praises Tom; the "he" after it is still Tom
    cast = Cast(names={"Tom": "Tom"}, genders={"Tom": "m"})
    text = 'I rode up to the gate, and Tom looked up. A capital fellow! He frowned at me. "Walk in," he said.'
    assert speakers([text], cast) == ["Tom"]


def test_a_passive_say_verb_does_not_make_its_subject_a_speaker():
    cast = Cast(names={"Tom": "Tom"}, genders={"Tom": "m"})
    paragraphs = ["Tom shouted for his groom.",
                  '"No wonder the grass grows long," was the reflection suggested by this order.']
    assert "the reflection" not in speakers(paragraphs, cast)


def test_other_quotes_of_the_paragraph_share_the_speaker(cast):
    text = '"Guess that makes you the one." Buffy watches him. "Let\'s have it, then," he commands.'
    assert speakers(["Spike waits.", text], cast) == ["Spike", "Spike"]


def test_turn_taking_alternates(cast):
    paragraphs = [
        '"You\'re late," said Buffy.',
        '"Traffic," Giles said.',
        '"There is no traffic in Sunnydale."',
        '"There was tonight."',
        '"Right."',
    ]
    quotes = attribute_paragraphs(paragraphs, cast)
    assert [q.speaker for q in quotes] == [
        "Buffy Summers", "Rupert Giles", "Buffy Summers", "Rupert Giles", "Buffy Summers",
    ]
    assert [q.method for q in quotes[2:]] == ["turn-taking"] * 3
    assert all(q.confidence < quotes[0].confidence for q in quotes[2:])


def test_scene_break_ends_the_conversation(cast):
    paragraphs = ['"Hi," said Buffy.', '"Hello," Giles said.', '"Anyone here?"']
    quotes = attribute_paragraphs(paragraphs, cast, scene_breaks=[False, False, True])
    assert quotes[2].method != "turn-taking"


def test_vocatives_name_the_addressee_not_the_speaker(cast):
    paragraphs = [
        "Spike and Buffy face each other in the alley.",
        'Her hand trembles. "Spike," she says.',
        '"Slayer?"',
        'Spike turns away. "Buffy, listen."',
    ]
    quotes = attribute_paragraphs(paragraphs, cast)
    assert [(q.speaker, q.addressee) for q in quotes] == [
        ("Buffy Summers", "Spike"),
        ("Spike", "Buffy Summers"),
        ("Spike", "Buffy Summers"),
    ]


def test_name_only_quote_after_a_beat_by_that_name(cast):
    paragraphs = ['"Bored," said Buffy.', 'Spike steps out of the shadows. "Spike?"']
    quotes = attribute_paragraphs(paragraphs, cast)
    assert quotes[1].addressee == "Spike"
    assert quotes[1].speaker == "Buffy Summers"


def test_unattributed_exchange_learns_from_later_vocative(cast):
    paragraphs = ['"You look ill."', '"I am not well, Willow."']
    assert speakers(paragraphs, cast)[0] == "Willow Rosenberg"


def test_no_clue_leaves_the_speaker_unknown(cast):
    (quote,) = attribute_paragraphs(['"Who goes there?"'], cast)
    assert quote.speaker is None
    assert quote.method == "unknown"
    assert quote.confidence == 0.0


# ---------------------------------------------------------------- casts


def test_cast_from_text_finds_names_titles_and_genders():
    paragraphs = [
        "Mr. Bennet sat by the fire. He read his paper while Mrs. Bennet talked.",
        "Mrs. Bennet sighed; she wanted news. Mr. Bennet laughed at her.",
        "Later Elizabeth Bennet walked out. She liked walking, and Elizabeth walked far.",
        "Elizabeth came home late. Then she slept. They lived in Longbourn and went to Longbourn often.",
    ]
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Mr. Bennet") == "Mr. Bennet"
    assert cast.canonical("Mrs. Bennet") == "Mrs. Bennet"
    assert cast.canonical("Elizabeth") == "Elizabeth Bennet"
    assert cast.canonical("Longbourn") is None  # a place: mostly after "in"/"to"
    assert cast.gender("Mr. Bennet") == "m"
    assert cast.gender("Mrs. Bennet") == "f"
    assert cast.gender("Elizabeth Bennet") == "f"


def test_cast_from_text_attributes_a_novel_passage():
    paragraphs = [
        "Tom Canty sat on the step. Tom watched the road, and Mary Canty watched Tom.",
        "Mary Canty had been waiting. She was tired. Tom was not.",
        '"Look," said Tom.',
        '"I see nothing," Mary replied.',
    ]
    cast = Cast.from_text(paragraphs)
    assert speakers(paragraphs, cast) == ["Tom Canty", "Mary Canty"]


# ---------------------------------------------------------------- whole readings


def test_attribute_quotes_fills_every_chapter(cast):
    chapters = [
        Chapter(number=1, paragraphs=[Paragraph('"Hi," said Buffy.', "")]),
        Chapter(number=2, paragraphs=[Paragraph("Nothing.", ""), Paragraph('"Bye," Spike said.', "")]),
    ]
    reading = Reading(front=FrontMatter(), chapters=chapters)
    attribute_quotes(reading, cast)
    assert [(q.chapter, q.paragraph, q.speaker) for q in reading.quotes] == [
        (0, 0, "Buffy Summers"),
        (1, 1, "Spike"),
    ]


def test_seed_story_speakers():
    """Every quote of the seed story is Spike's except Buffy's "Spike,"."""
    path = seed_path()
    if not path.exists():
        pytest.skip("seed work not present")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if b.strip()]
    story = blocks[blocks.index(next(b for b in blocks if b.startswith("The lone lamppost"))):]
    cast = Cast(
        names={"Spike": "Spike", "Buffy": "Buffy Summers", "Buffy Summers": "Buffy Summers",
               "Slayer": "Buffy Summers"},
        genders={"Spike": "m", "Buffy Summers": "f"},
    )
    quotes = attribute_paragraphs(story, cast)
    assert len(quotes) >= 25
    buffy = [q for q in quotes if q.speaker != "Spike"]
    assert [(q.text, q.speaker, q.addressee) for q in buffy] == [("Spike,", "Buffy Summers", "Spike")]
    assert all(q.method != "unknown" for q in quotes)


# ---------------------------------------------------------------- casts guessed from novels


def test_a_name_seen_once_beside_a_say_verb_is_a_speaker():
    paragraphs = [
        "Mrs. Hale poured the tea while Mr. Hale read. Mr. Hale sighed. Mrs. Hale frowned.",
        '"But you forget the rain," said Dorothea, "and the roads."',
    ]
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Dorothea") == "Dorothea"
    assert speakers(paragraphs, cast) == ["Dorothea", "Dorothea"]


def test_pronouns_after_a_vocative_do_not_give_its_gender():
    paragraphs = [
        '"Morning, Maud!" he called from the gate.',
        '"Come in, Maud," he said again.',
        "Maud was a broad, cheerful woman. She laughed at him. Later Maud sang, and she danced.",
    ]
    assert Cast.from_text(paragraphs).gender("Maud") == "f"


def test_a_gendered_noun_before_a_name_gives_its_gender():
    paragraphs = ['"Hush," said Mara.', "Joan came in with her sister Mara, and they sat down."]
    assert Cast.from_text(paragraphs).gender("Mara") == "f"


def test_mrs_and_miss_of_one_family_are_two_people():
    paragraphs = ['"Mother is waiting," said Miss Clara Varley.',
                  "Mrs. Varley waved from the coach, and she smiled.", '"Come along," said Mrs. Varley.']
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Mrs. Varley") == "Mrs. Varley"
    assert cast.canonical("Miss Clara Varley") == "Miss Clara Varley"


def test_title_and_surname_is_the_elder_sister_beside_title_and_first_name():
    paragraphs = ['"Is the coach here?" asked Miss Ashby.', '"It is, sister," said Miss Harriet.',
                  "Miss Harriet Ashby fetched the book.", '"Thank you," said Miss Ashby.',
                  '"Not at all," said Miss Harriet.']
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Miss Harriet") == "Miss Harriet Ashby"
    assert cast.canonical("Miss Ashby") == "Miss Ashby"


def test_titled_and_family_forms_join_the_full_name():
    paragraphs = [
        "Arthur Penrose was old now. He walked slowly, and Arthur Penrose rarely smiled.",
        "Mr. Penrose had one niece. Mr. Penrose loved her. Uncle Arthur, she called him.",
        "Uncle Arthur nodded, and the niece smiled.",
    ]
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Mr. Penrose") == "Arthur Penrose"
    assert cast.canonical("Uncle Arthur") == "Arthur Penrose"
    assert cast.gender("Arthur Penrose") == "m"


@pytest.mark.parametrize(("paragraphs", "short", "full"), [
    # a name written in full once does not split a surname
    (["Fergus Doyle came up the stairs, and Doyle laughed. Fergus Doyle sat down.",
      "Later Doyle stood. His full name, he said, was Padraig Doyle, but nobody used it."],
     "Doyle", "Fergus Doyle"),
    # a pet form joins the full name of its formal form …
    (["Lord Henry Wotton lit a cigarette. Lord Henry Wotton smiled at the painter.",
      '"You are wrong, Harry," said Basil. "Quite wrong, Harry."'],
     "Harry", "Lord Henry Wotton"),
    (["Elizabeth Marsh came in.", '"Lizzy!" cried her aunt, and Lizzy laughed. Elizabeth Marsh sat.'],
     "Lizzy", "Elizabeth Marsh"),
    # … unless a full name holds it as written
    (["Harry Vane crossed the square. Henry Ford waited, and Harry Vane bowed.",
      '"Good morning, Harry," said Henry Ford. Harry nodded.'],
     "Harry", "Harry Vane"),
])
def test_a_short_form_joins_the_one_full_name_it_shortens(paragraphs, short, full):
    assert Cast.from_text(paragraphs).canonical(short) == full


def test_different_titles_on_one_name_are_different_people():
    paragraphs = [
        "In the hall Sir Roland waited, and later King Roland came. Sir Roland bowed.",
        "The court watched as King Roland sat, and Sir Roland stood by him.",
    ]
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Sir Roland") != cast.canonical("King Roland")


def test_common_words_opening_sentences_are_not_names():
    paragraphs = [
        "Report came at dawn. Everyone had a report to give, and the report was bad.",
        "Report was all anyone spoke of; Tamsin read the report twice. Tamsin sighed.",
    ]
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Report") is None
    assert cast.canonical("Tamsin") == "Tamsin"


# ---------------------------------------------------------------- descriptions


def test_a_described_subject_speaks_after_naming_someone_else(cast):
    text = 'The old lady reached across the desk, took Spike\'s coat, and said: "Mine now."'
    assert speakers([text], cast) == ["the old lady"]


def test_a_description_ending_in_a_known_name_is_that_character(cast):
    quotes = attribute_paragraphs(['"You are wrong," replied the watcher Giles.'], cast)
    assert quotes[0].speaker == "Rupert Giles"


def test_a_role_opening_a_sentence_is_the_speaker_of_the_quote_after_it(cast):
    paragraphs = ['"Good night," said Buffy. The porter turned round and shrugged. "Nobody sleeps here."']
    assert speakers(paragraphs, cast) == ["Buffy Summers", "the porter"]


def test_a_title_held_by_one_character_names_the_description():
    cast = Cast(names={"Uncle Ned": "Ned Carver", "Ned Carver": "Ned Carver", "Dr. Sallow": "Dr. Sallow",
                       "Pip": "Pip"},
                genders={"Ned Carver": "m", "Dr. Sallow": "f", "Pip": "m"})
    paragraphs = ['"Sit down," said his uncle.', '"Open wide," said the doctor.']
    assert speakers(paragraphs, cast) == ["Ned Carver", "Dr. Sallow"]


def test_of_two_holders_of_a_title_the_description_is_the_one_just_seen():
    cast = Cast(names={"Sergeant Bibot": "Sergeant Bibot", "Sergeant Grospierre": "Sergeant Grospierre"},
                genders={"Sergeant Bibot": "m", "Sergeant Grospierre": "m"})
    paragraphs = ["Sergeant Grospierre had the north gate.",
                  "At the west gate Sergeant Bibot stood. \"Nobody passes,\" said the sergeant."]
    assert speakers(paragraphs, cast) == ["Sergeant Bibot"]


def test_a_description_stops_at_the_next_determiner():
    cast = Cast(names={"Willow": "Willow Rosenberg"}, genders={"Willow Rosenberg": "f"})
    paragraphs = ['"Wake up, you," said the man a little impatiently.']
    assert speakers(paragraphs, cast) == ["the man"]


def test_a_family_description_keeps_its_person(cast):
    named = Cast(names={**cast.names, "Joyce": "Joyce Summers"},
                 genders={**cast.genders, "Joyce Summers": "f"})
    paragraphs = [
        "Joyce came into the kitchen.",
        '"Eat something," said the mother.',
        "Buffy shrugged. Willow and Buffy and Willow again talked about school for ages.",
        '"Now," said the mother.',
    ]
    assert speakers(paragraphs, named) == ["Joyce Summers", "Joyce Summers"]


def test_my_father_is_not_the_last_man_mentioned(cast):
    paragraphs = ["Giles closed the book.", '"Enough," said my father.']
    assert speakers(paragraphs, cast) == ["my father"]


def test_a_described_newcomer_is_who_the_pronoun_means(cast):
    paragraphs = [
        "Buffy went out.",
        'A tall woman came in from the rain. She looked round. "Is this the library?" she asked.',
    ]
    assert speakers(paragraphs, cast) == ["the tall woman"]


def test_a_possessive_introduces_its_owner(cast):
    paragraphs = ["Willow typed.", 'A man\'s voice came from the stacks. "Closing time," he said.']
    assert speakers(paragraphs, cast) == ["the man"]


def test_a_description_stops_before_its_verb_or_clause(cast):
    paragraphs = ['My mother whinnied and said, "Run."', '"Stay," said the ladies whose tea had gone cold.']
    assert speakers(paragraphs, cast) == ["my mother", "the ladies"]


def test_one_word_between_subject_and_say_verb(cast):
    assert speakers(['"They\'ll start," the boy half cried.'], cast) == ["the boy"]


# ---------------------------------------------------------------- addressees


@pytest.mark.parametrize("answer", ['"Spike."', '"Spike, sir."'])
def test_a_name_given_as_an_answer_is_no_vocative(cast, answer):
    paragraphs = ['"Tell me your name," said Giles.', answer]
    quotes = attribute_paragraphs(paragraphs, cast)
    assert quotes[1].addressee is None


def test_no_one_addresses_themself():
    cast = Cast(names={"Holmes": "Holmes", "Watson": "Watson"}, genders={"Holmes": "m", "Watson": "m"})
    paragraphs = ['"Good night, Watson," said Holmes.', '"Good night," I said. "Sleep well, Watson."']
    quotes = attribute_paragraphs(paragraphs, cast)
    assert [q.speaker for q in quotes] == ["Holmes", "Watson", "Holmes"]


def test_her_before_a_person_word_is_no_addressee(cast):
    # "to her son" speaks to the son, so Buffy is not talking to herself
    paragraphs = ['"Can I stay up?" asked Spike.', 'Buffy smiled, and she said to her son: "One more hour."']
    quotes = attribute_paragraphs(paragraphs, cast)
    assert [(q.speaker, q.addressee) for q in quotes][1] == ("Buffy Summers", None)


def test_the_narrator_is_not_the_friend_speaking_beside_them():
    cast = Cast(names={"Good": "Good", "Henry": "Henry"}, genders={"Good": "m", "Henry": "m"})
    paragraphs = ["'Three years,' said Good.", "'I am going back,' I said.",
                  "Henry laughed. 'How odd,' he said, 'eh, Good?'", "'Odd indeed,' said I."]
    quotes = attribute_paragraphs(paragraphs, cast)
    assert [q.speaker for q in quotes] == ["Good", "narrator", "Henry", "Henry", "narrator"]


def test_an_unnamed_speaker_is_not_renamed_across_genders(cast):
    paragraphs = ['"Move," said the man.', '"Buffy, run!" Spike shouted.']
    quotes = attribute_paragraphs(paragraphs, cast)
    assert [(q.speaker, q.addressee) for q in quotes] == [("the man", None), ("Spike", "Buffy Summers")]


def test_a_described_speaker_taken_for_he_is_not_renamed_to_a_woman():
    # "the doctor" has no sex of its own; the "he" that named it speaking makes him a man
    paragraphs = ["Mary sat by the window, and she sighed.",
                  'The doctor looked at the bed. "She will sleep now," he said.',
                  '"Thank you, Mary," said Tom.']
    quotes = attribute_paragraphs(paragraphs, Cast.from_text(paragraphs))
    assert [q.speaker for q in quotes] == ["the doctor", "Tom"]


def test_a_name_that_is_a_title_word_is_still_found():
    cast = Cast(names={"Doctor": "The Doctor", "Rose": "Rose Tyler"},
                genders={"The Doctor": "m", "Rose Tyler": "f"})
    paragraphs = ['Doctor stood up. "Run."', '"Rose, run!"']
    quotes = attribute_paragraphs(paragraphs, cast)
    assert [(q.speaker, q.addressee) for q in quotes] == [("The Doctor", None), ("The Doctor", "Rose Tyler")]


def test_a_title_held_by_one_character_is_a_vocative():
    cast = Cast(names={"Uncle Ned": "Ned Carver", "Ned Carver": "Ned Carver", "Clara": "Clara"},
                genders={"Ned Carver": "m", "Clara": "f"})
    paragraphs = ['"You look tired," said Clara. "Are you ill?" Ned Carver sighed. "Yes, uncle, you are."']
    quotes = attribute_paragraphs(paragraphs, cast)
    assert quotes[-1].addressee == "Ned Carver"
    assert quotes[-1].speaker == "Clara"


def test_mother_addresses_the_one_married_woman_in_sight():
    cast = Cast(names={"Mrs. Hale": "Mrs. Hale", "Kit": "Kit Hale", "Mr. Dunn": "Mr. Dunn"},
                genders={"Mrs. Hale": "f", "Kit Hale": "f", "Mr. Dunn": "m"})
    paragraphs = ['Mrs. Hale poured the tea, and Kit watched Mr. Dunn. "More cake?" said Mrs. Hale.',
                  '"No, mother," she said. "He has had three."']
    quotes = attribute_paragraphs(paragraphs, cast)
    assert quotes[1].addressee == "Mrs. Hale"
    assert quotes[1].speaker == "Kit Hale"


def test_a_name_heard_only_in_address_is_the_one_talked_with():
    cast = Cast(names={"Mulligan": "Buck Mulligan", "Stephen": "Stephen Dedalus", "Kinch": "Kinch"},
                genders={"Buck Mulligan": "m", "Stephen Dedalus": "m", "Kinch": "m"})
    paragraphs = ['"Come up, Kinch!" said Mulligan.', '"Why?" said Stephen.',
                  '"Because, Kinch," said Mulligan.', '"No," said Stephen.',
                  '"You are a fool, Kinch."']
    quotes = attribute_paragraphs(paragraphs, cast)
    assert {q.addressee for q in quotes if q.addressee} == {"Stephen Dedalus"}
    assert quotes[-1].speaker == "Buck Mulligan"


def test_a_chapter_numeral_is_not_the_narrator(cast):
    assert speakers(['Chapter I Willow waited by the door. "Who is there?"'], cast) == ["Willow Rosenberg"]


def test_an_endearment_or_pity_is_no_part_of_a_name():
    paragraphs = ["Dearest Meg, the house is quiet.", "Dearest Meg, I miss you.", '"Come home," said Meg.',
                  "Poor Douglas sat down. Poor Douglas!", '"Never," said Douglas.']
    cast = Cast.from_text(paragraphs)
    assert (cast.canonical("Meg"), cast.canonical("Douglas")) == ("Meg", "Douglas")
    assert not {"Dearest Meg", "Poor Douglas"} & set(cast.names)


def test_a_sentence_adverb_is_no_part_of_a_name():
    paragraphs = [
        "Finally Tom came home. He sat down, and at last, finally, he slept.",
        "Poor Tom. They said poor Tom all day, and Tom hated it.",
    ]
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Tom") == "Tom"
    assert not {"Finally Tom", "Poor Tom"} & set(cast.names)


# ---------------------------------------------------------------- fast paths keep their meaning


@pytest.mark.parametrize("text, expected", [
    ("Spike's coat was on the floor.", True),  # a possessive still mentions him
    ("(Buffy) looked up.", True),
    ("Spikey was a nickname no one used.", False),  # part of a longer word
    ("The _Spike_ emphasis", False),  # underscores are word characters: no whole word
    ("Nobody here at all.", False),
])
def test_a_name_is_mentioned_only_as_a_whole_word(cast, text, expected):
    assert cast.mentions_a_name(text) is expected


def test_a_title_is_a_vocative_whatever_its_case():
    cast = Cast(names={"Dr. Archie": "Dr. Archie"}, genders={"Dr. Archie": "m"})
    for text in ['"Thank you, doctor."', '"Thank you, DOCTOR."']:
        assert [q.addressee for q in attribute_paragraphs([text], cast)] == ["Dr. Archie"]


@pytest.mark.parametrize("paragraphs, style_quotes", [
    # single marks open speech at the text's start, after a space, bracket or dash
    (["'Come in,' she said. '(Quietly.)' —'Now.'"], ["Come in,", "(Quietly.)"]),
    # apostrophes inside words are not openings: the one double-quoted line wins
    (["He didn't know. She wouldn't say. They'd gone. It's late. I'm off.", '"Fine."'], ["Fine."]),
])
def test_quote_style_counts_only_opening_single_marks(paragraphs, style_quotes):
    assert quotes_of(paragraphs)[:len(style_quotes)] == style_quotes


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Anne", "Bob", "Cy", "Dee", "Eve", "said", ".", "and", "WILL"]), max_size=14))
def test_name_candidates_are_runs_of_at_most_four_capitalised_words(words):
    from fanarchive.reading.dialogue import _name_runs, _tokens

    tokens = _tokens(" ".join(words))
    runs = _name_runs(tokens)
    covered = [k for i, j in runs for k in range(i, j)]
    assert covered == [k for k, tok in enumerate(tokens) if tok.name_like]  # each once, in order
    assert all(1 <= j - i <= 4 for i, j in runs)
    # a run shorter than four ends where the capitalised words end
    assert all(j - i == 4 or j == len(tokens) or not tokens[j].name_like for i, j in runs)


# ---------------------------------------------------------------- conventions of novels


def test_an_unresolved_pronoun_is_one_unnamed_person(cast):
    paragraphs = [
        "Snow fell on the inn all night.",
        '"A room," he said, stamping his boots.',
        'Willow looked up from the ledger. "For how long?"',
        '"A week," he answered.',
    ]
    quotes = attribute_paragraphs(paragraphs, cast)
    assert quotes[0].speaker is not None
    assert quotes[0].speaker == quotes[2].speaker != quotes[1].speaker
    assert quotes[1].speaker == "Willow Rosenberg"


def test_he_or_she_is_never_a_name_of_unknown_gender():
    cast = Cast(names={"Ardwick": "Ardwick", "Nell": "Nell"}, genders={"Nell": "f"})
    paragraphs = ['The coach reached Ardwick at noon. "Out you get," he called.']
    (quote,) = attribute_paragraphs(paragraphs, cast)
    assert quote.speaker not in (None, "Ardwick")


def test_a_sentence_between_quotes_names_the_next_speaker(cast):
    text = ('"Is it far?" Willow asked. Spike leaned back against the wall and grinned. '
            '"Far enough, pet."')
    assert speakers([text], cast) == ["Willow Rosenberg", "Spike"]


def test_a_sentence_after_a_full_stop_leads_into_the_next_quote(cast):
    text = 'Willow folded her arms. "I told you so." Spike sighed. "Fine, we go."'
    assert speakers([text], cast) == ["Willow Rosenberg", "Spike"]


def test_a_sentence_after_the_last_quote_does_not_take_the_turn(cast):
    paragraphs = ['"Late again," said Spike.',
                  '"Not yet," Buffy said. "Give me a minute." He laughed and looked away.']
    assert speakers(paragraphs, cast) == ["Spike", "Buffy Summers", "Buffy Summers"]


def test_my_father_opening_a_sentence_is_the_he_that_follows(cast):
    paragraphs = ["Spike had gone home.",
                  'My father smiled at the mention of Spike. "A clever man," he would say.']
    assert speakers(paragraphs, cast) == ["my father"]


def test_her_voice_saying_is_her_speaking(cast):
    paragraphs = ['Spike turned to Buffy. "Stay a while," her voice said.']
    assert speakers(paragraphs, cast) == ["Buffy Summers"]


def test_the_last_coordinated_clause_before_a_quote_names_its_speaker(cast):
    paragraphs = ['Willow lit the lamp, and Buffy sat up by the fire. "These boots are worn out."']
    assert speakers(paragraphs, cast) == ["Buffy Summers"]


def test_his_wife_after_a_vocative_is_the_wife_of_the_one_addressed():
    cast = Cast(names={"Mr. Pell": "Mr. Pell", "Mrs. Pell": "Mrs. Pell", "Mr. Quill": "Mr. Quill"},
                genders={"Mr. Pell": "m", "Mrs. Pell": "f", "Mr. Quill": "m"})
    paragraphs = ['Mr. Quill had left.', '"My dear Mr. Pell," said his wife, "the roof leaks."']
    assert speakers(paragraphs, cast) == ["Mrs. Pell", "Mrs. Pell"]


def test_an_unresolved_pronoun_in_a_named_turn_is_the_named_speaker():
    cast = Cast(names={"Mr. Pell": "Mr. Pell", "Mrs. Pell": "Mrs. Pell"},
                genders={"Mr. Pell": "m", "Mrs. Pell": "f"})
    text = '"Have you heard, Mr. Pell?" said his wife. "But it is true," returned she.'
    assert speakers([text], cast) == ["Mrs. Pell", "Mrs. Pell"]


def test_a_quote_addressing_the_last_speaker_is_the_answer_of_the_one_he_addressed(cast):
    text = 'Giles looked up. "Are you well, Willow?" he asked. "Yes, Giles. Quite well."'
    assert speakers([text], cast) == ["Rupert Giles", "Willow Rosenberg"]


def test_a_relative_described_through_someone_is_not_renamed_after_them():
    cast = Cast(names={"Kit": "Kit", "Mr. Hobb": "Mr. Hobb"}, genders={"Kit": "f", "Mr. Hobb": "m"})
    paragraphs = [
        "Kit came down to breakfast.",
        '"Your tea is cold, Kit," said Mr. Hobb.',
        '"Then make more," said her mother.',
    ]
    assert speakers(paragraphs, cast)[-1] == "her mother"


def test_a_common_word_that_speaks_twice_is_a_name():
    paragraphs = [
        "Lord Ashby filled his pipe. It was a good evening, and good wine stood on the table.",
        "'Three years,' said Good. 'Why?'",
        "'Because,' said Lord Ashby. 'I am bored.' 'So am I,' said Good, good-humoured as ever.",
    ]
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Good") == "Good"
    assert speakers(paragraphs, cast)[:2] == ["Good", "Good"]


def test_a_passive_say_verb_names_no_described_speaker(cast):
    text = '"Can you come?" This was said with gravity. Spike frowned.'
    assert speakers(["Spike waited.", text], cast) == ["Spike"]


def test_a_hyphenated_description_is_one_speaker(cast):
    quotes = attribute_paragraphs(['"A hundred," said the saloon-keeper.'], cast)
    assert quotes[0].speaker == "the saloon-keeper"


def test_the_title_in_narration_is_its_one_holder():
    cast = Cast(names={"Dr. Vane": "Dr. Vane", "Mr. Brock": "Mr. Brock"},
                genders={"Dr. Vane": "m", "Mr. Brock": "m"})
    paragraphs = [
        '"Good evening, Mr. Brock," said Dr. Vane.',
        "Mr. Brock sat down. The doctor came back and took his bag.",
        '"All ready," he announced.',
    ]
    assert speakers(paragraphs, cast)[-1] == "Dr. Vane"


def test_aliases_chain_to_one_person():
    paragraphs = [
        "Then Oswin Hale knocked. Oswin Hale waited, and Oswin Hale knocked again.",
        "Hale sighed. Hale was patient; Hale had to be.",
        "At last Mr. Oswin Hale went home, and later Mr. Oswin Hale slept.",
    ]
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Hale") == cast.canonical("Oswin Hale") == cast.canonical("Mr. Oswin Hale")


@pytest.mark.parametrize("text", [
    '"You are wrong," advised Willow.',
    '"Not at all," put in Willow.',
    '"Tea?" hinted Willow.',
])
def test_more_ways_of_saying(cast, text):
    quotes = attribute_paragraphs(["Spike waited.", text], cast)
    assert [(q.speaker, q.method) for q in quotes] == [("Willow Rosenberg", "explicit")]


def test_an_adjective_before_an_inverted_name(cast):
    paragraphs = ['"Go," said Spike.', '"It isn\'t fair," added little Willow, with a sniff.']
    quotes = attribute_paragraphs(paragraphs, cast)
    assert [(q.speaker, q.method) for q in quotes] == [("Spike", "explicit"), ("Willow Rosenberg", "explicit")]


def test_a_described_subject_after_an_opening_phrase(cast):
    paragraphs = [
        "Willow slept in the crate.",
        'Concerning that night, a tall man sat down. He was tired. "Fifty is all I got," he grumbled.',
    ]
    assert speakers(paragraphs, cast)[-1] == "the tall man"


def test_was_the_reply_is_the_other_party(cast):
    paragraphs = ['"Sold him?" said Giles.', '"Yes," said Spike.', '"For how much?" Giles asked. "A hundred," was the reply.']
    assert speakers(paragraphs, cast) == ["Rupert Giles", "Spike", "Rupert Giles", "Spike"]


def test_a_few_words_quoted_inside_a_quote_do_not_end_it():
    text = "“I pictured old ladies who read nothing but the “Gazette,” and snuff the candles,” she said."
    assert quotes_of([text]) == ["I pictured old ladies who read nothing but the “Gazette,” and snuff the candles,"]
    # an opening mark with no outer closing mark after it still ends an unclosed quote
    assert quotes_of(["“Wait. “Go,” she said."]) == ["Wait.", "Go,"]


def test_an_endearment_after_a_name_keeps_it_a_vocative(cast):
    (quote,) = attribute_paragraphs(['"Spike dear, you are late," said Buffy.'], cast)
    assert (quote.speaker, quote.addressee) == ("Buffy Summers", "Spike")


def test_an_unnamed_speaker_takes_the_name_called_in_the_same_paragraph(cast):
    named = Cast(names={**cast.names, "Joyce": "Joyce Summers"}, genders={**cast.genders, "Joyce Summers": "f"})
    text = '"You took your time," said the visitor. "Sorry, Joyce," Willow said.'
    assert speakers([text], named) == ["Joyce Summers", "Willow Rosenberg"]


def test_a_description_goes_to_a_name_met_before_it_not_later_in_its_paragraph():
    cast = Cast(names={"Anna": "Anna", "Mary": "Mary"}, genders={"Anna": "f", "Mary": "f"})
    paragraphs = ["Anna walked in from the garden.", "“Hello,” said the girl, and Mary laughed at her."]
    assert speakers(paragraphs, cast) == ["Anna"]


def test_a_title_after_my_in_running_speech_is_possessed_not_addressed():
    cast = Cast(names={"Carrie": "Carrie", "Sister Carrie": "Carrie"}, genders={"Carrie": "f"})
    quotes = attribute_paragraphs(["“I am going to visit my sister,” she said.", "“Oh, my sister, come here!”"], cast)
    assert [q.addressee for q in quotes] == [None, "Carrie"]


def test_her_mother_is_the_one_married_woman_in_sight():
    cast = Cast(names={"Lizzy": "Lizzy", "Mrs. Bennet": "Mrs. Bennet", "Mr. Bennet": "Mr. Bennet"},
                genders={"Mrs. Bennet": "f", "Mr. Bennet": "m"})
    paragraphs = ["Mrs. Bennet and Mr. Bennet sat with Lizzy.", "“We shall see him,” said Lizzy.",
                  "“I hope not,” said her mother."]
    assert speakers(paragraphs, cast) == ["Lizzy", "Mrs. Bennet"]
    # with two married women in sight, "her mother" stays a person of her own
    two = Cast(names={**cast.names, "Mrs. Long": "Mrs. Long"}, genders={**cast.genders, "Mrs. Long": "f"})
    assert speakers(["Mrs. Long called on Mrs. Bennet and Lizzy.", *paragraphs[1:]], two)[-1] == "her mother"


def test_a_description_opening_a_paragraph_is_no_speaker_of_a_later_quote(cast):
    # "acknowledged" is a say-verb, but no quote comes before "a rule": it says nothing
    paragraphs = ["It is a rule widely acknowledged that vampires sulk.", '"Go away," she said.']
    assert speakers(paragraphs, cast) == ["the woman"]


def test_a_pronoun_may_mean_a_name_of_unknown_gender_seen_speaking():
    cast = Cast(names={"Kitty": "Kitty", "London": "London"}, genders={})
    paragraphs = ['"Hello," said Kitty.', "They drove to London.", '"Go," she said.']
    assert speakers(paragraphs, cast) == ["Kitty", "Kitty"]
    # a name never seen speaking (a place, most often) is no one's "she"
    assert speakers(paragraphs[1:], cast) == ["the woman"]


def test_an_exchange_guessed_out_of_step_is_re_phased_by_the_next_named_speaker(cast):
    # Buffy says nothing, so Spike goes on; the alternation is set right by "said Spike"
    paragraphs = ['"Hello, Buffy," said Spike.', "Buffy said nothing.", '"Cat got your tongue?"',
                  '"Go away."', '"Make me," said Spike.']
    assert speakers(paragraphs, cast) == ["Spike", "Spike", "Buffy Summers", "Spike"]
    indented = [*paragraphs[:4], '    "Make me," said Spike.']
    assert speakers(indented, cast) == ["Spike", "Spike", "Buffy Summers", "Spike"]
    # a paragraph opening with narration may be the same speaker going on: nothing changes
    beat = [*paragraphs[:4], 'Spike leaned closer. "Make me," he said.']
    assert speakers(beat, cast) == ["Spike", "Buffy Summers", "Spike", "Spike"]


def test_a_say_clause_in_a_later_sentence_introduces_the_next_quote(cast):
    text = ('"We should go," said Willow quietly. The others looked at the door, and Spike said, '
            '"Not yet."')
    assert speakers([text], cast) == ["Willow Rosenberg", "Spike"]
    # with no sentence between, the first quote's clause introduces the second
    assert speakers(['"We should go," said Willow, "before dawn."'], cast) == ["Willow Rosenberg"] * 2


def test_a_name_of_unknown_gender_never_seen_speaking_is_not_guessed_to_answer():
    cast = Cast(names={"Spike": "Spike", "Buffy": "Buffy", "Sunnydale": "Sunnydale"},
                genders={"Spike": "m", "Buffy": "f"})
    paragraphs = ["Buffy waited by the car.", '"Get in," said Spike.', "They drove back to Sunnydale.",
                  '"Nice town."']
    assert speakers(paragraphs, cast) == ["Spike", "Buffy"]


def test_the_subject_of_a_clause_ending_in_a_colon_speaks(cast):
    text = 'Willow looked at the door, and Spike turned to her with a grin: "Not yet."'
    assert speakers([text], cast) == ["Spike"]
    # without the colon the sentence's subject is the one acting before the quote
    assert speakers(['Willow looked at the door, and then turned to Spike. "Not yet."'], cast) == [
        "Willow Rosenberg"]


# ---------------------------------------------------------------- one person, several descriptions


def test_a_synonym_description_is_the_described_person_in_sight(cast):
    paragraphs = [
        'Willow set out the plates. "Is tea ready?" the boy asked.',
        'The lad sat down at the table. "I\'m starving," he said.',
    ]
    assert speakers(paragraphs, cast) == ["the boy", "the boy"]


def test_the_child_is_the_boy_or_girl_described_in_sight(cast):
    paragraphs = [
        'Willow sat on the porch steps. A small girl came up the path. "Are you a witch?" she asked.',
        '"Only on Tuesdays," said Willow.',
        '"Is today Tuesday?" the child wanted to know.',
    ]
    girl, willow, child = speakers(paragraphs, cast)
    assert willow == "Willow Rosenberg" and girl == child == "the small girl"


def test_this_or_that_description_points_back_at_the_described_person_in_sight(cast):
    paragraphs = [
        "Spike and Willow sat on the bench. A tall boy came along the path.",
        '"Got a light?" the youngster asked.',
        '"No," said Spike.',
        'This lanky youth shrugged at Spike. "Suit yourself," he said.',
        'That skinny lad walked off. "Kids," he muttered.',
    ]
    assert speakers(paragraphs, cast) == ["the tall boy", "Spike", "the tall boy", "the tall boy"]


def test_a_man_with_the_adjective_of_a_described_role_is_that_person(cast):
    paragraphs = [
        'Willow sighed. "Dull night," said a young officer to her.',
        '"Come along then," said the young man.',
    ]
    assert speakers(paragraphs, cast) == ["the young officer", "the young officer"]


def test_what_the_narration_says_someone_was_describes_them_from_then_on(cast):
    paragraphs = [
        '"I have a view," he said.',
        "Willow stared at him. He was an old man, with large eyes.",
        '"Take it," said the old man.',
    ]
    first, last = speakers(paragraphs, cast)
    assert first == last == "the man"


def test_a_woman_in_a_general_statement_is_no_one_met(cast):
    paragraphs = [
        "Willow looked down at her worn shoes. A woman always notices such things, "
        "a woman knows what clothes are worth. She blushed.",
        '"I am going to visit my sister," she said.',
    ]
    assert speakers(paragraphs, cast) == ["Willow Rosenberg"]


def test_a_description_in_apposition_names_that_character(cast):
    paragraphs = ["Buffy waited. Giles, the old teacher, came in.", '"Late again," said the old teacher.']
    assert speakers(paragraphs, cast) == ["Rupert Giles"]


def test_cast_from_text_joins_a_name_given_as_what_someone_was_called():
    paragraphs = [
        "Miss Harker, or Miss Dolly, as the village always called her, lived alone.",
        '"Shut the gate," said Miss Dolly.',
    ]
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Miss Harker") == cast.canonical("Miss Dolly") is not None


def test_cast_from_text_joins_a_nickname_someone_is_known_by():
    paragraphs = [
        "The joke was lost on Miss Harriet Vane, known to all her cousins for some reason as “Bunny.”",
        '"Shut the gate," said Bunny.',
        '"Not now," said Bunny.',
    ]
    cast = Cast.from_text(paragraphs)
    assert cast.canonical("Miss Harriet Vane") == cast.canonical("Bunny") is not None


def test_a_clause_naming_someone_else_after_an_attributed_quote_introduces_the_next(cast):
    paragraphs = ['"You never came," said Buffy, "and why not?" Spike laughed. "I was busy!" Buffy frowned.']
    assert speakers(paragraphs, cast) == ["Buffy Summers", "Buffy Summers", "Spike"]


def test_a_quoted_thought_is_attributed_like_speech(cast):
    paragraphs = ['Buffy and Willow sat down. "Idiot," thought Spike, watching them. "She never even looks."']
    assert speakers(paragraphs, cast) == ["Spike", "Spike"]


def test_said_another_is_someone_new_not_the_last_of_that_description(cast):
    paragraphs = [
        "Two soldiers stood at the gate of the Bronze.",
        "“They will never let us in,” said the soldier.",
        "“They will,” said another soldier, and spat.",
        "“Nonsense,” said another.",
    ]
    first, second, third = speakers(paragraphs, cast)
    assert len({first, second, third}) == 3


def test_somebody_or_one_of_a_group_speaking_is_no_one_already_in_sight(cast):
    paragraphs = [
        "Spike sat by the fire with the others round him.",
        "“It was a cold night,” he said.",
        "“Go on, then,” somebody called from the back.",
        "“Was it snowing?” asked one of the girls.",
        "“Tell it properly,” said somebody else.",
    ]
    spike, *others = speakers(paragraphs, cast)
    assert spike == "Spike" and len(set(others)) == 3 and spike not in others


def test_a_say_verb_after_a_subordinate_clause_goes_back_to_the_main_subject(cast):
    paragraphs = [
        "Spike leaned on the crypt door.",
        "Buffy came in. She frowned when he spoke to her, and then said: “Go away.”",
    ]
    assert speakers(paragraphs, cast) == ["Buffy Summers"]


def test_a_reply_calling_someone_new_is_said_by_the_one_just_addressed(cast):
    text = ('"Giles, you should have brought the books," said the newcomer. '
            '"Too late for that, Willow. We make do."')
    quotes = attribute_paragraphs([text], cast)  # the newcomer is the Willow Giles answers
    assert [(q.speaker, q.addressee) for q in quotes] == [
        ("Willow Rosenberg", "Rupert Giles"), ("Rupert Giles", "Willow Rosenberg")]


def test_one_speaker_may_go_on_to_address_someone_new(cast):
    text = '"Giles! Giles!" called the newcomer. "Willow, he does not hear me."'
    assert speakers([text], cast) == ["the newcomer", "the newcomer"]


def test_names_of_the_other_gender_cast_no_vote_for_an_unnamed_speaker(cast):
    paragraphs = ['"Come in," said the old woman.', '"Giles, sit here," said Spike.',
                  '"Tea?" asked the old woman.', '"Giles, take the tea," said Spike.',
                  '"Thank you, Willow," said Giles.', '"You are welcome," said the old woman.']
    assert speakers(paragraphs, cast) == ["Willow Rosenberg", "Spike", "Willow Rosenberg", "Spike",
                                          "Rupert Giles", "Willow Rosenberg"]


def test_a_call_before_anyone_is_known_is_the_next_speakers(cast):
    paragraphs = ['"Hello? Is anyone home?"', 'No answer. "Hello?"',
                  'Nothing stirred. The old man shook his head and said, "Deaf as a post, that boy."']
    assert speakers(paragraphs, cast) == ["the old man"] * 3


def test_a_quote_no_one_answers_goes_on_from_its_speaker(cast):
    paragraphs = ['Buffy glared at the empty chair. "Why did you leave?"', '"Come back here."']
    assert speakers(paragraphs, cast) == ["Buffy Summers", "Buffy Summers"]


def test_the_man_is_the_unnamed_voice_not_the_named_man_in_sight(cast):
    paragraphs = [
        '"Open up in there," said a hoarse voice. Spike rolled over in his crypt and did not move. '
        '"Open up, I said!" said the man, louder.',
    ]
    assert speakers(paragraphs, cast) == ["the hoarse voice", "the hoarse voice"]


def test_the_man_is_the_stranger_met_before_a_long_passage_about_the_named(cast):
    paragraphs = [
        '"Hand over the book," the stranger said, and Giles gave it to him.',
        'Spike watched. He sat up, he yawned, he stretched, he scratched his ear, he sighed, he frowned, '
        'he blinked, he coughed, he grinned, he shrugged, he muttered, he waited, he rose, he sat down again, '
        'he looked at Giles, and he looked away. "Thanks," the man said.',
    ]
    assert speakers(paragraphs, cast) == ["the stranger", "the stranger"]


def test_he_added_opening_a_paragraph_goes_on_from_the_last_speaker(cast):
    paragraphs = [
        'Giles carried the bags up the stairs, and Spike followed him.',
        '"Mind the step," laughed the porter.',
        '"It bites," he added.',
    ]
    assert speakers(paragraphs, cast) == ["the porter", "the porter"]


def test_challenged_and_asserted_attribute_speech(cast):
    paragraphs = ['Buffy glared at Spike. "Why not?" he challenged. "Because," she asserted.']
    assert speakers(paragraphs, cast) == ["Spike", "Buffy Summers"]


def test_with_no_one_else_in_sight_the_last_speaker_goes_on(cast):
    paragraphs = [
        'Spike stood alone at the window. "Nobody comes here any more," he said.',
        '"Nobody ever did."',
    ]
    assert speakers(paragraphs, cast) == ["Spike", "Spike"]


def test_the_voice_of_someone_is_that_someone_speaking(cast):
    paragraphs = ['Buffy pushed the crypt door open.', '"Go away," cried the voice of Spike from the dark.']
    assert speakers(paragraphs, cast) == ["Spike"]


def test_he_right_after_a_described_subject_of_no_known_sex_is_that_person(cast):
    paragraphs = [
        "Spike leaned against the wall of the ward.",
        "The doctor came over with a clipboard. “You are late for your check-up,” he said.",
    ]
    assert speakers(paragraphs, cast) == ["the doctor"]


def test_said_the_other_is_the_other_of_the_two_talking(cast):
    paragraphs = [
        "Spike sat alone by the campfire until a stranger walked up out of the dark.",
        "“Mind if I sit?” asked the stranger.",
        "“Suit yourself,” said Spike.",
        "“It is a cold night for it,” said the other, and held out his hands to the fire.",
    ]
    first, spike, third = speakers(paragraphs, cast)
    assert spike == "Spike" and third == first == "the stranger"


def test_his_companion_speaking_is_the_one_he_talks_with(cast):
    paragraphs = [
        "Spike and an old traveller shared the road north that week.",
        "“Rain tonight,” said the old traveller.",
        "“I never walk with anyone,” said Spike, coldly. His companion's eyes flashed.",
        "“I know this sky,” replied his companion. For a moment he forgot Spike and looked up.",
    ]
    first, spike, third = speakers(paragraphs, cast)
    assert spike == "Spike" and third == first


def test_a_role_after_man_or_woman_keeps_two_women_apart(cast):
    paragraphs = ['A woman servant opened the shutters. "Time to rise," she said.',
                  'The woman in the bed stirred. "Not yet," she sighed.']
    assert speakers(paragraphs, cast) == ["the woman servant", "the woman"]


def test_a_his_in_a_described_subjects_own_clause_gives_them_a_sex(cast):
    paragraphs = ["Spike stood at the window.",
                  'The doctor had been sitting with his hands in his lap. As the girl wept, he rose '
                  'and said, "You must rest now."']
    assert speakers(paragraphs, cast) == ["the doctor"]


def test_a_role_of_one_sex_lets_a_pronoun_mean_the_described_person(cast):
    paragraphs = ["Buffy sat by the bed.",
                  'The nurse came back in. She checked the chart. "No visitors after eight," she said.']
    assert speakers(paragraphs, cast) == ["the nurse"]


def test_an_opening_prepositional_phrase_does_not_hide_the_subject(cast):
    text = ('"I will see you out," said Buffy. They went down the stairs in silence. '
            'In the hall Spike stopped. "Will you tell the others?"')
    assert speakers([text], cast) == ["Buffy Summers", "Spike"]


def test_two_hyphens_introduce_a_quote_like_a_dash(cast):
    text = ('"Good, I am hidden," thought Giles. Willow just put her head in at the door, '
            'and said at once -- "He is behind the curtain, Spike."')
    assert speakers([text], cast) == ["Rupert Giles", "Willow Rosenberg"]


def test_a_pronoun_is_not_the_one_its_own_clause_goes_on_to_name(cast):
    paragraphs = ["Giles sat in the kitchen. His humming annoyed Spike.",
                  'He beckoned Giles to the window and said sternly: "Look at this."']
    assert speakers(paragraphs, cast) == ["Spike"]


def test_a_description_set_before_a_name_with_a_comma_is_that_persons(cast):
    paragraphs = ["By the easel stood the painter himself, Spike, brush in hand. Buffy sat still.",
                  '"Stop fidgeting," said the painter.']
    assert speakers(paragraphs, cast) == ["Spike"]


def test_a_chapter_heading_starts_a_new_conversation(cast):
    paragraphs = [
        "A girl waited alone at the rail of the sinking ship. “Is there room?” asked the girl.",
        "“Take this packet,” said the sailor.",
        "CHAPTER I. THE MARKET. “Willow, over here!”",
        "“Buffy, at last!”",
        "The two friends hugged in the doorway. “Not seen you for ages,” went on Willow.",
    ]
    girl, sailor, call, answer, willow = speakers(paragraphs, cast)
    assert (girl, sailor) == ("the girl", "the sailor")
    assert (call, answer, willow) == ("Buffy Summers", "Willow Rosenberg", "Willow Rosenberg")


def test_a_quote_is_not_filled_in_with_the_one_it_addresses(cast):
    paragraphs = [
        "“Hey, over here!”",
        "“Buffy, at last!”",
        "The two friends hugged in the doorway. “Not seen you for ages,” went on Willow.",
    ]
    assert speakers(paragraphs, cast) == ["Buffy Summers", "Willow Rosenberg", "Willow Rosenberg"]


def test_a_voice_named_right_after_a_quote_is_its_speaker(cast):
    paragraphs = [
        "“You look tired tonight, Giles.”",
        "“I am tired, Willow. I have not slept.”",
        "“And I have not slept either.”",
        "There was an edge in the voice of Spike as he came in from the porch. Giles only sighed.",
        "A girl sat by the stove, warming her hands. “Excuse me.”",
        "A man's voice behind her made her jump. He was soaked from the rain.",
    ]
    assert speakers(paragraphs, cast) == ["Willow Rosenberg", "Rupert Giles", "Spike", "the man"]


def test_one_girl_opening_a_sentence_is_a_described_subject(cast):
    paragraphs = [
        "Most of the guests were dancing. One girl stood apart from the rest. She was quite young.",
        "“I would rather watch,” she said quietly.",
        "The music stopped. The girl looked towards the door. “Is it over?”",
    ]
    assert speakers(paragraphs, cast) == ["the girl", "the girl"]


def test_after_words_said_to_oneself_the_speaker_goes_on(cast):
    paragraphs = [
        "“You will stay for supper, Giles,” said Willow.",
        "“Gladly,” said Giles.",
        "Willow turned to the stove so that he could not see her face. “Why does he always say yes?” she muttered to herself.",
        "“He never once says no.”",
    ]
    assert speakers(paragraphs, cast)[-1] == "Willow Rosenberg"


def test_a_quote_after_reported_speech_answers_it(cast):
    paragraphs = [
        "“Drink your tea, dear,” Willow said to Buffy, and sat down. Buffy muttered that the tea was cold. "
        "“Drink it anyway. It will warm you.”",
    ]
    assert speakers(paragraphs, cast) == ["Willow Rosenberg", "Willow Rosenberg"]


def test_heard_someone_say_gives_the_words_to_the_one_heard(cast):
    paragraphs = [
        "Willow sat alone in the dark library. Footsteps came up the stairs, and the door opened.",
        "“Nobody here,” she heard one voice say. “Try the stacks.”",
        "Then Giles went down to the stacks.",
        "“Nothing down here either,” Willow heard him call from below.",
    ]
    voice, same, giles = speakers(paragraphs, cast)
    assert voice == same == "one voice"
    assert giles == "Rupert Giles"


def test_a_capitalised_title_after_the_acts_as_a_person(cast):
    paragraphs = [
        "Willow waited on the porch of the big house while the rain came down.",
        "The Headmistress folded her umbrella. “You are early,” she snapped.",
    ]
    assert speakers(paragraphs, cast) == ["the Headmistress"]


def test_a_closing_question_answered_by_its_own_speaker_is_the_other_partys(cast):
    paragraphs = [
        "“Where are you headed?” asked Giles.",
        "“North, to the old mill,” said Willow. “What's there?”",
        "“Books nobody has read for a century,” said Willow, smiling.",
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles", "Willow Rosenberg", "Rupert Giles", "Willow Rosenberg"]


def test_a_closing_question_is_the_other_partys_though_narration_opens_the_answer(cast):
    paragraphs = [
        "“Where are you headed?” asked Giles.",
        "“North, to the old mill,” said Willow. “What's there?”",
        "Willow leaned closer. “Books nobody has read for a century,” she whispered.",
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles", "Willow Rosenberg", "Rupert Giles", "Willow Rosenberg"]


def test_a_voice_heard_once_is_the_character_the_next_paragraph_shows(cast):
    paragraphs = [
        "Willow pushed the library door open. The room was dark. Then a voice spoke. “Took your time, Red.”",
        "Spike was lounging in the librarian's chair with his boots on the desk. “Sit down, sit down.”",
    ]
    voice, spike = speakers(paragraphs, cast)
    assert voice == spike == "Spike"


def test_an_adjective_ending_in_ly_belongs_to_the_description(cast):
    paragraphs = [
        "Spike waited by the forge while the iron cooled.",
        "“Your blade is ready,” said the burly smith, wiping his hands on his apron.",
    ]
    assert speakers(paragraphs, cast) == ["the burly smith"]


def test_dash_speech_cut_short_by_narration_reopens_at_the_next_dash():
    assert quotes_of(["— Not again. Spike turned towards the door and called: — Buffy, come back!"]) == [
        "Not again.",
        "Buffy, come back!",
    ]


def test_a_stranger_is_not_renamed_after_a_character_the_narration_named_before(cast):
    paragraphs = [
        "Giles was sorting old books in the shop when the bell over the door rang.",
        "“Giles, you have a customer,” said Buffy from the stairs.",
        "“Good evening,” said a tall stranger, shaking the rain off his coat.",
    ]
    assert speakers(paragraphs, cast) == ["Buffy Summers", "the tall stranger"]


def test_a_name_before_a_past_verb_is_the_subject_after_an_opening_phrase(cast):
    paragraphs = [
        "“We should go before sunset,” said Giles. Just at that moment Spike walked in from the rain.",
        "“Bloody cold out there,” he said.",
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles", "Spike"]


def test_the_subject_after_an_opening_phrase_speaks_the_next_quote(cast):
    paragraphs = [
        "Giles and Buffy were arguing in the library.",
        "“You must rest,” said Giles.",
        "“I will not,” said Buffy. For a long moment after that Spike stared at the floor. “Nobody rests here.”",
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles", "Buffy Summers", "Spike"]


def test_dash_speech_goes_on_through_a_sentence_in_the_present_tense():
    assert quotes_of(["— Sit down. It seems the rain followed her all the way here. He pulled out a chair."]) == [
        "Sit down. It seems the rain followed her all the way here.",
    ]


def test_both_speakers_of_a_paragraph_stay_in_the_conversation(cast):
    paragraphs = [
        "“Nice evening,” said Spike.",
        "“Is it?” said Giles.",
        "“I'll walk you out,” said Willow. They went down the stairs in silence. At the door Giles stopped. "
        "“Did you call Buffy?”",
        "“Yes, an hour ago.”",
    ]
    assert speakers(paragraphs, cast)[-1] == "Willow Rosenberg"


def test_an_object_pronoun_in_a_names_own_sentence_is_someone_else():
    cast = Cast.from_text([
        "Dora was waiting for him at the gate; she was cold.",
        "Dora had told him to hurry; she hated the dark.",
        "“Late again,” said Dora.",
    ])
    assert cast.gender("Dora") == "f"


def test_was_the_answer_comes_from_the_one_the_narration_turned_to(cast):
    paragraphs = [
        "“Where is he?” asked Willow.",
        "“Gone,” said Buffy.",
        "I turned round and found Spike behind me. “What do you want?” I asked. “A word with you,” was the answer.",
    ]
    assert speakers(paragraphs, cast) == ["Willow Rosenberg", "Buffy Summers", "narrator", "Spike"]


def test_two_outcries_side_by_side_are_answered_by_the_one_they_react_to(cast):
    paragraphs = [
        "“The vampire is gone,” said Buffy.",
        "“Impossible!” cried Giles. “Nonsense!” said Willow. “It is true, though.”",
    ]
    assert speakers(paragraphs, cast) == ["Buffy Summers", "Rupert Giles", "Willow Rosenberg", "Buffy Summers"]


def test_an_answer_word_after_a_say_clause_is_the_other_partys(cast):
    paragraphs = [
        "“The library is locked,” said Willow.",
        "“Then the key was stolen,” said Giles. “Precisely. And only a vampire would want it.”",
    ]
    assert speakers(paragraphs, cast) == ["Willow Rosenberg", "Rupert Giles", "Willow Rosenberg"]


def test_a_no_after_ones_own_statement_takes_it_back(cast):
    paragraphs = [
        "“The library is locked,” said Willow.",
        "“I shall fetch the key,” said Giles. “No, I won't. Buffy can.”",
    ]
    assert speakers(paragraphs, cast) == ["Willow Rosenberg", "Rupert Giles", "Rupert Giles"]


def test_a_person_opening_a_clause_after_a_comma_is_the_one_a_new_name_calls():
    cast = Cast(names={"Giles": "Rupert Giles", "Xander": "Xander Harris", "Willow": "Willow Rosenberg"},
                genders={"Rupert Giles": "m", "Xander Harris": "m", "Willow Rosenberg": "f"})
    paragraphs = [
        'The gate creaked, a stranger came up the path. "Morning, Xander," said Giles.',
        '"Hello," said Willow.',
        'The stranger sat down on the step. "Can you come with me?"',
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles", "Willow Rosenberg", "Xander Harris"]


def test_as_he_spoke_ending_a_sentence_introduces_no_later_quote(cast):
    paragraphs = [
        '"It was no ordinary vampire," said Giles.',
        'Giles paced the room as he spoke. Buffy looked up in surprise. "How can you be so sure?"',
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles", "Buffy Summers"]


def test_a_voice_is_the_person_its_clause_shows_rising(cast):
    paragraphs = [
        "Willow crossed the cemetery. He had told her it was a quiet place.",
        "“Not one step more!” barked a rough voice, as a man rose from behind a crypt.",
        "Willow froze. “I'm only passing,” she said.",
        "“Passing where?” said the man.",
    ]
    voice, willow, man = speakers(paragraphs, cast)
    assert voice == man
    assert willow == "Willow Rosenberg"


def test_a_name_echoed_with_a_question_mark_is_not_an_address(cast):
    paragraphs = [
        "“I won't be long,” said Willow to Giles. “The books can wait. What cannot wait is Spike's temper.”",
        "“Spike? Has he been here again?” asked Giles.",
        "“Twice since Monday.”",
    ]
    assert speakers(paragraphs, cast) == ["Willow Rosenberg", "Willow Rosenberg", "Rupert Giles", "Willow Rosenberg"]


def test_a_quote_going_on_after_the_say_verb_keeps_its_addressee(cast):
    paragraphs = [
        "Giles came into the library. Willow and Buffy were at the table.",
        "“I need the big atlas, Willow,” he said, “and the candles from the cupboard.”",
        "“Which cupboard?”",
    ]
    assert speakers(paragraphs, cast)[-1] == "Willow Rosenberg"


def test_a_name_the_narration_calls_a_woman_is_one_whatever_pronouns_follow():
    paragraphs = [
        '"Ready?" asked Tessa.',
        "When he came out Tessa was waiting for him. He smiled at the sight.",
        "Tessa opened the gate for him. He went through it. Tessa was a quiet, grey-haired woman of fifty.",
    ]
    assert Cast.from_text(paragraphs).gender("Tessa") == "f"


def test_a_little_boy_met_again_after_a_named_boy_is_him():
    cast = Cast(names={"Tom": "Tom", "Anna": "Anna"}, genders={"Tom": "m", "Anna": "f"})
    paragraphs = [
        "The little boy was carried upstairs, still asleep. The doctor washed his hands, and the old cook"
        " stirred the fire.",
        "The doctor looked at the cook. The cook looked at the fire. The doctor sighed, and the cook sighed too."
        " The doctor sat down by the cook, and the cook went on stirring. The doctor watched the cook, the cook"
        " watched the pot, and the doctor yawned.",
        "A week later Anna found Tom in the nursery. She knelt down, she kissed the little boy, and she cried.",
        '"I want to go home," he answered.',
    ]
    assert speakers(paragraphs, cast) == ["Tom"]


def test_the_one_greeted_in_the_next_paragraph_said_the_quote_the_narration_gave_the_greeter():
    cast = Cast(names={"Tom": "Tom", "Anna": "Anna"}, genders={"Tom": "m", "Anna": "f"})
    paragraphs = [
        'Tom hid behind the sofa and held his breath. A hand pulled the cushions away. "Found you, you rascal!"',
        '"Hello, Anna!" he said.',
    ]
    assert speakers(paragraphs, cast) == ["Anna", "Tom"]


def test_a_name_first_called_names_the_described_person_the_next_sentence_turns_to():
    cast = Cast(names={"Tom": "Tom", "Anna": "Anna"}, genders={"Tom": "m", "Anna": "f"})
    paragraphs = [
        "Tom sat alone on the nursery floor, building a fort of cushions.",
        '"Hello, Anna!" he said. The governess bent down and kissed him.',
        '"Have you come to take me home?"',
        '"Yes, I have," said the governess.',
    ]
    assert speakers(paragraphs, cast)[-1] == "Anna"


def test_very_well_right_after_a_say_clause_is_the_other_partys(cast):
    paragraphs = [
        "“We should patrol the cemetery tonight,” said Willow.",
        "“I would rather stay in,” said Giles. “Very well, I shall go alone.”",
    ]
    assert speakers(paragraphs, cast) == ["Willow Rosenberg", "Rupert Giles", "Willow Rosenberg"]


def test_his_cousin_is_the_one_he_talks_with_who_is_not_called_uncle():
    cast = Cast(names={"Tom": "Tom", "Anna": "Anna", "Uncle Ben": "Ben Hale", "Ben Hale": "Ben Hale"},
                genders={"Tom": "m", "Anna": "f", "Ben Hale": "m"})
    paragraphs = [
        '"You look tired, uncle," said Anna.',
        '"I am old, my dear," said Uncle Ben.',
        '"You are not old at all, uncle," said Tom, and he smiled.',
        '"Tom is too kind," said his cousin.',
    ]
    assert speakers(paragraphs, cast)[-1] == "Anna"


def test_a_name_beside_and_i_with_a_past_verb_is_the_subject_a_he_goes_on_from():
    cast = Cast(names={"Giles": "Rupert Giles", "Xander": "Xander Harris"},
                genders={"Rupert Giles": "m", "Xander Harris": "m"})
    paragraphs = [
        'Xander had ordered the doors shut at dusk, and the watch was kept all night; '
        'in the grey of the morning, Giles and I met on the stair. He nodded and said, "Good morning."',
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles"]


def test_my_cousin_set_before_a_name_is_that_person_later():
    cast = Cast(names={"Giles": "Rupert Giles", "Xander": "Xander Harris", "Xander Harris": "Xander Harris"},
                genders={"Rupert Giles": "m", "Xander Harris": "m"})
    paragraphs = [
        "I had not written to my cousin, Xander Harris, in years.",
        'Giles was waiting at the inn. "You are late," said Giles.',
        'Giles turned away. My cousin ran up the stair and, catching my arm, he cried, "Shut the door!"',
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles", "Xander Harris"]


def test_a_named_persons_companion_speaking_after_a_subordinate_clause_is_the_other_party(cast):
    paragraphs = [
        '"Is the road clear?" asked Giles.',
        '"It is," said Spike.',
        'They rode on together. Giles\'s companion, when he had watered the horses, turned and said: '
        '"We should part here."',
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles", "Spike", "Spike"]


def test_a_reply_coming_or_a_query_following_is_the_one_the_narration_turned_to(cast):
    paragraphs = [
        '"Where is the book?" asked Spike.',
        '"On the shelf," said Willow.',
        'Buffy turned to Giles. "Did you take it?" she asked. "Not I," came a quiet reply.',
    ]
    assert speakers(paragraphs, cast) == ["Spike", "Willow Rosenberg", "Buffy Summers", "Rupert Giles"]
    paragraphs[2] = 'Buffy turned to Giles. "You took it," she said. "Why would I?" quickly followed the query.'
    assert speakers(paragraphs, cast) == ["Spike", "Willow Rosenberg", "Buffy Summers", "Rupert Giles"]


def test_an_unnamed_speaker_asked_their_name_is_the_character_they_name():
    cast = Cast(names={"Mr. Harlow": "Mr. Harlow", "Tom": "Tom"}, genders={"Mr. Harlow": "m", "Tom": "m"})
    paragraphs = [
        '"Can you carry this trunk?" asked a gentleman at the station.',
        '"Yes, sir," said Tom.',
        '"Bring it to my house on Elm Street."',
        '"Very well, sir. What name?"',
        '"Harlow, -- the green door."',
        '"He looks an honest lad," said Mr. Harlow to himself.',
    ]
    assert speakers(paragraphs, cast) == ["Mr. Harlow", "Tom", "Mr. Harlow", "Tom", "Mr. Harlow", "Mr. Harlow"]


def test_the_one_it_seemed_to_is_the_he_that_follows():
    cast = Cast(names={"Harold": "Harold", "Peter": "Peter"}, genders={"Harold": "m", "Peter": "m"})
    paragraphs = [
        '"I found a frog," cried Peter.',
        'Peter held it up proudly. It seemed to Harold that he was expected to admire it. '
        'He bent down. "It is a splendid frog," he said.',
    ]
    assert speakers(paragraphs, cast) == ["Peter", "Harold"]


def test_a_mother_called_on_after_someone_else_is_not_the_speaker():
    cast = Cast(names={"Ned": "Ned", "Kate": "Kate"}, genders={"Ned": "m", "Kate": "f"})
    paragraphs = [
        "I came in late, and found my mother at the table with Kate and Ned.",
        "“The mill has burnt down!” said Kate.",
        "“Impossible!” cried my mother.",
        "“I bet the miller did it himself,” said Ned.",
        "“Hush, Ned! Isn't it dreadful, mamma?”",
    ]
    assert speakers(paragraphs, cast) == ["Kate", "my mother", "Ned", "Kate"]


def test_a_well_right_after_a_say_clause_is_the_other_partys(cast):
    paragraphs = [
        "“You should patrol tonight,” said Giles.",
        "“It is raining,” said Buffy. “Well, a little rain never hurt anyone.”",
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles", "Buffy Summers", "Rupert Giles"]


def test_all_right_right_after_a_say_clause_is_the_other_partys(cast):
    paragraphs = [
        "“The library is quiet,” said Willow.",
        "“You should read more,” said Giles. “All right. Lend me a book, then.”",
    ]
    assert speakers(paragraphs, cast) == ["Willow Rosenberg", "Rupert Giles", "Willow Rosenberg"]


def test_a_question_ending_then_right_after_a_say_clause_is_the_other_partys(cast):
    paragraphs = [
        "“Are you coming to the Bronze?” asked Willow.",
        "“I never dance,” said Giles. “Why do you go there, then?”",
    ]
    assert speakers(paragraphs, cast) == ["Willow Rosenberg", "Rupert Giles", "Willow Rosenberg"]


def test_a_description_after_who_was_names_that_person():
    cast = Cast(names={"Sam": "Sam"}, genders={"Sam": "m"})
    paragraphs = [
        '"Get up, lad," said a deep voice.',
        '"What for?" asked Sam.',
        '"The cart is here," said the man, who was a farmer from the next village.',
        '"I am tired," said Sam.',
        '"Then you had better rest," said the farmer kindly.',
    ]
    assert speakers(paragraphs, cast) == ["the deep voice", "Sam", "the deep voice", "Sam", "the deep voice"]


def test_a_she_after_a_paragraph_naming_another_woman_is_her_not_the_earlier_subject(cast):
    paragraphs = [
        "Willow nodded, and they walked on towards the library.",
        "The small tremor in his voice did not escape the sharp ears of Buffy.",
        "She turned at once. “Giles, you're worried!”",
    ]
    assert speakers(paragraphs, cast) == ["Buffy Summers"]


def test_a_she_in_the_next_paragraph_is_still_the_subject_of_a_sentence_naming_another(cast):
    paragraphs = [
        "Willow handed Buffy the book.",
        "She smiled. “Read it tonight.”",
    ]
    assert speakers(paragraphs, cast) == ["Willow Rosenberg"]


def test_another_voice_is_someone_new_not_the_one_called_beside_it(cast):
    paragraphs = [
        "Willow sat by the fire while Buffy dozed on the sofa.",
        "“She works too hard,” said Giles.",
        "“She is a lucky girl,” replied another voice.",
        "“Buffy! Buffy!” cried Giles.",
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles", "another voice", "Rupert Giles"]


def test_a_question_after_a_gesture_answered_by_the_same_gesturer_was_the_other_partys(cast):
    paragraphs = [
        "“Will you carry the letter for me?” asked Giles.",
        "Buffy held out her hand. “Wait. Are you sure you can keep it safe?”",
        "Buffy smiled. “Quite sure.”",
    ]
    assert speakers(paragraphs, cast) == ["Rupert Giles", "Rupert Giles", "Buffy Summers"]


def test_all_the_ladies_said_gives_the_words_straight_after_the_verb_to_the_group(cast):
    paragraphs = ["“Willow is asleep,” said Buffy. All the ladies said “Poor child!” on hearing it."]
    assert speakers(paragraphs, cast) == ["Buffy Summers", "the ladies"]
