"""Typed tags and their wrangling.

Every tag has a type (rating, fandom, character …). Wranglers make a tag
*canonical* (the name filters and tag pages use) or a *synonym* of a canonical
tag ("Buffy" → "Buffy Summers"), and give canonical tags *parents* (meta tags
and containers: "Buffyverse" above "Buffy the Vampire Slayer (TV)", a fandom
above its characters, "Alternate Universe" above "Alternate Universe - Canon
Divergence"). Filtering on a tag means: the tag, its synonyms, every tag below
it (transitively) and their synonyms — see :meth:`Tag.filter_scope`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from fanarchive.reading.canon import AO3_MEDIA


class TagType(models.TextChoices):
    RATING = "rating", "Rating"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    MEDIA = "media", "Media"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tags"


#: The fixed tags AO3 ships; the archive creates them in a data migration.
RATINGS = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated"]
WARNINGS = [
    "Creator Chose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "No Archive Warnings Apply",
    "Rape/Non-Con",
    "Underage",
]
CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
MEDIA = [*AO3_MEDIA, "Uncategorized Fandoms"]
FIXED_TAGS = {
    TagType.RATING: RATINGS,
    TagType.WARNING: WARNINGS,
    TagType.CATEGORY: CATEGORIES,
    TagType.MEDIA: MEDIA,
}

#: Bumped on every wrangling change, so cached filter scopes expire at once
#: on every app server sharing the cache.
WRANGLE_VERSION_KEY = "tags:wrangle-version"


def tag_key(name: str) -> str:
    """The case- and space-insensitive identity of a tag name."""
    return " ".join(name.split()).casefold()


def wrangle_version() -> int:
    """The current wrangling generation (see WRANGLE_VERSION_KEY)."""
    return cache.get_or_set(WRANGLE_VERSION_KEY, 1, timeout=None)


def note_wrangling_changed() -> None:
    """Invalidate every cached filter scope."""
    try:
        cache.incr(WRANGLE_VERSION_KEY)
    except ValueError:
        cache.set(WRANGLE_VERSION_KEY, 2, timeout=None)


class TagQuerySet(models.QuerySet):
    def named(self, names: Iterable[str]) -> TagQuerySet:
        """Tags whose names match any of ``names``, ignoring case and spacing."""
        return self.filter(key__in={tag_key(n) for n in names if n.strip()})

    def canonical(self) -> TagQuerySet:
        return self.filter(canonical=True)

    def starting_with(self, prefix: str) -> TagQuerySet:
        """Tags whose name starts with ``prefix`` (autocomplete).

        A range on the indexed ``key`` column rather than LIKE, so every
        database uses the B-tree index whatever its collation.
        """
        start = tag_key(prefix)
        return self.filter(key__gte=start, key__lt=start + "\U0010ffff")


class Tag(models.Model):
    name = models.CharField(max_length=150)
    key = models.CharField(max_length=150, unique=True, editable=False)
    type = models.CharField(max_length=16, choices=TagType.choices, db_index=True)
    canonical = models.BooleanField(default=False)
    merger = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="synonyms",
        help_text="The canonical tag this one is a synonym of.",
    )
    parents = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="children", through="TagParent"
    )
    works_count = models.PositiveIntegerField(default=0, help_text="Cached number of works using the tag.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["type", "canonical", "key"])]
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tags:tag", args=[self.name])

    def save(self, *args, **kwargs) -> None:
        self.name = " ".join(self.name.split())
        self.key = tag_key(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.merger_id:
            if self.merger_id == self.pk:
                raise ValidationError({"merger": "A tag cannot be a synonym of itself."})
            if not self.merger.canonical:
                raise ValidationError({"merger": "A tag can only be a synonym of a canonical tag."})
            if self.canonical:
                raise ValidationError({"canonical": "A synonym cannot itself be canonical."})
            if self.merger.type != self.type:
                raise ValidationError({"merger": "A synonym must have the same type as its canonical tag."})

    @property
    def effective(self) -> Tag:
        """The tag filters and pages use for this one (its canonical, if merged)."""
        return self.merger if self.merger_id else self

    # --- wrangling -----------------------------------------------------------

    def make_synonym_of(self, canonical: Tag) -> None:
        """Merge this tag into ``canonical``; its own synonyms and works follow."""
        if not canonical.canonical:
            raise ValidationError(f"“{canonical}” is not canonical.")
        if canonical.pk == self.pk:
            raise ValidationError("A tag cannot be a synonym of itself.")
        self.canonical = False
        self.merger = canonical
        self.full_clean()
        self.save()
        Tag.objects.filter(merger=self).update(merger=canonical)
        TagParent.objects.filter(child=self).delete()
        note_wrangling_changed()

    def add_parent(self, parent: Tag) -> None:
        """Place this tag under ``parent`` (both canonical), refusing cycles."""
        if not (self.canonical and parent.canonical):
            raise ValidationError("Only canonical tags can have parents.")
        if parent.pk == self.pk or parent.pk in Tag.descendant_ids([self.pk]):
            raise ValidationError(f"“{parent}” is below “{self}” already; that would make a loop.")
        TagParent.objects.get_or_create(child=self, parent=parent)
        note_wrangling_changed()

    @staticmethod
    def descendant_ids(tag_ids: Iterable[int]) -> set[int]:
        """Ids of every tag below ``tag_ids`` in the parent graph (not included)."""
        found: set[int] = set()
        frontier = set(tag_ids)
        while frontier:
            children = set(
                TagParent.objects.filter(parent_id__in=frontier).values_list("child_id", flat=True)
            )
            frontier = children - found
            found |= frontier
        return found

    @classmethod
    def filter_scope(cls, tag_ids: Iterable[int]) -> set[int]:
        """All tag ids that filtering on ``tag_ids`` must match.

        The tags themselves; for synonyms, their canonical tag; then every
        sub-tag transitively; then all synonyms of everything so far. An
        unwrangled tag (neither canonical nor a synonym) matches just itself.
        Cached per wrangling generation, so it costs a few indexed queries
        once and a cache hit afterwards.
        """
        ids = sorted(set(tag_ids))
        if not ids:
            return set()
        cache_key = f"tags:scope:{wrangle_version()}:{','.join(map(str, ids))}"
        cached = cache.get(cache_key)
        if cached is not None:
            return set(cached)
        roots = set(ids)
        roots |= set(
            cls.objects.filter(pk__in=ids, merger__isnull=False).values_list("merger_id", flat=True)
        )
        scope = roots | cls.descendant_ids(roots)
        scope |= set(cls.objects.filter(merger_id__in=scope).values_list("pk", flat=True))
        cache.set(cache_key, sorted(scope), timeout=3600)
        return scope


class TagParent(models.Model):
    """One edge of the wrangling graph: ``child`` sits under ``parent``."""

    child = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="child_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "parent"], name="tagparent_unique")]
        indexes = [models.Index(fields=["parent", "child"])]

    def __str__(self) -> str:
        return f"{self.child} < {self.parent}"
