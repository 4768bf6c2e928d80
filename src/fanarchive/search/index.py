"""The filter index: compressed bitmaps of work ids, derived from the database.

The database stays the source of truth; this is a cache of it that answers
the works filter without touching the (work, tag) table:

* one roaring bitmap of work ids per *raw* tag id. Filtering on a tag takes
  the union over :meth:`Tag.filter_scope` at query time, so merging a synonym
  or adding a parent re-scopes results with no rebuild;
* bitmaps for visibility (posted, public), completeness, and each language;
* one :class:`~fanarchive.search.columns.SortedColumn` per sort key, which
  also answers word-count and date ranges. Titles are held as an integer
  that orders like their first 12 characters (:func:`title_key`); works tied
  on it are put in exact order from the database when a page shows them.

``fanarchive index rebuild`` builds it and writes it to the data directory;
app-server processes load that file and stay current by replaying the
:class:`~fanarchive.search.models.IndexChange` log (see :mod:`.live`).
"""

from __future__ import annotations

import datetime
import time
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyroaring import BitMap, FrozenBitMap

from fanarchive.search import snapshot
from fanarchive.search.columns import SortedColumn
from fanarchive.search.filters import FilterCriteria
from fanarchive.search.models import ChangeKind, IndexChange
from fanarchive.search.resolve import ResolvedFilter
from fanarchive.works.models import Work, WorkTag

FORMAT_VERSION = 2

#: Sort key of FilterCriteria -> the Work column it orders by (descending,
#: ties by id descending, as the ORM filter orders; title ascending, ties by id).
SORT_COLUMNS = {
    "updated": "updated_at",
    "published": "published_at",
    "kudos": "kudos_count",
    "hits": "hits",
    "bookmarks": "bookmarks_count",
    "comments": "comments_count",
    "words": "word_count",
    "title": "sort_title",
}
DATE_COLUMNS = {"updated_at", "published_at"}
WORK_FIELDS = ("id", "posted", "restricted", "complete", "language", *SORT_COLUMNS.values())

#: Unions over scopes of at least this many tags are kept for reuse, the last KEPT_UNIONS of them.
KEEP_UNIONS_OF = 8
KEPT_UNIONS = 64
_EMPTY = FrozenBitMap()

#: Results smaller than this get range filters checked work by work.
DIRECT_CHECK = 20_000
#: Ids per ``IN (...)`` list (SQLite allows a few thousand bound variables safely).
ID_CHUNK = 900
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def micros(moment: datetime.datetime) -> int:
    """A datetime as whole microseconds since 1970 (exact, unlike float timestamps)."""
    return (moment - _EPOCH) // datetime.timedelta(microseconds=1)


def since_micros(day: datetime.date) -> int:
    """Start of ``day`` (UTC), as the ORM filter reads ``updated_since``."""
    return micros(datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC))


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


#: Characters of a sort title a title key holds: 38 ** 12 < 2 ** 63, so it fits a signed 64-bit column.
TITLE_KEY_LENGTH = 12


def title_key(sort_title: str) -> int:
    """An integer ordered like the first :data:`TITLE_KEY_LENGTH` characters of ``sort_title``.

    A sort title holds digits, lower-case ASCII letters and other scripts'
    letters (which all follow "z" by code point): base 38 with 0 for "no
    more characters", 1-10 for digits, 11-36 for letters, 37 for any other
    letter, after which the key stops (such letters share one digit, so what
    follows them says nothing about order). So ``a < b`` implies
    ``title_key(a) <= title_key(b)``.
    """
    key, ended = 0, False
    for position in range(TITLE_KEY_LENGTH):
        char = "" if ended or position >= len(sort_title) else sort_title[position]
        if not char:
            digit = 0
        elif "0" <= char <= "9":
            digit = ord(char) - ord("0") + 1
        elif "a" <= char <= "z":
            digit = ord(char) - ord("a") + 11
        else:
            digit, ended = 37, True
        key = key * 38 + digit
    return key


def _sort_value(column: str, value) -> int:
    """A Work field's value as its sorted column holds it."""
    if column in DATE_COLUMNS:
        return micros(value)
    return title_key(value) if column == "sort_title" else value


@dataclass
class WorkRow:
    """The indexed columns of one work, as read from the database."""

    id: int
    posted: bool
    restricted: bool
    complete: bool
    language: str
    sort_values: dict[str, int]

    @classmethod
    def from_values(cls, values: Sequence) -> WorkRow:
        fields = dict(zip(WORK_FIELDS, values, strict=True))
        sort_values = {column: _sort_value(column, fields[column]) for column in SORT_COLUMNS.values()}
        return cls(
            fields["id"], fields["posted"], fields["restricted"], fields["complete"], fields["language"], sort_values
        )


class FilterIndex:
    """Bitmaps and sorted columns for every work; see the module docstring."""

    def __init__(self, block_size: int = 4096) -> None:
        self.change_id = 0  # last change-log id reflected
        self.replay_from = 0  # processes loading this file replay the log after this id
        self.works = BitMap()
        self.posted = BitMap()
        self.public = BitMap()  # posted and not restricted
        self.complete = BitMap()
        self.languages: dict[str, BitMap] = {}
        self.tags: dict[int, BitMap] = {}
        self.columns = {column: SortedColumn(block_size) for column in SORT_COLUMNS.values()}
        self._unions: OrderedDict[frozenset[int], BitMap] = OrderedDict()  # see _with_any

    # --- building ---------------------------------------------------------------

    @classmethod
    def build(
        cls, progress: bool = False, lookback_seconds: float = 0.0, block_size: int | None = None
    ) -> FilterIndex:
        """Read every work and work tag from the database.

        The change-log position is read first, so any write racing the build
        is also in the log after it and gets replayed (replay is idempotent).
        ``block_size`` (sorted-column block) defaults to 1/256 of the works.
        """
        from tqdm import tqdm

        latest = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        safe = latest
        if lookback_seconds:
            cutoff = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=lookback_seconds)
            older = IndexChange.objects.filter(logged_at__lt=cutoff).order_by("-id")
            safe = older.values_list("id", flat=True).first() or 0
        work_total = Work.objects.count()
        rows = (
            WorkRow.from_values(values)
            for values in Work.objects.values_list(*WORK_FIELDS).order_by().iterator(chunk_size=20_000)
        )
        links = WorkTag.objects.values_list("tag_id", "work_id").order_by().iterator(chunk_size=50_000)
        index = cls.assemble(
            tqdm(rows, total=work_total, desc="works", unit="work", disable=not progress),
            tqdm(links, total=WorkTag.objects.count(), desc="tags", unit="link", disable=not progress),
            block_size=block_size or max(1024, work_total // 256),
        )
        index.change_id, index.replay_from = latest, safe
        return index

    @classmethod
    def assemble(cls, rows: Iterable[WorkRow], links: Iterable[tuple[int, int]], block_size: int) -> FilterIndex:
        """An index from work rows and ``(tag_id, work_id)`` links, whatever their source.

        :meth:`build` reads them from the database; the 15M-work benchmark
        draws them from the synthetic corpus (no disk here holds that many
        works). Memory stays near the index's own size: sort values go
        straight into per-column arrays indexed by work id.
        """
        index = cls(block_size=block_size)
        values = {column: array("q") for column in SORT_COLUMNS.values()}
        for row in rows:
            index._set_flags(row)
            for column, value in row.sort_values.items():
                column_values = values[column]
                if row.id >= len(column_values):  # grow by a quarter at least, as ids keep coming
                    size = max(row.id + 1, len(column_values) + len(column_values) // 4)
                    column_values.frombytes(bytes(8 * (size - len(column_values))))
                column_values[row.id] = value
        room = index.works.max() + 1 if index.works else 0
        for column in SORT_COLUMNS.values():
            column_values = values.pop(column)
            del column_values[room:]  # the growth slack: later writes grow it again as needed
            index.columns[column] = SortedColumn.from_values(column_values, index.works, block_size)

        tags = index.tags
        for tag_id, work_id in links:
            bitmap = tags.get(tag_id)
            if bitmap is None:
                bitmap = tags[tag_id] = BitMap()
            bitmap.add(work_id)
        for bitmap in index._all_bitmaps():
            bitmap.run_optimize()
        return index

    def _all_bitmaps(self) -> Iterable[BitMap]:
        yield from (self.works, self.posted, self.public, self.complete)
        yield from self.languages.values()
        yield from self.tags.values()

    def _set_flags(self, row: WorkRow, present: bool = False) -> None:
        """Put a work in the flag and language bitmaps (``present``: it may be in others)."""
        flags = [
            (self.works, True),
            (self.posted, row.posted),
            (self.public, row.posted and not row.restricted),
            (self.complete, row.complete),
        ]
        for bitmap, member in flags:
            (bitmap.add if member else bitmap.discard)(row.id)
        if present:
            for language, bitmap in self.languages.items():
                if language != row.language:
                    bitmap.discard(row.id)
        self.languages.setdefault(row.language, BitMap()).add(row.id)

    # --- keeping current --------------------------------------------------------

    def apply(self, changes: Iterable[tuple[int, str, int | None, int | None]]) -> bool:
        """Replay change-log rows ``(id, kind, work_id, tag_id)``; True if wrangling changed.

        Each change only names what to re-read: the work's current row, or
        whether the (work, tag) link exists now. So replaying a change twice,
        or out of order, leaves the same state.
        """
        work_ids: set[int] = set()
        links: set[tuple[int, int]] = set()
        wrangled = False
        for change_id, kind, work_id, tag_id in changes:
            self.change_id = max(self.change_id, change_id)
            if kind == ChangeKind.WORK:
                work_ids.add(work_id)
            elif kind == ChangeKind.WORK_TAG:
                links.add((work_id, tag_id))
            else:
                wrangled = True
        if work_ids:
            self._reread_works(sorted(work_ids))
        if links:
            self._reread_links(links)
        return wrangled

    def _reread_works(self, work_ids: list[int]) -> None:
        """Re-read the works' rows; a work new to the index also brings all its tag links.

        So a bulk load of new works needs only their work rows in the log,
        not one row per link (see :func:`fanarchive.search.sql.links_of_new_works_unlogged`).
        """
        found: set[int] = set()
        arrived: list[int] = []
        for chunk in _chunks(work_ids):
            for values in Work.objects.filter(pk__in=chunk).values_list(*WORK_FIELDS).order_by():
                row = WorkRow.from_values(values)
                found.add(row.id)
                present = row.id in self.works
                if not present:
                    arrived.append(row.id)
                self._set_flags(row, present)
                for column, value in row.sort_values.items():
                    self.columns[column].put(row.id, value, present)
        for work_id in set(work_ids) - found:
            self._drop_work(work_id)
        if arrived:
            self._reread_links(self._links_of(arrived))

    @staticmethod
    def _links_of(work_ids: Sequence[int]) -> set[tuple[int, int]]:
        """The (work id, tag id) links the database holds now for ``work_ids``."""
        links: set[tuple[int, int]] = set()
        for chunk in _chunks(sorted(work_ids)):
            links.update(WorkTag.objects.filter(work_id__in=chunk).values_list("work_id", "tag_id").order_by())
        return links

    def _drop_work(self, work_id: int) -> None:
        """Forget a deleted work. Tag bitmaps may keep its id: queries start
        from the visibility bitmaps, which no longer hold it."""
        if work_id not in self.works:
            return
        for bitmap in (self.works, self.posted, self.public, self.complete, *self.languages.values()):
            bitmap.discard(work_id)
        for column in self.columns.values():
            column.discard(work_id)

    def _reread_links(self, links: set[tuple[int, int]]) -> None:
        current = self._links_of({work_id for work_id, _ in links})
        for work_id, tag_id in links:
            if (work_id, tag_id) in current:
                self.tags.setdefault(tag_id, BitMap()).add(work_id)
                self._link_changed(work_id, tag_id, True)
            elif tag_id in self.tags:
                self.tags[tag_id].discard(work_id)
                self._link_changed(work_id, tag_id, False)

    # --- queries ------------------------------------------------------------------

    def _with_any(self, tag_ids: Iterable[int]) -> BitMap:
        """Works carrying at least one of ``tag_ids`` (read-only: may be a tag's own bitmap or a kept union).

        A fandom's scope holds its characters and relationships too, over a
        hundred bitmaps; at 15M works their union took ~20 ms, so the last
        :data:`KEPT_UNIONS` unions are kept and updated as links change.
        """
        scope = frozenset(tag_ids)
        if len(scope) == 1:
            return self.tags.get(next(iter(scope)), _EMPTY)
        union = self._unions.get(scope)
        if union is not None:
            self._unions.move_to_end(scope)
            return union
        union = BitMap.union(BitMap(), *(self.tags[tag_id] for tag_id in scope if tag_id in self.tags))
        if len(scope) >= KEEP_UNIONS_OF:
            self._unions[scope] = union
            if len(self._unions) > KEPT_UNIONS:
                self._unions.popitem(last=False)
        return union

    def _link_changed(self, work_id: int, tag_id: int, present: bool) -> None:
        """Keep the kept unions right after ``(work_id, tag_id)`` was added or removed."""
        for scope, union in self._unions.items():
            if tag_id not in scope:
                continue
            if present:
                union.add(work_id)
            elif not any(work_id in self.tags[other] for other in scope if other in self.tags):
                union.discard(work_id)

    def _in_range(self, result: BitMap, column: str, low: int | None, high: int | None) -> BitMap:
        """``result`` narrowed to works whose ``column`` is within ``[low, high]``."""
        if len(result) <= DIRECT_CHECK:
            values = self.columns[column].values
            return BitMap(
                i for i in result if (low is None or values[i] >= low) and (high is None or values[i] <= high)
            )
        return self.columns[column].range(low, high, within=result)

    def matching(
        self, resolved: ResolvedFilter, criteria: FilterCriteria, signed_in: bool, within: BitMap | None = None
    ) -> BitMap:
        """Ids of the works a (signed-in or anonymous) reader may see that match.

        ``within`` optionally narrows further (full-text matches).
        """
        if resolved.matches_nothing:
            return BitMap()
        clauses = [self.posted if signed_in else self.public]
        clauses += [self._with_any(tag_ids) for tag_ids in resolved.all_of]
        if criteria.complete:
            clauses.append(self.complete)
        if criteria.language:
            clauses.append(self.languages.get(criteria.language, BitMap()))
        if within is not None:
            clauses.append(within)
        clauses.sort(key=len)
        result = BitMap.intersection(*clauses) if len(clauses) > 1 else clauses[0].copy()
        if resolved.none_of and result:
            result -= self._with_any(resolved.none_of)
        if criteria.words_from is not None or criteria.words_to is not None:
            result = self._in_range(result, "word_count", criteria.words_from, criteria.words_to)
        if criteria.updated_since:
            result = self._in_range(result, "updated_at", since_micros(criteria.updated_since), None)
        return result

    def page(self, result: BitMap, sort: str, offset: int, limit: int) -> list[int]:
        """Ids of ``result`` at ``offset`` in ``sort`` order (newest/most first; titles A to Z)."""
        if sort == "title":
            return self._title_page(result, offset, limit)
        return self.columns[SORT_COLUMNS[sort]].top(result, offset, limit, descending=True)

    def _title_page(self, result: BitMap, offset: int, limit: int) -> list[int]:
        """A page in (sort title, id) order.

        The column orders by title key, then id. Works sharing a key with a
        work on the page ("harrypotter…" titles agree in 12 characters) are
        read from the database and put in exact order; the first such group
        may begin before the page, the last run past it.
        """
        column = self.columns["sort_title"]
        ids = column.top(result, offset, limit, descending=False)
        groups = [column.equal_to(key, result) for key in sorted({column.values[i] for i in ids})]
        tied = [group for group in groups if len(group) > 1]
        if not tied:
            return ids
        titles: dict[int, str] = {}
        for chunk in _chunks(list(BitMap.union(BitMap(), *tied))):
            titles.update(Work.objects.filter(pk__in=chunk).values_list("pk", "sort_title").order_by())
        ordered = [i for group in groups for i in sorted(group, key=lambda i: (titles.get(i, ""), i))]
        start = offset - (groups[0].rank(ids[0]) - 1)  # position of the first group's first work
        return ordered[offset - start : offset - start + limit]

    # --- persistence ----------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the index to ``path`` atomically (see :mod:`.snapshot`)."""
        tag_ids = sorted(self.tags)
        snapshot.write(
            path,
            {
                "format": FORMAT_VERSION,
                "saved_at": time.time(),
                "change_id": self.change_id,
                "replay_from": self.replay_from,
                "flags": {
                    name: getattr(self, name).serialize() for name in ("works", "posted", "public", "complete")
                },
                "languages": {language: bitmap.serialize() for language, bitmap in self.languages.items()},
                "tag_ids": tag_ids,
                "tags": [self.tags[tag_id].serialize() for tag_id in tag_ids],
                "columns": {name: column.dump() for name, column in self.columns.items()},
            },
        )

    @classmethod
    def load(cls, path: Path) -> FilterIndex:
        """Read an index written by :meth:`save`."""
        tree = snapshot.read(path)
        if tree.get("format") != FORMAT_VERSION:
            raise snapshot.SnapshotError(f"{path} was written by another version; run `fanarchive index rebuild`.")
        index = cls()
        index.change_id, index.replay_from = tree["change_id"], tree["replay_from"]
        for name, raw in tree["flags"].items():
            setattr(index, name, BitMap.deserialize(raw))
        index.languages = {language: BitMap.deserialize(raw) for language, raw in tree["languages"].items()}
        index.tags = {
            tag_id: BitMap.deserialize(raw) for tag_id, raw in zip(tree["tag_ids"], tree["tags"], strict=True)
        }
        index.columns = {name: SortedColumn.restore(data) for name, data in tree["columns"].items()}
        return index

    def stats(self) -> dict[str, int]:
        """Sizes for the ``status`` command and the benchmarks."""
        return {
            "works": len(self.works),
            "tags": len(self.tags),
            "links": sum(len(bitmap) for bitmap in self.tags.values()),
            "bitmap_bytes": sum(len(bitmap.serialize()) for bitmap in self._all_bitmaps()),
            "column_bytes": sum(len(c.values) * c.values.itemsize for c in self.columns.values()),
            "change_id": self.change_id,
        }
