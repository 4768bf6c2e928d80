"""Run the analysis stages over a structured reading, in dependency order.

Characters come first (the dialogue needs the cast), then quotations and
their speakers, then each character's speech counts, then tag suggestions
(which use characters and dialogue) and finally placement in canon.
"""

from __future__ import annotations

from .canon import Canon, load_canon
from .characters import build_cast, find_characters, update_speech
from .dialogue import Cast, attribute_quotes
from .model import Reading
from .placement import place_in_canon
from .suggest import suggest_tags


def analyse(reading: Reading, canon: Canon | None = None) -> None:
    """Fill characters, narration, quotes, suggestions and placement of ``reading``.

    ``canon`` defaults to the canon data shipped with the package.
    """
    canon = canon if canon is not None else load_canon()
    find_characters(reading, canon)
    attribute_quotes(reading, _cast(reading, canon))
    update_speech(reading)
    suggest_tags(reading, canon)
    place_in_canon(reading, canon)


def _cast(reading: Reading, canon: Canon) -> Cast:
    """The cast from canon, or one guessed from capitalised names for unknown fandoms."""
    cast = build_cast(reading, canon)
    if cast.names:
        return cast
    return Cast.from_text(paragraph.text for chapter in reading.chapters for paragraph in chapter.paragraphs)
