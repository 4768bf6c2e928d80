"""A sortable work column held in memory: exact values plus value-range blocks.

Each block is a bitmap of the works whose value falls in one range, ranges
ascending. The blocks answer both questions a listing asks:

* a range filter ("10k words or more") is the union of the blocks wholly
  inside the range plus an exact check of the (at most two) edge blocks;
* the top page of a result set R, in value order, walks blocks from the top,
  counting ``|block ∩ R|`` (a fast bitmap operation) to skip whole blocks
  until it reaches the page, then sorts only the few works of R in the
  blocks that hold the page.

So no query ever sorts the full result. Blocks split when they grow past
twice the target size, which keeps "recently updated" fast as new works
pile into the newest block.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from pyroaring import BitMap

#: Results this small are sorted directly rather than walked block by block.
SMALL_RESULT = 2048


class SortedColumn:
    """Values of one integer column by work id, bucketed into range blocks.

    Invariant: every work in ``blocks[j]`` has ``bounds[j] <= value``, and
    ``value < bounds[j + 1]`` unless ``j`` is the last block.
    """

    def __init__(self, block_size: int) -> None:
        self.block_size = block_size
        self.values = array("q")
        self.bounds: list[int] = [0]
        self.blocks: list[BitMap] = [BitMap()]
        #: Per block: True when every work in it is known to have the value ``bounds[j]``.
        #: Such a block is in id order already, so a page inside it needs no sort
        #: (many works share a value: the newest date, zero kudos).
        self.flat: list[bool] = [False]

    # --- building and updating ----------------------------------------------

    @classmethod
    def build(cls, pairs: Iterable[tuple[int, int]], block_size: int) -> SortedColumn:
        """A column from ``(work_id, value)`` pairs, in blocks of about ``block_size``."""
        values = array("q")
        ids = BitMap()
        for work_id, value in pairs:
            if work_id >= len(values):
                values.frombytes(bytes(8 * (work_id + 1 - len(values))))
            values[work_id] = value
            ids.add(work_id)
        return cls.from_values(values, ids, block_size)

    @classmethod
    def from_values(cls, values: array, ids: BitMap, block_size: int) -> SortedColumn:
        """A column over the works ``ids`` whose values sit in ``values`` (indexed by work id).

        Only the ids are sorted, not (id, value) pairs: at 15M works that is
        the difference between a few hundred MB and many GB while building.
        """
        column = cls(block_size)
        column.values = values
        order = sorted(ids, key=values.__getitem__)  # ids ascend, sort is stable: ties stay by id
        if not order:
            return column
        column.bounds, column.blocks, column.flat = [], [], []
        start = 0
        while start < len(order):
            end = min(start + block_size, len(order))
            # Never split equal values across blocks.
            while end < len(order) and values[order[end]] == values[order[end - 1]]:
                end += 1
            column.bounds.append(values[order[start]])
            column.blocks.append(BitMap(order[start:end]))
            column.flat.append(values[order[start]] == values[order[end - 1]])
            start = end
        return column

    def _grow(self, work_id: int) -> None:
        """Make room for ``work_id`` (over-allocating, as ids keep coming)."""
        if work_id >= len(self.values):
            size = max(work_id + 1, len(self.values) + len(self.values) // 4)
            self.values.frombytes(bytes(8 * (size - len(self.values))))

    def _block_of(self, value: int) -> int:
        return max(0, bisect_right(self.bounds, value) - 1)

    def put(self, work_id: int, value: int, present: bool) -> None:
        """Set a work's value (``present``: the work was already in the column)."""
        if present:
            self.discard(work_id)
        self._grow(work_id)
        self.values[work_id] = value
        if value < self.bounds[0]:
            self.bounds[0] = value
            self.flat[0] = False
        j = self._block_of(value)
        self.blocks[j].add(work_id)
        if value != self.bounds[j]:
            self.flat[j] = False
        if len(self.blocks[j]) > 2 * self.block_size:
            self._split(j)

    def discard(self, work_id: int) -> None:
        """Take a work out of its block (its value slot is left as is)."""
        if work_id < len(self.values):
            self.blocks[self._block_of(self.values[work_id])].discard(work_id)

    def _split(self, j: int) -> None:
        """Cut block ``j`` at its median value, unless all its values are equal."""
        block = self.blocks[j]
        ordered = sorted(self.values[i] for i in block)
        median = ordered[len(ordered) // 2]
        if median == ordered[0]:
            later = [v for v in ordered[len(ordered) // 2 :] if v > median]
            if not later:
                return
            median = later[0]
        upper = BitMap(i for i in block if self.values[i] >= median)
        block.difference_update(upper)
        self.bounds.insert(j + 1, median)
        self.blocks.insert(j + 1, upper)
        self.flat[j] = False
        self.flat.insert(j + 1, False)

    # --- queries ----------------------------------------------------------------

    def _upper(self, j: int) -> int | None:
        """Exclusive upper bound of block ``j`` (None for the last block)."""
        return self.bounds[j + 1] if j + 1 < len(self.bounds) else None

    def range(self, low: int | None, high: int | None, within: BitMap | None = None) -> BitMap:
        """Works whose value is within ``[low, high]`` (None: unbounded), only those in ``within`` if given.

        Only the edge blocks are checked value by value, and with ``within``
        only their works that are in it: a filtered listing's range check
        then costs its own size, not a block's.
        """
        whole: list[BitMap] = []
        edges = BitMap()
        values = self.values
        for j, block in enumerate(self.blocks):
            lower, upper = self.bounds[j], self._upper(j)
            if (high is not None and lower > high) or (low is not None and upper is not None and upper <= low):
                continue
            inside_low = low is None or lower >= low
            inside_high = high is None or (upper is not None and upper - 1 <= high)
            if inside_low and inside_high:
                whole.append(block)
            else:
                edges.update(
                    i for i in (block if within is None else block & within)
                    if (low is None or values[i] >= low) and (high is None or values[i] <= high)
                )  # fmt: skip
        found = BitMap.union(edges, *whole)
        return found if within is None else found & within

    def _ordered(self, works: Iterable[int], descending: bool) -> list[int]:
        """``works`` by (value, id), both descending or both ascending."""
        ordered = sorted(works, key=self.values.__getitem__)  # ids ascend, sort is stable
        if descending:
            ordered.reverse()
        return ordered

    def top(self, result: BitMap, offset: int, limit: int, descending: bool) -> list[int]:
        """Ids of ``result[offset:offset + limit]`` in (value, id) order."""
        if len(result) <= SMALL_RESULT:
            return self._ordered(result, descending)[offset : offset + limit]
        found: list[int] = []
        skip = offset
        order = range(len(self.blocks) - 1, -1, -1) if descending else range(len(self.blocks))
        for j in order:
            block = self.blocks[j]
            count = block.intersection_cardinality(result)
            if count <= skip:
                skip -= count
                continue
            wanted = limit - len(found)
            if self.flat[j]:  # one value: (value, id) order is id order; take the ranks wanted
                inside = block & result
                if descending:
                    part = list(inside[max(0, count - skip - wanted) : count - skip])[::-1]
                else:
                    part = list(inside[skip : skip + wanted])
                found.extend(part)
            else:
                found.extend(self._ordered(block & result, descending)[skip : skip + wanted])
            skip = 0
            if len(found) >= limit:
                break
        return found

    def equal_to(self, value: int, within: BitMap) -> BitMap:
        """The works of ``within`` whose value is exactly ``value``."""
        values, found = self.values, BitMap()
        # the blocks starting at value, and the one before them, which may hold it too
        for j in range(max(0, bisect_left(self.bounds, value) - 1), bisect_right(self.bounds, value)):
            candidates = self.blocks[j] & within
            if self.flat[j] and self.bounds[j] == value:
                found |= candidates
            else:
                found.update(i for i in candidates if values[i] == value)
        return found

    # --- persistence ----------------------------------------------------------

    def dump(self) -> dict:
        return {
            "block_size": self.block_size,
            "values": self.values.tobytes(),
            "bounds": array("q", self.bounds).tobytes(),
            "blocks": [block.serialize() for block in self.blocks],
            "flat": bytes(self.flat),
        }

    @classmethod
    def restore(cls, data: dict) -> SortedColumn:
        column = cls(data["block_size"])
        column.values = array("q")
        column.values.frombytes(data["values"])
        bounds = array("q")
        bounds.frombytes(data["bounds"])
        column.bounds = list(bounds)
        column.blocks = [BitMap.deserialize(raw) for raw in data["blocks"]]
        column.flat = [bool(b) for b in data.get("flat", bytes(len(column.blocks)))]  # older files: unknown
        return column
