"""Small builders for test data, shared by every app's tests.

``create_tag`` and ``create_work`` take names where a test would rather not
build objects: a tag name that does not exist yet becomes an unwrangled
freeform tag, a creator name becomes a pseud.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.utils import timezone

from fanarchive.people.models import Pseud
from fanarchive.sanitize import clean_html
from fanarchive.tags.models import Tag, TagType, note_wrangling_changed, tag_key
from fanarchive.works.models import Chapter, Series, SeriesPart, Work, WorkTag


def create_tag(
    name: str,
    type: str = TagType.FREEFORM,
    canonical: bool = True,
    merger: Tag | None = None,
    parents: Iterable[Tag] = (),
) -> Tag:
    """A tag, wrangled with the model's own helpers.

    An existing tag of that name is reused (its type kept), and made canonical
    if asked to be, so tests can name fixed tags like "Explicit" freely.
    """
    tag, created = Tag.objects.get_or_create(
        key=tag_key(name), defaults={"name": name, "type": type, "canonical": canonical and merger is None}
    )
    if not created and canonical and merger is None and not tag.canonical:
        tag.canonical, tag.merger = True, None
        tag.save()
        note_wrangling_changed()
    if merger is not None:
        tag.make_synonym_of(merger)
    for parent in parents:
        tag.add_parent(parent)
    return tag


def as_tag(tag: Tag | str) -> Tag:
    """A Tag object, or the existing tag with that name, or a new unwrangled freeform tag."""
    if isinstance(tag, Tag):
        return tag
    return Tag.objects.named([tag]).first() or create_tag(tag, canonical=False)


def as_pseud(pseud: Pseud | str) -> Pseud:
    return pseud if isinstance(pseud, Pseud) else Pseud.objects.get_or_create(name=pseud)[0]


def create_work(
    title: str = "Untitled",
    tags: Iterable[Tag | str] = (),
    creators: Iterable[Pseud | str] = ("tester",),
    chapters: Sequence[str] = ("<p>Once upon a time.</p>",),
    updated_at: datetime.datetime | None = None,
    **fields,
) -> Work:
    """A posted work with the given tags, creators and chapter bodies (sanitized like real input).

    Other keyword arguments set Work fields (``complete``, ``restricted``, ``kudos_count`` …).
    """
    now = timezone.now()
    work = Work.objects.create(title=title, updated_at=updated_at or now, **fields)
    for position, body in enumerate(chapters, start=1):
        Chapter.objects.create(
            work=work, position=position, body=clean_html(body), word_count=len(body.split())
        )
    work.refresh_totals()
    if "word_count" in fields:
        work.word_count = fields["word_count"]
    work.save()
    WorkTag.objects.bulk_create([WorkTag(work=work, tag=as_tag(tag)) for tag in tags])
    work.creators.set([as_pseud(pseud) for pseud in creators])
    return work


def create_series(title: str, works: Sequence[Work], **fields) -> Series:
    """A series holding ``works`` in the given order."""
    series = Series.objects.create(title=title, **fields)
    for position, work in enumerate(works, start=1):
        SeriesPart.objects.create(series=series, work=work, position=position)
    return series


def write_work_file(folder, name: str, content: str | bytes):
    """Write ``content`` (text is UTF-8 encoded) to ``folder/name`` and return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path
