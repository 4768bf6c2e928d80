"""SortedColumn: range filters and top-k pages equal a plain sort, through updates and block splits."""

from hypothesis import given, settings
from hypothesis import strategies as st
from pyroaring import BitMap

from fanarchive.search import columns
from fanarchive.search.columns import SortedColumn

values = st.integers(min_value=-5, max_value=60)  # few distinct values: many ties
works = st.dictionaries(st.integers(min_value=1, max_value=400), values, max_size=300)


def expected_range(data: dict[int, int], low, high) -> BitMap:
    return BitMap(i for i, v in data.items() if (low is None or v >= low) and (high is None or v <= high))


@settings(max_examples=120, deadline=None)
@given(
    initial=works,
    updates=works,
    removed=st.lists(st.integers(min_value=1, max_value=400), max_size=40),
    picked=st.lists(st.integers(min_value=1, max_value=400), max_size=200),
    low=st.none() | values,
    high=st.none() | values,
    offset=st.integers(min_value=0, max_value=60),
    descending=st.booleans(),
    small_result=st.sampled_from([0, columns.SMALL_RESULT]),
)
def test_column_matches_a_plain_sort(initial, updates, removed, picked, low, high, offset, descending, small_result):
    columns.SMALL_RESULT, saved = small_result, columns.SMALL_RESULT
    try:
        column = SortedColumn.build(initial.items(), block_size=8)
        data = dict(initial)
        for work_id, value in updates.items():
            column.put(work_id, value, present=work_id in data)
            data[work_id] = value
        for work_id in removed:
            if work_id in data:
                column.discard(work_id)
                del data[work_id]
        column = SortedColumn.restore(column.dump())

        assert column.range(low, high) == expected_range(data, low, high)
        result = BitMap(i for i in picked if i in data)
        assert column.range(low, high, within=result) == expected_range(data, low, high) & result
        ordered = sorted(result, key=lambda i: (data[i], i), reverse=descending)
        assert column.top(result, offset, 20, descending) == ordered[offset : offset + 20]
    finally:
        columns.SMALL_RESULT = saved


def test_blocks_split_as_works_pile_into_one():
    column = SortedColumn.build([(i, i) for i in range(1, 50)], block_size=8)
    before = len(column.blocks)
    for work_id in range(100, 200):
        column.put(work_id, 1000 + work_id, present=False)
    assert len(column.blocks) > before
    assert max(len(block) for block in column.blocks) <= 16


@settings(max_examples=60, deadline=None)
@given(data=works, picked=st.lists(st.integers(min_value=1, max_value=400), max_size=200), value=values)
def test_equal_to_finds_exactly_the_works_with_that_value(data, picked, value):
    column = SortedColumn.build(data.items(), block_size=8)
    within = BitMap(picked)
    assert column.equal_to(value, within) == BitMap(i for i in picked if data.get(i) == value)
