"""The filter index at AO3 scale (15M works): build time, memory and filter-mix latency.

No disk here holds 15M stored works (the synthetic corpus takes about 6 KB a
work with its chapter text, ~90 GB), so this bench skips the works table: it
creates the synthetic tag universe for ``--works`` works in a real archive
(tags, synonyms, parents, as ``fanarchive demo --works N`` does), draws the
same works generation would store (``synthetic.drawn_works``) and feeds them
to ``FilterIndex.assemble``, the code ``fanarchive index rebuild`` runs on
rows read from the database. Ids are 1..N.

It then times the index's part of each listing of the filter mix (the same
mix as bench_filters.py): resolve the tag names in the database, intersect
the bitmaps, count, and pick the page's 20 ids in sort order. What a real
listing adds is loading those 20 works by primary key, which does not grow
with the corpus; bench_filters.py measures it on stored works (1M).

Prints the build time, the index's size (bitmaps, sort columns, file) and
peak RSS, the time to save and load the index file, and p50/p99 per query.

``--reuse`` loads the index file an earlier run saved instead of drawing the
works again (the sort columns are re-derived from their stored values, as a
build would make them, so a file from before a column change still measures
the current code).

Usage: .venv/bin/python bench/bench_index_scale.py --works 15000000 [--repeat 200] [--reuse]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench_filters import mega_tag_links, the_mix
from scale_common import Timing, max_rss_mb, ms, setup

if TYPE_CHECKING:
    from fanarchive.search.index import FilterIndex


def drawn_rows(universe, works: int, links: dict[int, list[int]]):
    """WorkRows of synthetic works 1..``works``; their tag uses are collected into ``links``."""
    from array import array

    from fanarchive.search.index import WORK_FIELDS, WorkRow
    from fanarchive.works import synthetic
    from fanarchive.works.models import sortable_title

    prefix = f"{synthetic.KEY_PREFIX}:1:"
    for work_id, (fields, tag_ids, _, _) in enumerate(synthetic.drawn_works(universe, 1, range(works), prefix), 1):
        work = {**dict(zip(synthetic.WORK_FIELDS, fields)), "id": work_id, "posted": True}
        work["sort_title"] = sortable_title(work["title"])
        for tag_id in tag_ids:
            links.setdefault(tag_id, array("I")).append(work_id)
        yield WorkRow.from_values([work[name] for name in WORK_FIELDS])  # as the database would give them


def popular_in(index):
    """A ``popular(tag_type, count, among_tag)`` for :func:`the_mix` that counts uses in the index."""
    from fanarchive.tags.models import Tag

    def popular(tag_type: str, count: int = 1, among_tag: str | None = None) -> list[str]:
        names = dict(Tag.objects.filter(type=tag_type).values_list("id", "name"))
        among = index.tags[Tag.objects.get(name=among_tag).pk] if among_tag else None
        uses = [
            (len(bitmap) if among is None else bitmap.intersection_cardinality(among), tag_id)
            for tag_id, bitmap in index.tags.items()
            if tag_id in names
        ]
        return [names[tag_id] for _, tag_id in sorted(uses, reverse=True)[:count]]

    return popular


def draw_and_build(works: int, path: Path) -> FilterIndex:
    """Create the tag universe, draw ``works`` works into a new index, save it; the loaded index."""
    from tqdm import tqdm

    from fanarchive.search.index import FilterIndex
    from fanarchive.works import synthetic

    started = time.perf_counter()
    universe = synthetic.build_universe(works)
    mega = mega_tag_links(range(1, works + 1))
    print(f"tag universe: {time.perf_counter() - started:.1f}s")

    rss_before = max_rss_mb()
    started = time.perf_counter()
    uses: dict[int, list[int]] = {}
    rows = tqdm(drawn_rows(universe, works, uses), total=works, desc="works", unit="work", mininterval=10)

    def links():
        """Read once the rows are all drawn: every use collected, then the mega tag's."""
        for tag_id, work_ids in uses.items():
            for work_id in work_ids:
                yield tag_id, work_id
        for work_id, tag_id in mega:
            yield tag_id, work_id

    index = FilterIndex.assemble(rows, links(), block_size=max(1024, works // 256))
    build_seconds = time.perf_counter() - started
    del uses
    stats = index.stats()
    print(
        f"index: drawn and built in {build_seconds:.0f}s, {stats['tags']:,} tags, {stats['links']:,} links, "
        f"bitmaps {stats['bitmap_bytes'] / 1e6:.0f} MB, sort columns {stats['column_bytes'] / 1e6:.0f} MB, "
        f"peak RSS {rss_before:.0f} -> {max_rss_mb():.0f} MB (includes the drawing's buffers)"
    )
    started = time.perf_counter()
    index.save(path)
    save_seconds = time.perf_counter() - started
    del index
    started = time.perf_counter()
    index = FilterIndex.load(path)
    print(
        f"file: {path.stat().st_size / 1e6:.0f} MB, save {save_seconds:.1f}s, load {time.perf_counter() - started:.1f}s"
    )
    return index


def load_again(path: Path) -> FilterIndex:
    """The index an earlier run saved, its sort columns re-derived from their values."""
    from fanarchive.search.columns import SortedColumn
    from fanarchive.search.index import FilterIndex

    started = time.perf_counter()
    index = FilterIndex.load(path)
    loaded = time.perf_counter() - started
    for name, column in index.columns.items():
        index.columns[name] = SortedColumn.from_values(column.values, index.works, column.block_size)
    stats = index.stats()
    print(
        f"reused {path} ({path.stat().st_size / 1e6:.0f} MB, loaded in {loaded:.1f}s): {stats['tags']:,} tags, "
        f"{stats['links']:,} links, bitmaps {stats['bitmap_bytes'] / 1e6:.0f} MB, "
        f"sort columns {stats['column_bytes'] / 1e6:.0f} MB, peak RSS {max_rss_mb():.0f} MB"
    )
    return index


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200, help="timed calls per query")
    parser.add_argument("--reuse", action="store_true", help="load the index saved by an earlier run")
    args = parser.parse_args()

    setup("sqlite", f"index-{args.works}")
    from fanarchive.search.live import index_path
    from fanarchive.search.resolve import resolve

    print(f"== bench_index_scale: {args.works:,} synthetic works, index only (no works table) ==")
    path = index_path()
    if args.reuse and path.exists():
        index = load_again(path)
    else:
        index = draw_and_build(args.works, path)

    def index_ids(criteria) -> tuple[int, list[int]]:
        """What the index does for one listing: resolve, intersect, count, page."""
        matches = index.matching(resolve(criteria), criteria, False)
        return len(matches), index.page(matches, criteria.sort, (criteria.page - 1) * 20, 20)

    print("Latency in ms of the index's part of a listing (resolve tags, intersect, count, 20 ids in order).")
    print(f"{'query':<5} {'matches':>11} | {'p50':>9} {'p99':>9} {'q/s':>8}")
    for name, criteria in the_mix(popular_in(index)).items():
        total, _ = index_ids(criteria)
        timing = Timing.of(lambda: index_ids(criteria), args.repeat)
        print(f"{name:<5} {total:>11,} | {ms(timing.p50)} {ms(timing.p99)} {timing.per_second:8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
