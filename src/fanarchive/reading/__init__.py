"""The reader: turn an uploaded fan work into a structured :class:`Reading`.

Pure Python (no Django), so the importer, the ``fanarchive read`` command and
the benchmarks share it. Use :func:`read`; everything it returns is defined
in :mod:`fanarchive.reading.model`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from .decode import DEFAULT_MAX_BYTES, decode
from .model import ReaderError, Reading
from .structure import structure

if TYPE_CHECKING:
    from .canon import Canon

__all__ = ["read", "Reading", "ReaderError"]

Depth = Literal["structure", "full"]


def read(
    source: str | bytes,
    *,
    filename: str | None = None,
    canon: Canon | None = None,
    depth: Depth = "full",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Reading:
    """Read one work from text or raw file bytes.

    ``filename`` (only its extension is used) picks plain text, Markdown or
    HTML; without it the format is sniffed. ``depth="structure"`` stops after
    front matter, chapters and paragraphs; ``"full"`` also finds characters,
    dialogue, tag suggestions and canon placement, using ``canon`` (the
    packaged canon data when None). Raises :class:`ReaderError` with a
    human message when the input cannot be read as a work.
    """
    if depth not in ("structure", "full"):
        raise ValueError(f"depth must be 'structure' or 'full', not {depth!r}")
    decoded = decode(source, max_bytes=max_bytes)
    reading = structure(decoded.text, filename=filename)
    reading.encoding = decoded.encoding
    reading.repaired_mojibake = decoded.repaired_mojibake
    if depth == "full":
        from .analysis import analyse  # imported late: structure-only reads skip the canon data

        analyse(reading, canon)
    return reading
