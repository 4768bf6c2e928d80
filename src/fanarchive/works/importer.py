"""Import fan work files (.txt, .md, .html) into the archive.

Each file goes through the reader (:func:`fanarchive.reading.read`), and the
:class:`~fanarchive.reading.model.Reading` becomes a :class:`Work` with its
chapters, creator, declared tags and stored reading. The reader's *suggested*
tags are kept in the stored reading and applied only on request.

A work's identity is the file it came from (``import_key``: SHA-256 of the
resolved path), so importing a file again updates its work in place. Every
work is written in one transaction: a failure never leaves half a work, and a
failed re-import leaves the stored version as it was.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import global_settings, settings
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from fanarchive.people.models import Pseud
from fanarchive.reading.model import Chapter as ReadChapter
from fanarchive.reading.model import Reading, ReaderError
from fanarchive.sanitize import clean_html
from fanarchive.tags.models import CATEGORIES, RATINGS, WARNINGS, Tag, TagType, tag_key
from fanarchive.works.models import Chapter, Work, WorkReading, WorkTag

log = logging.getLogger(__name__)

SUPPORTED_EXTENSIONS = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
ANONYMOUS = "Anonymous"
NOT_RATED = "Not Rated"
NO_WARNINGS_CHOSEN = "Creator Chose Not To Use Archive Warnings"

# Ratings as other archives and authors write them, mapped to AO3's.
_RATING_ALIASES = {
    **{tag_key(name): name for name in RATINGS},
    **dict.fromkeys(["g", "k", "k+", "pg", "general", "gen", "all ages"], "General Audiences"),
    **dict.fromkeys(["t", "teen", "teen and up", "pg-13", "pg13", "frt", "frc"], "Teen And Up Audiences"),
    **dict.fromkeys(["m", "r", "mature", "frm", "ma"], "Mature"),
    **dict.fromkeys(["e", "nc-17", "nc17", "x", "xxx", "explicit", "frao"], "Explicit"),
}
_WARNING_ALIASES = {
    **{tag_key(name): name for name in WARNINGS},
    **dict.fromkeys(
        ["none", "no warnings", "no archive warnings", "n/a", "no warnings apply"], "No Archive Warnings Apply"
    ),
    **dict.fromkeys(["choose not to warn", "chose not to warn", "choose not to use archive warnings"], NO_WARNINGS_CHOSEN),
    **dict.fromkeys(["mcd", "character death", "major character death"], "Major Character Death"),
    **dict.fromkeys(["violence", "graphic violence"], "Graphic Depictions Of Violence"),
    **dict.fromkeys(["non-con", "noncon", "rape"], "Rape/Non-Con"),
}  # fmt: skip
_CATEGORY_ALIASES = {
    **{tag_key(name): name for name in CATEGORIES},
    "het": "F/M",
    "slash": "M/M",
    "femslash": "F/F",
    "general": "Gen",
}
_FIXED_ALIASES = {
    TagType.RATING: _RATING_ALIASES,
    TagType.WARNING: _WARNING_ALIASES,
    TagType.CATEGORY: _CATEGORY_ALIASES,
}
_PLACEHOLDERS = {TagType.RATING: NOT_RATED, TagType.WARNING: NO_WARNINGS_CHOSEN}
_SUGGESTIBLE = frozenset(TagType.values) - {TagType.MEDIA}
# Language names as authors write them in their own language.
_NATIVE_LANGUAGE_NAMES = {
    "español": "es", "français": "fr", "deutsch": "de", "italiano": "it", "português": "pt",
    "русский": "ru", "中文": "zh-hans", "日本語": "ja", "한국어": "ko", "polski": "pl", "nederlands": "nl",
}  # fmt: skip
_TAG_NAME_MAX = Tag._meta.get_field("name").max_length


class WorkImportError(ValueError):
    """A file cannot be imported; the message says why, for people."""


@dataclass
class ImportFailure:
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class ImportResult:
    """What :func:`import_path` did: ids of new and updated works, and failures."""

    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    failures: list[ImportFailure] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.updated)

    def summary(self) -> str:
        """One line: "Imported 12 works (3 updated), 2 files failed"."""
        works = "work" if self.imported == 1 else "works"
        files = "file" if len(self.failures) == 1 else "files"
        return (
            f"Imported {self.imported} {works} ({len(self.updated)} updated), "
            f"{len(self.failures)} {files} failed"
        )


def work_files(path: Path) -> list[Path]:
    """The files to import under ``path``: itself, or a folder's files recursively.

    Sorted, hidden files and folders skipped. A folder yields only supported
    extensions; a single file is returned whatever its name, so an unsupported
    one is reported rather than silently ignored.
    """
    path = Path(path)
    if not path.is_dir():
        return [path]
    found = []
    for child in sorted(path.rglob("*")):
        relative = child.relative_to(path)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if child.is_file() and child.suffix.lower() in SUPPORTED_EXTENSIONS:
            found.append(child)
    return found


def import_path(
    path: str | Path,
    *,
    apply_suggestions: float | None = None,
    progress: Callable[[list[Path]], Iterable[Path]] | None = None,
) -> ImportResult:
    """Import a file or every work file in a folder; bad files are reported, not raised.

    ``progress`` may wrap the list of files (e.g. in a tqdm bar).
    """
    result = ImportResult()
    files = work_files(Path(path))
    for file in progress(files) if progress else files:
        try:
            existed = Work.objects.filter(import_key=import_key(file)).exists()
            work = import_file(file, apply_suggestions=apply_suggestions)
        except WorkImportError as error:
            result.failures.append(ImportFailure(file, str(error)))
        except Exception as error:  # one broken file must not stop a bulk import
            log.exception("importing %s failed", file)
            result.failures.append(ImportFailure(file, f"unexpected error: {type(error).__name__}: {error}"))
        else:
            (result.updated if existed else result.created).append(work.pk)
    return result


def import_key(path: Path) -> str:
    """The identity of the file a work comes from: SHA-256 of its absolute path."""
    return hashlib.sha256(str(Path(path).resolve()).encode("utf-8", "surrogateescape")).hexdigest()


def import_file(path: str | Path, *, apply_suggestions: float | None = None) -> Work:
    """Import one file as a work (or update the work imported from it before).

    ``apply_suggestions``: also tag the work with the reader's suggestions
    whose confidence is at least this value. Raises :class:`WorkImportError`.
    """
    path = Path(path)
    reading = _read_file(path)
    with transaction.atomic():
        return _store(reading, path, apply_suggestions)


def _read_file(path: Path) -> Reading:
    from fanarchive.reading import read

    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise WorkImportError(f"unsupported file type “{path.suffix or '(none)'}” (supported: {supported})")
    limit = settings.FANARCHIVE_MAX_WORK_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise WorkImportError(f"file is {size:,} bytes, over the {limit:,}-byte limit")
        data = path.read_bytes()
    except OSError as error:
        raise WorkImportError(f"cannot read file: {error.strerror or error}") from error
    try:
        return read(data, filename=path.name, depth="full", max_bytes=limit)
    except ReaderError as error:
        raise WorkImportError(str(error)) from error


# --- storing ----------------------------------------------------------------


def _store(reading: Reading, path: Path, apply_suggestions: float | None) -> Work:
    """Write the work, its chapters, creator, tags and reading (inside the caller's transaction)."""
    if not reading.chapters:
        raise WorkImportError("no story text found")
    key = import_key(path)
    work = Work.objects.select_for_update().filter(import_key=key).first() or Work(import_key=key)
    old_tag_ids = set(work.work_tags.values_list("tag_id", flat=True)) if work.pk else set()
    now = timezone.now()
    chapters = [_chapter_row(position, chapter, now) for position, chapter in enumerate(reading.chapters, 1)]
    _fill_work(work, reading, path, chapters, now)
    work.save()

    work.chapters.all().delete()
    for chapter in chapters:
        chapter.work = work
    Chapter.objects.bulk_create(chapters)
    work.creators.set([_pseud(reading.front.author)])

    names = declared_tags(reading)
    if apply_suggestions is not None:
        names = _with_suggestions(names, reading, apply_suggestions)
    tags = resolve_tags(names)
    work.work_tags.all().delete()
    WorkTag.objects.bulk_create([WorkTag(work=work, tag=tag) for tag in _unique(tags)])
    refresh_works_count(old_tag_ids | {tag.pk for tag in tags})

    placement = reading.placement
    WorkReading.objects.update_or_create(
        work=work,
        defaults={
            "result": reading.to_dict(),
            "read_at": now,
            "canon_fandom": placement.fandom[:150] if placement else "",
            "after_index": placement.after.index if placement and placement.after else None,
            "before_index": placement.before.index if placement and placement.before else None,
        },
    )
    return work


def _fill_work(work: Work, reading: Reading, path: Path, chapters: list[Chapter], now) -> None:
    """Set the work's own fields from the reading (creation date kept on re-import)."""
    front = reading.front
    work.title = (front.title.strip() or title_from_filename(path))[: Work._meta.get_field("title").max_length]
    work.disclaimer = text_to_html(front.disclaimer)
    work.summary = text_to_html(front.summary)
    work.notes = notes_to_html(front.notes)
    work.end_notes = notes_to_html(front.end_notes)
    work.language = language_code(front.language)
    work.chapter_count = len(chapters)
    work.word_count = sum(chapter.word_count for chapter in chapters)
    work.complete = len(chapters) == 1
    work.expected_chapters = 1 if work.complete else None
    work.updated_at = now


def _chapter_row(position: int, chapter: ReadChapter, now) -> Chapter:
    """An unsaved Chapter (its work is set once the work is saved)."""
    return Chapter(
        position=position,
        title=chapter.title.strip()[: Chapter._meta.get_field("title").max_length],
        summary=text_to_html(chapter.summary),
        notes=text_to_html(chapter.notes_begin),
        end_notes=text_to_html(chapter.notes_end),
        body=chapter_body_html(chapter),
        word_count=chapter.word_count or sum(len(p.text.split()) for p in chapter.paragraphs),
        published_at=now,
    )


def chapter_body_html(chapter: ReadChapter) -> str:
    """A chapter's paragraphs as sanitized HTML, scene breaks as ``<hr>``."""
    parts = []
    for paragraph in chapter.paragraphs:
        if paragraph.scene_break_before and parts:
            parts.append('<hr class="scene-break">')
        parts.append(f"<p>{paragraph.html}</p>")
    return clean_html("\n".join(parts))


def text_to_html(text: str) -> str:
    """Plain text as sanitized HTML: blank lines split paragraphs, newlines become ``<br>``."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return clean_html("\n".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs))


def notes_to_html(notes: list[str]) -> str:
    """Several author's notes as one sanitized HTML field."""
    return "\n".join(filter(None, (text_to_html(note) for note in notes)))


def title_from_filename(path: Path) -> str:
    """A readable title from a file name: "01_the_long-night" → "The Long Night"."""
    words = re.sub(r"[_\-.]+", " ", path.stem).split()
    if len(words) > 1 and words[0].isdigit():
        words = words[1:]  # an ordering prefix: "01_title"
    # Machine names ("e921cebd9ae62899", "4471023") say nothing to a reader.
    words = [word for word in words if not _MACHINE_NAME_RE.fullmatch(word)]
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Untitled"


_MACHINE_NAME_RE = re.compile(r"(?=[a-f]*[0-9])[0-9a-f]{8,}|[0-9]{5,}", re.IGNORECASE)


def language_code(language: str) -> str:
    """A language code for a declared language ("English", "fr", "Español" → "en", "fr", "es").

    Unknown or missing languages are taken as English, the archive's default.
    """
    wanted = language.strip().casefold()
    for code, name in global_settings.LANGUAGES:
        if wanted in (code, name.casefold()):
            return code
    return _NATIVE_LANGUAGE_NAMES.get(wanted, "en")


def _pseud(name: str) -> Pseud:
    name = " ".join((name or "").split())[: Pseud._meta.get_field("name").max_length] or ANONYMOUS
    return Pseud.objects.filter(name__iexact=name).first() or Pseud.objects.create(name=name)


# --- tags ---------------------------------------------------------------------


TagName = tuple[str, str]  # (tag type, name as written)


def declared_tags(reading: Reading) -> list[TagName]:
    """The tags the author declared, as (type, name) pairs in archive terms.

    Rating, warnings and categories are mapped to the fixed tags; a work
    always gets a rating ("Not Rated" when none is recognised) and a warning
    ("Creator Chose Not To Use Archive Warnings" when none is). Warnings and
    categories the archive does not know become additional tags.
    """
    front = reading.front
    tags = [(TagType.RATING, _RATING_ALIASES.get(tag_key(front.rating), NOT_RATED))]
    extra = []
    for tag_type, names in ((TagType.WARNING, front.warnings), (TagType.CATEGORY, front.categories)):
        for name in names:
            if fixed := _FIXED_ALIASES[tag_type].get(tag_key(name)):
                tags.append((tag_type, fixed))
            elif name.strip():
                extra.append(name)
    if not any(tag_type == TagType.WARNING for tag_type, _ in tags):
        tags.append((TagType.WARNING, NO_WARNINGS_CHOSEN))
    for tag_type, names in (
        (TagType.FANDOM, front.fandoms),
        (TagType.RELATIONSHIP, front.relationships),
        (TagType.CHARACTER, front.characters),
        (TagType.FREEFORM, [*front.freeforms, *extra]),
    ):
        tags.extend((tag_type, name) for name in names if name.strip())
    return tags


def _with_suggestions(tags: list[TagName], reading: Reading, threshold: float) -> list[TagName]:
    """``tags`` plus the reader's undeclared suggestions at or above ``threshold``.

    A suggested rating or warning replaces the "Not Rated" / "Creator Chose
    Not To Use Archive Warnings" placeholder (a rating the author chose
    stands); suggested ratings, warnings and categories must be AO3's.
    """
    chosen = list(tags)
    for suggestion in reading.suggestions:
        if suggestion.declared or suggestion.confidence < threshold or suggestion.type not in _SUGGESTIBLE:
            continue
        aliases = _FIXED_ALIASES.get(suggestion.type)
        name = aliases.get(tag_key(suggestion.name)) if aliases else suggestion.name.strip()
        if not name:
            continue
        if suggestion.type == TagType.RATING and any(t == TagType.RATING and n != NOT_RATED for t, n in chosen):
            continue
        if placeholder := _PLACEHOLDERS.get(suggestion.type):
            chosen = [pair for pair in chosen if pair != (suggestion.type, placeholder)]
        chosen.append((suggestion.type, name))
    return chosen


def resolve_tags(names: Iterable[TagName]) -> list[Tag]:
    """The archive's tags for (type, name) pairs, unwrangled ones created when new.

    Names are matched ignoring case and spacing. Tag names are unique across
    types, so when a name is taken by a tag of another type, the tag is
    "Name (Type)" instead ("Spike (Character)" beside freeform "Spike").
    Existing tags are fetched in one query.
    """
    wanted = [(tag_type, " ".join(name.split())[:_TAG_NAME_MAX]) for tag_type, name in names]
    candidates = {(tag_type, name): [name, _typed_name(tag_type, name)] for tag_type, name in wanted}
    keys = {tag_key(c) for pair in candidates.values() for c in pair}
    known = {tag.key: tag for tag in Tag.objects.filter(key__in=keys)}
    tags = []
    for tag_type, name in wanted:
        for candidate in candidates[(tag_type, name)]:
            tag = known.get(tag_key(candidate))
            if tag is None:
                if tag_type in _FIXED_ALIASES:
                    raise WorkImportError(f"the archive has no {tag_type} tag “{name}” (were migrations run?)")
                tag = known[tag_key(candidate)] = Tag.objects.create(name=candidate, type=tag_type)
            if tag.type == tag_type:
                tags.append(tag)
                break
        else:
            raise WorkImportError(f"cannot create {tag_type} tag “{name}”: its names are taken by other tag types")
    return tags


def _typed_name(tag_type: str, name: str) -> str:
    return f"{name[: _TAG_NAME_MAX - 20]} ({TagType(tag_type).label})"


def _unique(tags: Iterable[Tag]) -> Iterator[Tag]:
    seen = set()
    for tag in tags:
        if tag.pk not in seen:
            seen.add(tag.pk)
            yield tag


def refresh_works_count(tag_ids: Iterable[int]) -> None:
    """Recount ``Tag.works_count`` for ``tag_ids`` from the work-tag table."""
    ids = list(set(tag_ids))
    if not ids:
        return
    used = WorkTag.objects.filter(tag_id=OuterRef("pk")).values("tag_id").annotate(n=Count("*")).values("n")
    Tag.objects.filter(pk__in=ids).update(works_count=Coalesce(Subquery(used, output_field=IntegerField()), 0))
