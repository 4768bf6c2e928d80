"""Cut plain text, Markdown and HTML into a common list of :class:`Block`.

Each format has its own idea of a paragraph, a heading and a scene break;
after this module they all look alike, so :mod:`.structure` can find front
matter and chapters once for every format. AO3's own HTML download carries
its metadata in known places, which become ``field`` blocks directly.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning
from markdown_it import MarkdownIt

from .frontmatter import split_items
from .model import ReaderError

BlockKind = Literal["para", "heading", "break", "field"]


@dataclass(slots=True)
class Block:
    """A unit of the source: a paragraph, heading, scene break or known field.

    ``lines`` are plain-text lines (labels are read line by line). ``html``
    is inline HTML for the whole block when the source had markup, else ""
    (plain text is escaped later). ``plain`` marks plain-text blocks whose
    lines may be several paragraphs. ``target``/``values`` name a front-matter
    or chapter field that the source stated explicitly (AO3 layout).
    """

    kind: BlockKind
    lines: list[str]
    html: str = ""
    level: int = 0
    plain: bool = False
    target: str = ""
    values: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The block's text on one line per source line."""
        return "\n".join(self.lines)


# --- scene breaks -------------------------------------------------------------

_BREAK_MAX_CHARS = 60
_BREAK_LETTERS = frozenset("oOxX0")
_NOT_BREAK_SYMBOLS = frozenset(".…?!\"'“”‘’«»,;:()[]")
_BREAK_WORDS = frozenset({"break", "linebreak", "scenebreak", "pagebreak", "scenechange"})


def is_scene_break(line: str) -> bool:
    """True for a line that only separates scenes: ``***``, ``~~~``, ``oOo``, ``-x-``, ``§``."""
    stripped = line.strip()
    if not stripped or len(stripped) > _BREAK_MAX_CHARS:
        return False
    letters = "".join(char for char in stripped if char.isalnum())
    symbols = {char for char in stripped if not char.isalnum() and not char.isspace()}
    if letters.lower() in _BREAK_WORDS:
        return not symbols & {".", "!", "?"}
    if not letters:
        return bool(symbols) and not symbols <= _NOT_BREAK_SYMBOLS
    if not set(letters) <= _BREAK_LETTERS or len(letters) > 7 or symbols & {"'", "’", "!", "?", "."}:
        return False
    return len(letters) >= 3 or bool(symbols)


# --- chapter headings -----------------------------------------------------------

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
)
_NUMBER = rf"(?:\d{{1,4}}|[ivxlcdm]{{1,8}}|(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))?)"
_TITLE_SEP = r"(?:\s*[:.\-–—|]\s*|\s+)"
_CHAPTER_RE = re.compile(
    rf"(?:chapter\s*|chap(?:\.\s*|\s+)|ch(?:\.\s*|\s+)|part\s+|book\s+|section\s+|act\s+)"
    rf"(?P<number>{_NUMBER})\b(?:{_TITLE_SEP}(?P<title>.*))?$"
    rf"|(?P<named>prologue|epilogue|interlude|preface|foreword|afterword|coda)\b(?:{_TITLE_SEP}.*)?$",
    re.IGNORECASE,
)
_NUMBERED_RE = re.compile(r"(?:\d{1,3}|[IVXLC]{1,6})\.(?:\s+(?P<title>\S.{0,60}))?$|\d{1,3}$")
_HEADING_MAX_CHARS = 100
_DECORATION = " \t*_~=#<>[]|-–—"


def chapter_heading(line: str, *, alone: bool) -> str | None:
    """The chapter title if ``line`` is a chapter heading ("" when untitled), else None.

    "Chapter 3: Title" gives "Title"; "Prologue" gives "Prologue". Bare
    numbers ("1.", "IV.") count only when the line stands ``alone``.
    """
    if len(line) > _HEADING_MAX_CHARS:
        return None
    stripped = line.strip(_DECORATION)
    if not stripped:
        return None
    match = _CHAPTER_RE.match(stripped)
    if match is not None:
        if match["named"]:
            return stripped
        return (match["title"] or "").strip(_DECORATION + ":.")
    if alone:
        numbered = _NUMBERED_RE.match(stripped)
        if numbered is not None:
            return (numbered["title"] or "").strip()
    return None


# --- plain text -------------------------------------------------------------------

_PARAGRAPH_PER_LINE_RATIO = 10  # fewer blank lines than 1 per 10 lines: one paragraph a line
_WRAP_SAMPLE_LINES = 200  # lines looked at to tell hard-wrapped text from one paragraph a line


def text_blocks(text: str) -> list[Block]:
    """Blocks of plain text: blank-line separated, or one a line when blank lines are rare.

    Text hard-wrapped without blank lines stays in blocks, to be split at
    indented lines by :func:`plain_paragraphs`.
    """
    lines = text.strip("\n").split("\n")
    blank = sum(1 for line in lines if not line.strip())
    few_blanks = blank * _PARAGRAPH_PER_LINE_RATIO < len(lines) - blank
    per_line = few_blanks and not _looks_wrapped([line for line in lines[:_WRAP_SAMPLE_LINES] if line.strip()])
    blocks: list[Block] = []
    current: list[str] = []
    last = len(lines) - 1
    for index, line in enumerate(lines):
        if len(line) > _HEADING_MAX_CHARS:  # fast path: too long for a heading or a break
            kind = "para"
        elif not line.strip():
            kind = "blank"
        elif is_scene_break(line):
            kind = "break"
        else:
            alone = not current and (index == last or not lines[index + 1].strip())
            kind = "heading" if chapter_heading(line, alone=alone) is not None else "para"
        if kind == "para":
            current.append(line.rstrip())
            if not per_line:
                continue
        if current:
            blocks.append(Block("para", current, plain=True))
            current = []
        if kind in ("break", "heading"):
            blocks.append(Block(kind, [line.strip()]))
    if current:
        blocks.append(Block("para", current, plain=True))
    return blocks


_WRAP_MAX = 100
_SENTENCE_END = tuple(".!?\"”’…)*_-~")


def _looks_wrapped(lines: list[str]) -> bool:
    """True for hard-wrapped prose: short lines, most of them ending mid-sentence."""
    open_ended = sum(1 for line in lines[:-1] if not line.rstrip().endswith(_SENTENCE_END))
    return open_ended * 2 >= len(lines) - 1 and all(len(line) <= _WRAP_MAX for line in lines)


def plain_paragraphs(lines: list[str]) -> list[str]:
    """Paragraph texts in a plain-text block.

    Hard-wrapped prose (no line over 100 characters, most lines ending
    mid-sentence) is joined, starting a new paragraph where a line is
    indented more than the one before; otherwise each line is its own
    paragraph (fanfiction.net copies put one per line).
    """
    if len(lines) == 1:
        return [lines[0].strip()]
    if not _looks_wrapped(lines):
        return [line.strip() for line in lines]
    paragraphs: list[list[str]] = []
    previous_indent = 0
    for line in lines:
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if not paragraphs or indent > previous_indent:
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
        previous_indent = indent
    return [" ".join(parts) for parts in paragraphs]


# --- Markdown ---------------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark", {"html": False})
# Lines fans mean as scene breaks that Markdown reads otherwise: "~~~" opens
# a code fence, a lone "*", "+" or "-" is an empty list item.
_FAN_RULE_RE = re.compile(r"^[ \t]*(?:~{3,}|[*+-])[ \t]*$", re.MULTILINE)
# A bare "3." line is a chapter number, not an empty numbered list.
_BARE_NUMBER_RE = re.compile(r"^([ \t]*\d{1,3})\.[ \t]*$", re.MULTILINE)


def markdown_blocks(text: str) -> list[Block]:
    """Blocks of a Markdown document; emphasis kept as inline HTML, raw HTML escaped."""
    text = _BARE_NUMBER_RE.sub(r"\1\\.", _FAN_RULE_RE.sub("* * *", text))
    tokens = _MARKDOWN.parse(text)
    blocks: list[Block] = []
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "paragraph_open"):
            inline = tokens[index + 1]
            children = inline.children or []
            lines = _markdown_plain(children).split("\n")
            rendered = _MARKDOWN.renderer.renderInline(children, _MARKDOWN.options, {})
            if token.type == "heading_open" and not "".join(lines).strip():
                blocks.append(Block("break", ["#"]))  # a lone "#" is a centred scene break
            elif token.type == "heading_open":
                blocks.append(Block("heading", lines, html=rendered, level=int(token.tag[1])))
            else:
                blocks.append(_para_or_break(lines, rendered))
        elif token.type == "hr":
            blocks.append(Block("break", ["* * *"]))
        elif token.type in ("fence", "code_block"):
            code_lines = token.content.rstrip("\n").split("\n")
            blocks.append(Block("para", code_lines, html=html.escape(token.content.rstrip("\n"), quote=False)))
    return blocks


def _markdown_plain(children: Iterable) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def _para_or_break(lines: list[str], rendered: str) -> Block:
    if len(lines) == 1 and is_scene_break(lines[0]):
        return Block("break", [lines[0].strip()])
    return Block("para", lines, html=rendered)


# --- HTML ---------------------------------------------------------------------------

_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "iframe", "object", "svg"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table",
     "thead", "tbody", "tr", "td", "th", "pre", "header", "footer", "main", "body", "html", "center",
     "figure", "figcaption", "aside", "nav", "address", "details", "summary", "form", "fieldset"}
)
_WHITESPACE_RE = re.compile(r"\s+")
_HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}
# Inline tags kept (without attributes) in Paragraph.html; others keep only their text.
_INLINE_KEEP = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "u": "u", "s": "s",
                "strike": "s", "del": "del", "sup": "sup", "sub": "sub", "small": "small", "code": "code"}


def html_blocks(text: str) -> list[Block]:
    """Blocks of an HTML document (AO3's download layout recognised)."""
    with warnings.catch_warnings():  # bs4 warns when markup looks like a URL or XML; both are fine here
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    try:
        if soup.find("dl", class_="tags") is not None or soup.find(id="preface") is not None:
            return _ao3_blocks(soup)
        return list(_walk(soup))
    except RecursionError:
        raise ReaderError("the HTML is nested too deeply to read") from None


def _walk(element: Tag) -> Iterable[Block]:
    """Block-level content of ``element`` in document order."""
    run: list = []
    for child in element.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            run.append(child)
            continue
        if not isinstance(child, Tag) or child.name in _SKIP_TAGS:
            continue
        if child.name == "hr":
            yield from _flush_inline(run)
            yield Block("break", ["* * *"])
        elif child.name in _HEADING_TAGS:
            yield from _flush_inline(run)
            lines, rendered = _inline(child.children)
            if any(line.strip() for line in lines):
                yield Block("heading", lines, html=rendered, level=_HEADING_TAGS[child.name])
        elif child.name in _BLOCK_TAGS:
            yield from _flush_inline(run)
            yield from _walk(child)
        else:
            run.append(child)
    yield from _flush_inline(run)


def _flush_inline(run: list) -> Iterable[Block]:
    if not run:
        return
    lines, rendered = _inline(run)
    run.clear()
    lines = [line.strip() for line in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if lines:
        yield _para_or_break(lines, rendered.strip())


def _inline(nodes: Iterable) -> tuple[list[str], str]:
    """Plain-text lines (split at ``<br>``) and safe inline HTML of ``nodes``."""
    text_parts: list[str] = []
    html_parts: list[str] = []

    def visit(node) -> None:
        if isinstance(node, Comment):
            return
        if isinstance(node, NavigableString):
            collapsed = _WHITESPACE_RE.sub(" ", str(node))
            text_parts.append(collapsed)
            html_parts.append(html.escape(collapsed, quote=False))
            return
        if not isinstance(node, Tag) or node.name in _SKIP_TAGS:
            return
        if node.name == "br":
            text_parts.append("\n")
            html_parts.append("<br>")
            return
        tag = _INLINE_KEEP.get(node.name)
        if tag:
            html_parts.append(f"<{tag}>")
        for child in node.children:
            visit(child)
        if tag:
            html_parts.append(f"</{tag}>")

    for node in nodes:
        visit(node)
    lines = [" ".join(line.split()) for line in "".join(text_parts).split("\n")]
    return lines, "".join(html_parts)


# AO3 download layout: labelled <dl class="tags"> and "Summary"/"Notes" blocks.
_AO3_TAG_FIELDS = {
    "rating": "rating", "ratings": "rating", "archive warning": "warnings", "archive warnings": "warnings",
    "category": "categories", "categories": "categories", "fandom": "fandoms", "fandoms": "fandoms",
    "relationship": "relationships", "relationships": "relationships", "character": "characters",
    "characters": "characters", "additional tags": "freeforms", "language": "language",
}
_AO3_PREFACE_NOTES = {"summary": "summary", "notes": "notes", "end notes": "end_notes"}
_AO3_CHAPTER_NOTES = {
    "chapter summary": "chapter_summary", "chapter notes": "chapter_notes",
    "chapter end notes": "chapter_end_notes", "summary": "chapter_summary", "notes": "chapter_notes",
}
_AO3_AFTERWORD_NOTES = {"notes": "end_notes", "end notes": "end_notes", "chapter end notes": "end_notes"}


def _ao3_blocks(soup: BeautifulSoup) -> list[Block]:
    blocks: list[Block] = []
    tags = soup.find("dl", class_="tags")
    preface = soup.find(id="preface") or (tags.find_parent("div") if tags else None) or soup
    if tags is not None:
        for term in tags.find_all("dt"):
            field_name = _AO3_TAG_FIELDS.get(_label_text(term))
            value = term.find_next_sibling("dd")
            if field_name and value is not None:
                links = [link.get_text(" ", strip=True) for link in value.find_all("a")]
                # AO3 links each tag; a hand-made file may list them as plain text.
                items = links or split_items(value.get_text(" ", strip=True))
                blocks.append(Block("field", [], target=field_name, values=[item for item in items if item]))
    title = preface.find("h1")
    if title is not None:
        blocks.append(Block("field", [], target="title", values=[title.get_text(" ", strip=True)]))
    author = preface.find(class_="byline")
    if author is not None:
        names = [link.get_text(strip=True) for link in author.find_all("a")]
        byline_text = re.sub(r"^\s*by\s+", "", author.get_text(" ", strip=True), flags=re.IGNORECASE)
        blocks.append(Block("field", [], target="author", values=[", ".join(names) or byline_text]))
    blocks.extend(_ao3_labelled_notes(preface, _AO3_PREFACE_NOTES))

    chapters = soup.find(id="chapters")
    if chapters is not None:
        blocks.extend(_ao3_chapters(chapters))
    afterword = soup.find(id="afterword")
    if afterword is not None:
        blocks.extend(_ao3_labelled_notes(afterword, _AO3_AFTERWORD_NOTES))
    return blocks


def _ao3_chapters(chapters: Tag) -> Iterable[Block]:
    """Story blocks of ``#chapters``: headings, chapter notes, then the text."""
    for child in chapters.children:
        if not isinstance(child, Tag):
            if isinstance(child, NavigableString) and not isinstance(child, Comment) and child.strip():
                yield Block("para", [" ".join(child.split())])
            continue
        classes = child.get("class") or []
        if child.name == "div" and "meta" in classes:
            heading = child.find(class_="heading") or child.find(["h2", "h3"])
            if heading is not None:
                lines, rendered = _inline(heading.children)
                yield Block("heading", lines, html=rendered, level=2)
            yield from _ao3_labelled_notes(child, _AO3_CHAPTER_NOTES)
        elif child.name == "div" and ("chapter" in classes or "userstuff" in classes):
            if child.find("div", class_="meta") is not None:
                yield from _ao3_chapters(child)  # a chapter wrapper around meta + text
            else:
                yield from _walk(child)
        elif child.name == "h2":
            lines, rendered = _inline(child.children)
            yield Block("heading", lines, html=rendered, level=2)
        else:
            yield from _walk(child) if child.name in _BLOCK_TAGS else _flush_inline([child])


def _ao3_labelled_notes(container: Tag, labels: dict[str, str]) -> Iterable[Block]:
    """``<p>Notes</p><blockquote>…</blockquote>`` pairs inside ``container`` as field blocks."""
    for quote in container.find_all("blockquote"):
        label_tag = quote.find_previous_sibling(["p", "h3", "h4", "h2"])
        if label_tag is None:
            continue
        field_name = labels.get(_label_text(label_tag))
        if field_name is None:
            continue
        paragraphs = [block.text for block in _walk(quote) if block.kind == "para"]
        if paragraphs:
            yield Block("field", paragraphs, target=field_name, values=["\n\n".join(paragraphs)])


def _label_text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).lower().rstrip(":").split())
