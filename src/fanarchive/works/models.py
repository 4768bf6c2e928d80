"""Works, their chapters, series, and the stored reading of each work.

Sized for an AO3-class archive (~15M works): every column a listing sorts or
filters on has an index, counters live on the row (no COUNT(*) on page
views), and tags hang off works through one narrow (work, tag) table indexed
both ways.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.urls import reverse
from django.utils import timezone

from fanarchive.people.models import Pseud
from fanarchive.tags.models import Tag, TagType


@lru_cache(maxsize=65536)
def _url(view: str, name: str) -> str:
    return reverse(view, args=[name])


@dataclass(frozen=True, slots=True)
class TagLink:
    """A tag as a blurb shows it (name, link, type), read without loading the Tag row."""

    pk: int
    name: str
    type: str
    key: str

    def get_absolute_url(self) -> str:
        return _url("tags:tag", self.name)


@dataclass(frozen=True, slots=True)
class CreatorLink:
    """A pseud as a byline shows it, read without loading the Pseud row."""

    pk: int
    name: str

    def get_absolute_url(self) -> str:
        return _url("people:pseud", self.name)


_LEADING_ARTICLES = {"the", "a", "an"}


def sortable_title(title: str) -> str:
    """The form of ``title`` that listings sort by: "The Long Way Home" → "longwayhome".

    Case, accents, punctuation and spaces are dropped and a leading article
    goes, so "the", "The" and "'The" titles do not bunch up at the top.
    Only lower-case ASCII letters, digits and other scripts' letters remain,
    compared by code point as Python, SQLite and PostgreSQL (the column is
    ``COLLATE "C"`` there) all do, so the database and the filter index
    agree on the order.
    """
    folded = unicodedata.normalize("NFKD", title).casefold()
    words = "".join(c if c.isalnum() or c.isspace() else "" for c in folded).split()
    if len(words) > 1 and words[0] in _LEADING_ARTICLES:
        words = words[1:]
    return "".join(words)[:255]


class WorkQuerySet(models.QuerySet):
    def visible_to(self, user) -> WorkQuerySet:
        """Works ``user`` may see: posted ones; restricted ones only when signed in."""
        works = self.filter(posted=True)
        if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
            works = works.filter(restricted=False)
        return works


class Work(models.Model):
    title = models.CharField(max_length=255)
    sort_title = models.CharField(
        max_length=255, blank=True, editable=False, help_text="sortable_title(title), kept by save().",
    )  # fmt: skip
    summary = models.TextField(blank=True, help_text="Sanitized HTML.")
    notes = models.TextField(blank=True, help_text="Beginning notes, sanitized HTML.")
    end_notes = models.TextField(blank=True, help_text="End notes, sanitized HTML.")
    disclaimer = models.TextField(blank=True, help_text="Sanitized HTML.")
    language = models.CharField(max_length=16, default="en", db_index=True)
    word_count = models.PositiveIntegerField(default=0)
    chapter_count = models.PositiveSmallIntegerField(default=0, help_text="Chapters posted.")
    expected_chapters = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty when unknown.")
    complete = models.BooleanField(default=False)
    posted = models.BooleanField(default=True, help_text="Drafts are visible only to their creators.")
    restricted = models.BooleanField(default=False, help_text="Visible to signed-in users only.")
    published_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    hits = models.PositiveIntegerField(default=0)
    kudos_count = models.PositiveIntegerField(default=0)
    bookmarks_count = models.PositiveIntegerField(default=0)
    comments_count = models.PositiveIntegerField(default=0)

    creators = models.ManyToManyField(Pseud, related_name="works", blank=True)
    tags = models.ManyToManyField(Tag, related_name="works", through="WorkTag", blank=True)

    import_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False,
        help_text="Identity of the file a work was imported from, so re-importing updates it.",
    )  # fmt: skip

    objects = WorkQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="work_updated_idx"),
            models.Index(fields=["-published_at", "-id"], name="work_published_idx"),
            models.Index(fields=["-kudos_count", "-id"], name="work_kudos_idx"),
            models.Index(fields=["-hits", "-id"], name="work_hits_idx"),
            models.Index(fields=["-bookmarks_count", "-id"], name="work_bookmarks_idx"),
            models.Index(fields=["-comments_count", "-id"], name="work_comments_idx"),
            models.Index(fields=["-word_count", "-id"], name="work_words_idx"),
            models.Index(fields=["sort_title", "id"], name="work_sort_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.sort_title = sortable_title(self.title)
        if kwargs.get("update_fields") is not None and "title" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_title"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("works:work", args=[self.pk])

    @property
    def chapters_label(self) -> str:
        """AO3's "posted/expected" chapter label ("3/?" while unknown)."""
        return f"{self.chapter_count}/{self.expected_chapters or '?'}"

    def tags_of(self, tag_type: str) -> list[Tag | TagLink]:
        """This work's tags of one type, in name order (the attached ``tag_links`` when loaded for a blurb)."""
        tags = self.__dict__.get("tag_links")
        if tags is None:
            tags = self.tags.all()
        return sorted((t for t in tags if t.type == tag_type), key=lambda t: t.key)

    @property
    def creator_list(self) -> list[Pseud | CreatorLink]:
        """The work's pseuds by name (the attached ``creator_links`` when loaded for a blurb)."""
        creators = self.__dict__.get("creator_links")
        return creators if creators is not None else list(self.creators.order_by("name"))

    @property
    def ratings(self) -> list[Tag]:
        return self.tags_of(TagType.RATING)

    @property
    def warnings(self) -> list[Tag]:
        return self.tags_of(TagType.WARNING)

    @property
    def categories(self) -> list[Tag]:
        return self.tags_of(TagType.CATEGORY)

    @property
    def fandoms(self) -> list[Tag]:
        return self.tags_of(TagType.FANDOM)

    @property
    def relationships(self) -> list[Tag]:
        return self.tags_of(TagType.RELATIONSHIP)

    @property
    def characters(self) -> list[Tag]:
        return self.tags_of(TagType.CHARACTER)

    @property
    def freeforms(self) -> list[Tag]:
        return self.tags_of(TagType.FREEFORM)

    def refresh_totals(self) -> None:
        """Recompute word and chapter counts from the posted chapters."""
        chapters = self.chapters.filter(posted=True)
        self.chapter_count = chapters.count()
        self.word_count = chapters.aggregate(total=models.Sum("word_count"))["total"] or 0


class WorkTag(models.Model):
    """A tag on a work: the narrow table every filter reads."""

    # No single-column indexes: (work, tag) and (tag, work) below serve both
    # directions, and at ~300M rows each extra index costs gigabytes and slows bulk loads.
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="work_tags", db_index=False)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="work_tags", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="worktag_unique")]
        indexes = [models.Index(fields=["tag", "work"], name="worktag_tag_work_idx")]


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    body = models.TextField(help_text="Sanitized HTML.")
    word_count = models.PositiveIntegerField(default=0)
    posted = models.BooleanField(default=True)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["work", "position"]
        constraints = [models.UniqueConstraint(fields=["work", "position"], name="chapter_position_unique")]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        """"Chapter 2: Title" or just "Chapter 2"."""
        return f"Chapter {self.position}: {self.title}" if self.title else f"Chapter {self.position}"

    def get_absolute_url(self) -> str:
        return reverse("works:chapter", args=[self.work_id, self.position])


class Series(models.Model):
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    complete = models.BooleanField(default=False)
    creators = models.ManyToManyField(Pseud, related_name="series", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:series", args=[self.pk])


class SeriesPart(models.Model):
    """A work's place in a series."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="parts")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="series_parts")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["series", "position"]
        constraints = [
            models.UniqueConstraint(fields=["series", "position"], name="seriespart_position_unique"),
            models.UniqueConstraint(fields=["series", "work"], name="seriespart_work_unique"),
        ]


class WorkReading(models.Model):
    """What the reader found in a work, kept so pages and filters can use it.

    ``result`` is :meth:`fanarchive.reading.Reading.to_dict`; the placement is
    also stored as columns (timeline indexes) so "set during" filters are
    plain indexed range queries.
    """

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="reading")
    result = models.JSONField()
    read_at = models.DateTimeField(default=timezone.now)
    canon_fandom = models.CharField(max_length=150, blank=True)
    after_index = models.IntegerField(null=True, blank=True, help_text="Timeline index of the last canon entry that has happened.")
    before_index = models.IntegerField(null=True, blank=True, help_text="Timeline index of the first canon entry that has not.")

    class Meta:
        indexes = [models.Index(fields=["canon_fandom", "after_index", "before_index"], name="reading_placement_idx")]
