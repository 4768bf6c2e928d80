"""Build small :class:`Reading` objects by hand for the analysis tests.

The analysis stages take a reading whose structure is already known; these
helpers make one from paragraphs and front matter without going through
the structure parser, so a test exercises one stage only.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from fanarchive.reading import read
from fanarchive.reading.model import Chapter, FrontMatter, Paragraph, Reading
from fanarchive.testing import seed_path


def story(*paragraphs: str, notes: Iterable[str] = (), fandoms: Iterable[str] = (),
          setting: Iterable[str] = ()) -> Reading:
    """A one-chapter reading of ``paragraphs`` with the given front matter."""
    front = FrontMatter(notes=list(notes), fandoms=list(fandoms), setting=list(setting))
    chapter = Chapter(number=1, paragraphs=[Paragraph(text=p, html=p) for p in paragraphs])
    return Reading(front=front, chapters=[chapter])


def seed_reading(*, depth: str = "full") -> Reading:
    """The founding seed work read by the whole reader (skips the test when the seed is absent)."""
    path = seed_path()
    if not path.exists():
        pytest.skip(f"seed work not found at {path}")
    return read(path.read_bytes(), filename=path.name, depth=depth)
