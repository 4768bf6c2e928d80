"""One page of works-filter results, and the paging arithmetic every listing shares."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from fanarchive.works.models import CreatorLink, TagLink, Work, WorkTag

PER_PAGE = 20

#: The work columns a blurb shows; listings load only these.
BLURB_COLUMNS = (
    "id", "title", "summary", "language", "word_count", "chapter_count", "expected_chapters",
    "complete", "updated_at", "hits", "kudos_count", "bookmarks_count", "comments_count",
)  # fmt: skip


def attach_blurb_data(works: Iterable[Work]) -> None:
    """Give each work its tags and creators, read in two narrow queries (no full Tag/Pseud rows).

    A page of 20 works carries hundreds of tags; reading (work, tag id, name,
    type, key) tuples instead of model instances is most of what makes a
    listing cheap. :meth:`Work.tags_of` and :attr:`Work.creator_links` read them.
    """
    by_id = {work.pk: work for work in works}
    tags: dict[int, list[TagLink]] = defaultdict(list)
    rows = WorkTag.objects.filter(work_id__in=by_id).values_list(
        "work_id", "tag_id", "tag__name", "tag__type", "tag__key"
    )
    for work_id, tag_id, name, tag_type, key in rows:
        tags[work_id].append(TagLink(tag_id, name, tag_type, key))
    creators: dict[int, list[CreatorLink]] = defaultdict(list)
    links = Work.creators.through.objects.filter(work_id__in=by_id).order_by("pseud__name")
    for work_id, pseud_id, name in links.values_list("work_id", "pseud_id", "pseud__name"):
        creators[work_id].append(CreatorLink(pseud_id, name))
    for work_id, work in by_id.items():
        work.tag_links = tags[work_id]
        work.creator_links = creators[work_id]


def blurb_works(works: QuerySet) -> list[Work]:
    """Evaluate ``works`` with only the blurb columns.

    Tags and creators are attached when the blurbs are rendered
    (``{% blurbs %}``), and only for blurbs the fragment cache lacks.
    """
    return list(works.only(*BLURB_COLUMNS))


def load_works(ids: Sequence[int]) -> list[Work]:
    """The works with ``ids``, with the blurb columns, in the order of ``ids``."""
    by_id = {work.pk: work for work in blurb_works(Work.objects.filter(pk__in=ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass
class ResultPage:
    """Works on one page of a listing, with the totals the pager needs."""

    works: list[Work]
    total: int
    page: int
    per_page: int = PER_PAGE
    notices: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        """Number of pages (at least 1, so an empty listing has a page 1)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def beyond_last(self) -> bool:
        """Whether the page asked for is past the last page."""
        return self.page > self.page_count

    @property
    def first_number(self) -> int:
        """1-based position of the first work on this page."""
        return (self.page - 1) * self.per_page + 1

    @property
    def last_number(self) -> int:
        """1-based position of the last work on this page."""
        return self.first_number + len(self.works) - 1

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if 1 < self.page <= self.page_count else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.page_count else None

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers for the pager: first, last and ``around`` each side; None marks a gap."""
        shown = {1, self.page_count} | set(range(self.page - around, self.page + around + 1))
        numbers: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.page_count):
            if numbers and numbers[-1] is not None and number - numbers[-1] > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def paginate(works: QuerySet, page: int, notices: list[str] | None = None) -> ResultPage:
    """Cut page ``page`` (1-based) out of an ordered queryset of works."""
    total = works.count()
    result = ResultPage(works=[], total=total, page=page, notices=list(notices or []))
    if not result.beyond_last:
        start = (page - 1) * PER_PAGE
        result.works = blurb_works(works[start : start + PER_PAGE])
    return result
