"""Find a work's front matter, chapters, paragraphs and scene breaks.

:func:`structure` takes decoded text and returns a :class:`Reading` with
``front``, ``chapters`` and word counts filled; analysis (characters,
dialogue, tags, placement) is added later by :mod:`.analysis`.

The order of work is: cut the source into blocks (:mod:`.sources`), read
front matter from the top, split the rest at chapter headings, peel each
chapter's opening and closing notes off, and make paragraphs of what is left.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from . import frontmatter as fm
from .model import Chapter, FrontMatter, Paragraph, Reading, ReaderError
from .sources import Block, chapter_heading, html_blocks, markdown_blocks, plain_paragraphs, text_blocks

SourceFormat = Literal["text", "markdown", "html"]

_EXTENSIONS: dict[str, SourceFormat] = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}
_HTML_SNIFF_RE = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
_HTML_TAG_RE = re.compile(r"<(?:p|br|div|i|em|b|strong|hr|h[1-6])\b[^<>]{0,200}>", re.IGNORECASE)
_MARKDOWN_SNIFF_RE = re.compile(r"^#{1,6}[ \t]+\S|^\*\*[^*\n]{1,80}\*\*|^\[[^\]\n]+\]\([^)\n]+\)", re.MULTILINE)
_SNIFF_CHARS = 20_000
_ENDING_NOTE_BLOCKS = 6  # how far from a chapter's end a labelled note may start
_PUNCTUATION_TOKEN_RE = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")
# Scripts written without spaces between words: Han, kana, Thai.
_CHARACTER_WORD_RE = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def detect_format(text: str, filename: str | None = None) -> SourceFormat:
    """Format from the file's extension, else from the text's first characters."""
    if filename:
        by_extension = _EXTENSIONS.get(PurePath(filename).suffix.lower())
        if by_extension:
            return by_extension
    head = text[:_SNIFF_CHARS]
    if _HTML_SNIFF_RE.match(head) or len(_HTML_TAG_RE.findall(head)) >= 3:
        return "html"
    if _MARKDOWN_SNIFF_RE.search(head):
        return "markdown"
    return "text"


def count_words(text: str) -> int:
    """Words as AO3 roughly counts them: whitespace-separated tokens with a letter or digit.

    Tokens made only of punctuation ("—", "***", "...") are not words;
    hyphenated and dash-joined forms ("you—you're") count once. Like AO3,
    each Chinese or Japanese character (and Thai letter) counts as a word.
    """
    if not text.isascii():
        characters = len(_CHARACTER_WORD_RE.findall(text))
        if characters:
            text = _CHARACTER_WORD_RE.sub(" ", text)
            return characters + count_words(text)
    return len(text.split()) - len(_PUNCTUATION_TOKEN_RE.findall(text))


def structure(text: str, *, filename: str | None = None) -> Reading:
    """Front matter, chapters and word counts of decoded ``text``."""
    source_format = detect_format(text, filename)
    if source_format == "html":
        blocks = html_blocks(text)
    elif source_format == "markdown":
        blocks = markdown_blocks(text)
    else:
        blocks = text_blocks(text)
    explicit_layout = any(block.kind == "field" for block in blocks)
    front, chapters = _assemble(blocks, infer_notes=not explicit_layout)
    if not chapters and not explicit_layout:
        front, chapters = _assemble(blocks, infer_notes=False)  # notes guessed wrongly: keep them as story
    if not chapters:
        raise ReaderError("no story text found (only headings or notes)")
    fm.extract_statements(front, [chapters[0].notes_begin])
    reading = Reading(front=front, chapters=chapters, source_format=source_format)
    reading.word_count = sum(chapter.word_count for chapter in chapters)
    return reading


# --- assembly ---------------------------------------------------------------------


@dataclass
class _Roles:
    """How each heading block is used: the work's title, a chapter, or a label."""

    title_index: int | None
    chapter_level: int | None


def _heading_roles(blocks: list[Block]) -> _Roles:
    """Pick the work-title heading and the heading level that starts chapters.

    A lone top-level heading before everything else is the title when
    lower-level headings follow (or nothing else is a heading), unless the
    source states the title elsewhere (AO3); the highest remaining level
    marks chapters.
    """
    headings = [
        (index, block) for index, block in enumerate(blocks)
        if block.kind == "heading" and block.level and _heading_label(block) is None
    ]
    title_index = None
    title_stated = any(block.kind == "field" and block.target == "title" for block in blocks)
    if headings and not title_stated:
        first_index, first = headings[0]
        same_level = [block for _, block in headings if block.level == first.level]
        lower = [block for _, block in headings if block.level > first.level]
        story_before = any(block.kind == "para" for block in blocks[:first_index])
        if (
            len(same_level) == 1 and (lower or len(headings) == 1) and not story_before
            and chapter_heading(first.text, alone=True) is None
        ):
            title_index = first_index
    levels = [block.level for index, block in headings if index != title_index]
    return _Roles(title_index, min(levels) if levels else None)


def _heading_label(block: Block) -> str | None:
    """The front-matter field a heading such as "Summary" or "Author's Note" introduces."""
    labelled = fm.match_label(block.text.strip() + ":")
    return labelled[0] if labelled else None


def _chapter_title(block: Block, roles: _Roles) -> str | None:
    """The chapter title a block starts ("" untitled), or None if it starts no chapter."""
    if block.kind == "heading" and _heading_label(block) is not None:
        return None  # a "Summary" or "Notes" heading
    if block.kind == "heading" and not block.level:
        return chapter_heading(block.text, alone=True) or ""
    if block.kind == "heading" and block.level == roles.chapter_level:
        found = chapter_heading(block.text, alone=True)
        return found if found is not None else block.text.strip()
    if block.kind == "para" and len(block.lines) == 1 and not block.plain:
        return chapter_heading(block.lines[0], alone=True)
    return None


def _assemble(blocks: list[Block], *, infer_notes: bool) -> tuple[FrontMatter, list[Chapter]]:
    front = FrontMatter()
    roles = _heading_roles(blocks)
    start = _read_front(blocks, front, roles, infer_notes=infer_notes)
    groups: list[tuple[str, list[Block]]] = [("", [])]
    for block in blocks[start:]:
        title = _chapter_title(block, roles)
        if title is not None:
            groups.append((title, []))
        else:
            groups[-1][1].append(block)
    chapters = []
    for index, (title, group) in enumerate(groups):
        last = index == len(groups) - 1
        chapter = _make_chapter(title, group, front, is_last=last, infer_notes=infer_notes)
        if chapter.paragraphs:
            chapter.number = len(chapters) + 1
            chapters.append(chapter)
    return front, chapters


def _read_front(blocks: list[Block], front: FrontMatter, roles: _Roles, *, infer_notes: bool) -> int:
    """Consume front matter from the top of ``blocks``; return where the story starts."""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "field":
            if not block.target.startswith("chapter_"):
                fm.apply_field(front, block.target, block.values)
                index += 1
                continue
            return index
        if block.kind == "break":
            index += 1
            continue
        if index == roles.title_index:
            front.title = block.text.strip()
            index += 1
            continue
        if _chapter_title(block, roles) is not None:
            return index
        if block.kind == "heading":
            label = _heading_label(block)
            if label is None:
                return index
            index = _read_headed_section(blocks, index + 1, label, front)
            continue
        consumed = _read_front_paragraph(blocks, index, front, infer_notes=infer_notes)
        if consumed == 0:
            return index
        index += consumed
    return index


def _read_headed_section(blocks: list[Block], index: int, field_name: str, front: FrontMatter) -> int:
    """Paragraphs under a "Summary"/"Notes" heading become that field."""
    texts = []
    while index < len(blocks) and blocks[index].kind == "para":
        texts.append(_block_text(blocks[index]))
        index += 1
    fm.apply_field(front, field_name, "\n\n".join(texts))
    return index


def _read_front_paragraph(blocks: list[Block], index: int, front: FrontMatter, *, infer_notes: bool) -> int:
    """How many blocks from ``index`` are front matter (0: the story starts here)."""
    block = blocks[index]
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    labelled = fm.parse_labelled(block.lines)
    if labelled:
        consumed = 1
        field_name, value = labelled[-1]
        if not value and following is not None and following.kind == "para" and not fm.parse_labelled(following.lines):
            labelled[-1] = (field_name, _block_text(following))  # "Summary:" then the summary below
            consumed = 2
        for field_name, value in labelled:
            fm.apply_field(front, field_name, value)
        return consumed
    author = fm.byline(block.lines[0]) if len(block.lines) == 1 else None
    if author:
        front.author = front.author or author
        return 1
    if index == 0 and not front.title and _looks_like_title(block, following):
        front.title = block.lines[0].strip()
        if len(block.lines) == 2:
            front.author = fm.byline(block.lines[1]) or front.author
        return 1
    if infer_notes and not front.disclaimer and fm.is_disclaimer_like(block.text):
        front.disclaimer = _block_text(block)
        return 1
    if infer_notes and fm.is_note_like(block.text):
        front.notes.append(_block_text(block))
        return 1
    return 0


def _looks_like_title(block: Block, following: Block | None) -> bool:
    """A short first line followed by a by-line or labelled front matter."""
    first = block.lines[0].strip()
    if len(first) > 80 or first[-1:] in ".,;:\"”" or block.kind != "para":
        return False
    if len(block.lines) == 2:
        return fm.byline(block.lines[1]) is not None
    if len(block.lines) != 1 or following is None or following.kind != "para":
        return False
    return fm.byline(following.lines[0]) is not None or fm.parse_labelled(following.lines) is not None


def _make_chapter(title: str, blocks: list[Block], front: FrontMatter, *, is_last: bool, infer_notes: bool) -> Chapter:
    """A chapter from its blocks: opening notes, story paragraphs, closing notes.

    Without ``infer_notes`` (AO3 layout, or a second try) only notes the
    source marked explicitly are taken out of the story.
    """
    chapter = Chapter(number=0, title=title)
    begin = _opening_notes(blocks, chapter, front, labels=infer_notes)
    end = max(begin, _closing_notes_start(blocks)) if infer_notes else len(blocks)
    for block in blocks[begin:]:
        if block.kind == "field":
            _apply_chapter_field(chapter, front, block, is_last=is_last)
    closing = [block for block in blocks[end:] if block.kind == "para"]
    notes_end = "\n\n".join(_note_text(block) for block in closing)
    if notes_end:
        if is_last:
            front.end_notes.append(notes_end)
        else:
            chapter.notes_end = _join_note(chapter.notes_end, notes_end)
    chapter.paragraphs = _paragraphs(blocks[begin:end])
    chapter.word_count = count_words("\n".join(paragraph.text for paragraph in chapter.paragraphs))
    return chapter


def _opening_notes(blocks: list[Block], chapter: Chapter, front: FrontMatter, *, labels: bool) -> int:
    """Consume notes/summary at a chapter's start; return the story's first block.

    Field blocks are always notes; labelled paragraphs ("A/N: …") only with ``labels``.
    """
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "break":
            index += 1
            continue
        if block.kind == "field":
            _apply_chapter_field(chapter, front, block, is_last=False)
            index += 1
            continue
        labelled = fm.parse_labelled(block.lines) if labels and block.kind == "para" else None
        if not labelled:
            return index
        for field_name, value in labelled:
            if field_name == "summary":
                chapter.summary = _join_note(chapter.summary, value)
            elif field_name == "disclaimer" and not front.disclaimer:
                front.disclaimer = value
            elif field_name == "disclaimer" and value == front.disclaimer:
                pass  # the same disclaimer repeated on every chapter
            else:
                chapter.notes_begin = _join_note(chapter.notes_begin, _labelled_text(block, field_name, value))
        index += 1
    return index


def _labelled_text(block: Block, field_name: str, value: str) -> str:
    """Notes keep their words without the "A/N:" label; other fields keep the whole line."""
    return value if field_name in fm.NOTE_FIELDS else block.text.strip()


def _closing_notes_start(blocks: list[Block]) -> int:
    """Index where a chapter's closing author's notes begin (len(blocks) if none).

    A labelled note ("A/N:") among the last few blocks starts the notes;
    failing that, trailing paragraphs addressed to readers ("Please review!").
    """
    tail_start = max(0, len(blocks) - _ENDING_NOTE_BLOCKS)
    for index in range(tail_start, len(blocks)):
        block = blocks[index]
        if block.kind in ("para", "heading") and _is_labelled_note(block) and any(
            other.kind == "para" for other in blocks[:index]
        ):
            return index
    end = len(blocks)
    while end > 0 and blocks[end - 1].kind in ("para", "break"):
        block = blocks[end - 1]
        if block.kind == "para" and not fm.is_end_note_like(block.text):
            break
        end -= 1
    while end < len(blocks) and blocks[end].kind == "break":
        end += 1
    return end if any(block.kind == "para" for block in blocks[:end]) else len(blocks)


def _is_labelled_note(block: Block) -> bool:
    """A paragraph starting "A/N:" or a "Notes" heading."""
    if block.kind == "heading":
        return _heading_label(block) in fm.NOTE_FIELDS
    labelled = fm.match_label(block.lines[0])
    return labelled is not None and labelled[0] in fm.NOTE_FIELDS


def _apply_chapter_field(chapter: Chapter, front: FrontMatter, block: Block, *, is_last: bool) -> None:
    value = block.values[0] if block.values else _block_text(block)
    if block.target == "chapter_summary":
        chapter.summary = _join_note(chapter.summary, value)
    elif block.target == "chapter_notes":
        chapter.notes_begin = _join_note(chapter.notes_begin, value)
    elif block.target == "chapter_end_notes":
        chapter.notes_end = _join_note(chapter.notes_end, value)
    elif block.target == "end_notes" or is_last and block.target in fm.NOTE_FIELDS:
        front.end_notes.append(value)
    else:
        fm.apply_field(front, block.target, block.values)


def _join_note(existing: str, addition: str) -> str:
    return f"{existing}\n\n{addition}" if existing and addition else existing or addition


def _note_text(block: Block) -> str:
    """A closing note's words, without an "A/N:" label when it has one."""
    labelled = fm.parse_labelled(block.lines)
    if labelled and all(field_name in fm.NOTE_FIELDS for field_name, _ in labelled):
        return "\n".join(value for _, value in labelled if value)
    return _block_text(block)


def _block_text(block: Block) -> str:
    """A block's text as one paragraph (plain-text lines joined like prose)."""
    if block.plain:
        return "\n".join(plain_paragraphs(block.lines))
    return " ".join(line.strip() for line in block.lines if line.strip())


def _paragraphs(blocks: list[Block]) -> list[Paragraph]:
    """Story paragraphs of ``blocks``; scene breaks mark the paragraph after them."""
    paragraphs: list[Paragraph] = []
    pending_break = False
    for block in blocks:
        if block.kind == "break":
            pending_break = bool(paragraphs)
            continue
        if block.kind == "field":
            continue
        if block.plain:
            for text in plain_paragraphs(block.lines):
                paragraphs.append(Paragraph(text, html.escape(text, quote=False), pending_break))
                pending_break = False
            continue
        joiner = "\n" if "<br" in block.html else " "
        text = joiner.join(line.strip() for line in block.lines if line.strip())
        if text:
            markup = block.html or html.escape(text, quote=False)
            paragraphs.append(Paragraph(text, markup, pending_break))
            pending_break = False
    return paragraphs
