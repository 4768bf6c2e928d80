"""The single entry point views use to filter works.

It hands over to :mod:`fanarchive.search.scale`, which answers from the
filter index and full-text search, falling back to the ORM filter
(:mod:`fanarchive.search.orm`) when no index is built; every path returns
the same ResultPage, so no view changes.
"""

from __future__ import annotations

from fanarchive.search import scale
from fanarchive.search.filters import FilterCriteria
from fanarchive.search.results import ResultPage


def find_works(criteria: FilterCriteria, user) -> ResultPage:
    """One page (20 works) of the works matching ``criteria`` that ``user`` may see."""
    return scale.find_works(criteria, user)
