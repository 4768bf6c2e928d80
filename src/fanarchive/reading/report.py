"""Show a :class:`Reading` to people: the ``fanarchive read FILE`` command.

:func:`format_report` lays out everything the reader found as plain text;
:func:`main` is the command line (``--json`` prints the raw reading instead).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from .model import Chapter, FrontMatter, Placement, ReaderError, Reading

_WIDTH = 88
_INDENT = "    "


def format_report(reading: Reading) -> str:
    """A readable plain-text report of ``reading``, section by section."""
    sections = [
        _source_section(reading),
        _front_section(reading.front),
        _chapters_section(reading.chapters),
        _characters_section(reading),
        _dialogue_section(reading),
        _suggestions_section(reading),
        _placement_section(reading.placement),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _heading(title: str) -> str:
    return f"{title}\n{'=' * len(title)}"


def _wrap(text: str, indent: str = _INDENT, bullet: str = "") -> str:
    """Wrap each paragraph of ``text`` under ``indent``; ``bullet`` marks the first line."""
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n")]
    hanging = indent + " " * len(bullet)
    lines = [
        textwrap.fill(paragraph, _WIDTH, initial_indent=hanging, subsequent_indent=hanging, break_on_hyphens=False)
        for paragraph in paragraphs
        if paragraph
    ]
    if bullet and lines:
        lines[0] = indent + bullet + lines[0][len(indent) + len(bullet):]
    return "\n".join(lines)


def _field(label: str, value: str | list[str]) -> str:
    """``Label: value`` with long or multi-item values on indented lines."""
    if isinstance(value, list):
        value = ", ".join(value)
    if len(label) + len(value) + 2 <= _WIDTH and "\n" not in value:
        return f"{label}: {value}"
    return f"{label}:\n{_wrap(value)}"


def _source_section(reading: Reading) -> str:
    lines = [
        _heading("Source"),
        f"Format: {reading.source_format}",
        f"Encoding: {reading.encoding}" + (" (mojibake repaired)" if reading.repaired_mojibake else ""),
        f"Words (story only): {reading.word_count:,}",
        f"Chapters: {len(reading.chapters)}",
    ]
    return "\n".join(lines)


_FRONT_FIELDS = (
    ("Title", "title"), ("Author", "author"), ("Rating", "rating"), ("Warnings", "warnings"),
    ("Categories", "categories"), ("Fandoms", "fandoms"), ("Relationships", "relationships"),
    ("Characters", "characters"), ("Additional tags", "freeforms"), ("Language", "language"),
    ("Disclaimer", "disclaimer"), ("Summary", "summary"),
)


def _front_section(front: FrontMatter) -> str:
    lines = [_heading("Front matter")]
    for label, name in _FRONT_FIELDS:
        value = getattr(front, name)
        if value:
            lines.append(_field(label, value))
    for label, items in (
        ("Author's notes", front.notes), ("End notes", front.end_notes),
        ("Setting statements", front.setting), ("Continuity statements", front.continuity),
    ):
        if items:
            lines.append(f"{label}:")
            lines.extend(_wrap(item, bullet="- ") for item in items)
    if len(lines) == 1:
        lines.append("(none found)")
    return "\n".join(lines)


def _chapters_section(chapters: list[Chapter]) -> str:
    lines = [_heading("Chapters")]
    for chapter in chapters:
        breaks = sum(1 for paragraph in chapter.paragraphs if paragraph.scene_break_before)
        title = f"Chapter {chapter.number}" + (f": {chapter.title}" if chapter.title else "")
        lines.append(
            f"{title} — {_count(chapter.word_count, 'word')}, {_count(len(chapter.paragraphs), 'paragraph')}, "
            f"{_count(breaks, 'scene break')}"
        )
        for label, text in (("Summary", chapter.summary), ("Notes", chapter.notes_begin), ("End notes", chapter.notes_end)):
            if text:
                lines.append(f"  {label}:")
                lines.append(_wrap(text))
        if chapter.paragraphs:
            lines.append(f"  Starts: {_clip(chapter.paragraphs[0].text)}")
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _clip(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _characters_section(reading: Reading) -> str:
    if not reading.characters and reading.narration.person == "unknown":
        return ""
    lines = [_heading("Characters")]
    for role in ("main", "mentioned"):
        people = [character for character in reading.characters if character.role == role]
        if people:
            lines.append(f"{role.capitalize()}:")
        for character in people:
            aliases = ", ".join(f"{alias} ×{count}" for alias, count in character.aliases.items())
            fandom = f" ({character.fandom})" if character.fandom else ""
            lines.append(
                f"  {character.name}{fandom}: {_count(character.mentions, 'mention')}, "
                f"{_count(character.quotes, 'quote')}, {_count(character.words_spoken, 'word')} spoken"
            )
            if aliases:
                lines.append(f"      called: {aliases}")
    narration = reading.narration
    lines.append(
        f"Narration: {narration.person} person, {narration.tense} tense"
        + (f", point of view: {narration.pov_character}" if narration.pov_character else "")
    )
    return "\n".join(lines)


def _dialogue_section(reading: Reading) -> str:
    if not reading.quotes:
        return ""
    lines = [_heading(f"Dialogue ({len(reading.quotes)} quotes)")]
    for quote in reading.quotes:
        speaker = quote.speaker or "?"
        addressee = f" → {quote.addressee}" if quote.addressee else ""
        where = f"ch{quote.chapter + 1} ¶{quote.paragraph + 1}"
        lines.append(
            f"  [{where}] {speaker}{addressee} ({quote.method}, {quote.confidence:.2f}): {_clip(quote.text, 60)}"
        )
    return "\n".join(lines)


def _suggestions_section(reading: Reading) -> str:
    if not reading.suggestions:
        return ""
    lines = [_heading("Suggested tags")]
    types = list(dict.fromkeys(suggestion.type for suggestion in reading.suggestions))
    for tag_type in types:
        lines.append(f"{tag_type.capitalize()}:")
        for suggestion in reading.suggestions_of(tag_type):
            declared = ", declared" if suggestion.declared else ""
            lines.append(f"  {suggestion.name} ({suggestion.confidence:.2f}{declared})")
            lines.extend(f"      because: {_clip(line, 74)}" for line in suggestion.evidence[:3])
    return "\n".join(lines)


def _placement_section(placement: Placement | None) -> str:
    if placement is None:
        return ""
    after = f"{placement.after.code} \"{placement.after.title}\"" if placement.after else "the start"
    before = f"{placement.before.code} \"{placement.before.title}\"" if placement.before else "the end"
    lines = [
        _heading("Placement in canon"),
        f"{placement.fandom}: after {after}, before {before}"
        + (f" (season {placement.season})" if placement.season else ""),
        f"{placement.kind}, confidence {placement.confidence:.2f}",
    ]
    lines.extend(f"  because: {_clip(line, 78)}" for line in placement.evidence)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``fanarchive read FILE [--json] [--structure]``: print what the reader finds in FILE."""
    parser = argparse.ArgumentParser(prog="fanarchive read", description="Read a fan work and report what it contains.")
    parser.add_argument("file", type=Path, help="a .txt, .md or .html file")
    parser.add_argument("--json", action="store_true", help="print the reading as JSON")
    parser.add_argument("--structure", action="store_true", help="only front matter and chapters (faster)")
    args = parser.parse_args(argv)

    from . import read  # the package imports this module's neighbours; avoid a cycle at import time

    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"fanarchive read: cannot open {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        reading = read(data, filename=args.file.name, depth="structure" if args.structure else "full")
    except ReaderError as error:
        print(f"fanarchive read: {args.file}: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(reading.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_report(reading), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
