"""Run the analysis stages over a structured reading, in dependency order.

Characters come first (the dialogue needs the cast), then quotations and
their speakers, then each character's speech counts, then tag suggestions
(which use characters and dialogue) and finally placement in canon.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .canon import Canon, load_canon
from .characters import build_cast, find_characters, update_speech
from .dialogue import Cast, attribute_quotes
from .model import Reading
from .placement import place_in_canon
from .suggest import suggest_tags

Stage = Callable[[Reading, Canon], None]


def _attribute_dialogue(reading: Reading, canon: Canon) -> None:
    """Quotes and speakers, with the cast from canon or, for unknown fandoms, from the text."""
    cast = build_cast(reading, canon)
    if not cast.names:
        cast = Cast.from_text(paragraph.text for chapter in reading.chapters for paragraph in chapter.paragraphs)
    attribute_quotes(reading, cast)


STAGES: tuple[tuple[str, Stage], ...] = (
    ("characters", find_characters),
    ("dialogue", _attribute_dialogue),
    ("speech counts", lambda reading, canon: update_speech(reading)),
    ("tag suggestions", suggest_tags),
    ("placement", place_in_canon),
)
"""The stages in the order they must run (the benchmark times each one)."""


def analyse(reading: Reading, canon: Canon | None = None) -> None:
    """Fill characters, narration, quotes, suggestions and placement of ``reading``.

    ``canon`` defaults to the canon data shipped with the package.
    """
    canon = canon if canon is not None else load_canon()
    with _collector_paused():
        for _, stage in STAGES:
            stage(reading, canon)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the stages run.

    They allocate millions of short-lived containers (tokens, matches,
    guesses) and make no reference cycles, so the collector's passes free
    nothing yet cost about a tenth of the analysis of a long work.
    Reference counting still frees everything as usual; the collector
    resumes (if it was on) when the stages end, even on an error.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
