"""The LitBank evaluation's paragraph guessing (bench/eval_speakers_litbank.py).

LitBank keeps no paragraph breaks, so the evaluation guesses them; these
tests pin the rules its module docstring states.  No LitBank data needed.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "eval_speakers_litbank.py"
_spec = importlib.util.spec_from_file_location("eval_speakers_litbank", _SCRIPT)
evaluation = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = evaluation  # dataclasses look their module up
_spec.loader.exec_module(evaluation)


def paragraphs(*sentences: str) -> list[str]:
    return evaluation.detokenise([s.split(" ") for s in sentences]).paragraphs


def test_a_reply_after_a_question_and_its_attribution_opens_a_paragraph():
    assert paragraphs('" Why ? " asked Jo .', '" Because . "') == ['"Why?" asked Jo.', '"Because."']


def test_an_answer_after_an_attribution_sentence_of_its_own_is_a_reply():
    assert paragraphs('" Is that his name ? "', "asked Lord Henry .", '" Yes , it is . "') == [
        '"Is that his name?" asked Lord Henry.', '"Yes, it is."']


def test_the_asker_going_on_after_an_attribution_sentence_keeps_the_paragraph():
    assert paragraphs('" Has anything escaped me ? "', "I asked .", '" I trust not ? "') == [
        '"Has anything escaped me?" I asked. "I trust not?"']


def test_one_speaker_going_on_after_an_attribution_keeps_the_paragraph():
    assert paragraphs('" A , " said Jo .', '" B . "') == ['"A," said Jo. "B."']


def test_a_dash_inside_an_open_quotation_is_the_speakers_own():
    assert len(paragraphs("‘ Well !", "— an honest farmer is useful . ’", "He went home .")) == 2


def test_a_dash_opening_a_sentence_outside_quotations_is_dash_dialogue():
    assert len(paragraphs("He stopped .", "— Come up !", "-- Why ?")) == 3


def test_an_exclamation_attributed_in_the_next_sentence_is_a_reply():
    assert paragraphs('" Oh ! " cried Ann .', '" Good heavens ! "', "I added .") == [
        '"Oh!" cried Ann.', '"Good heavens!" I added.']


def test_a_speaking_verb_with_its_particle_attributes_a_reply():
    assert paragraphs('" Thanks , " I said .', '" I rode all day , " he went on .') == [
        '"Thanks," I said.', '"I rode all day," he went on.']


def test_narration_after_a_quotation_ending_in_a_full_stop_attributes_nothing():
    assert len(paragraphs('" Sit , " said Ann .', '" It is done . "', "The boy began to eat .")) == 1


def test_an_apostrophe_in_a_double_quoted_book_closes_no_quotation():
    assert paragraphs('" Tie it , " the man said .', "\" Pull it , an ' it holds , \" said Tom .") == [
        '"Tie it," the man said.', "\"Pull it, an' it holds,\" said Tom."]


def test_a_mark_left_at_the_end_of_a_sentence_opens_the_next_one():
    assert paragraphs('" Fine , " he said . "', "Come in . \"") == ['"Fine," he said. "Come in."']


def test_a_mark_closing_a_nested_quote_inside_a_quotation_stays_where_it_is():
    assert paragraphs('He read : " Dear Sir .', '" Yours , " ANNE . "', "Then he slept .") == [
        'He read: "Dear Sir. "Yours," ANNE."', "Then he slept."]


def test_a_mark_left_after_a_closing_mark_opens_the_next_sentence():
    assert paragraphs('" I had hoped -- " "', 'Go away ! "') == ['"I had hoped --"', '"Go away!"']


def test_a_short_statement_after_an_attribution_sentence_of_its_own_answers_the_question():
    assert paragraphs('" What time is it ? "', "asked Dick .", "\" Seven o'clock . \"") == [
        '"What time is it?" asked Dick.', "\"Seven o'clock.\""]


def test_a_quotation_attributed_to_another_name_after_narration_opens_a_paragraph():
    assert paragraphs('" Sit , " said Ann .', "The boy sat down .", '" Thanks , " said Tom .') == [
        '"Sit," said Ann. The boy sat down.', '"Thanks," said Tom.']


def test_a_quotation_attributed_to_the_other_pronoun_after_narration_opens_a_paragraph():
    assert len(paragraphs('" Sit , " she said .', "The boy sat down .", '" Thanks , " he said .')) == 2


def test_a_name_and_a_pronoun_may_be_one_speaker_and_keep_the_paragraph():
    assert len(paragraphs('" Sit , " said Ann .', "She sat down .", '" There , " she said .')) == 1
