"""One page of works-filter results, and the paging arithmetic every listing shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from fanarchive.works.models import Work

PER_PAGE = 20


def with_blurb_data(works: QuerySet) -> QuerySet:
    """``works`` with what a blurb shows (tags, creators) fetched in two extra queries."""
    return works.prefetch_related("tags", "creators")


def load_works(ids: Sequence[int]) -> list[Work]:
    """The works with ``ids``, ready for blurbs, in the order of ``ids``."""
    by_id = {work.pk: work for work in with_blurb_data(Work.objects.filter(pk__in=ids))}
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
        result.works = list(with_blurb_data(works)[start : start + PER_PAGE])
    return result
