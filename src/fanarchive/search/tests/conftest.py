"""Fixtures for the search tests."""

import pytest

from fanarchive.search import columns, index, live
from fanarchive.search.index import FilterIndex


@pytest.fixture
def live_index(tmp_path, settings, monkeypatch):
    """The bitmap index engine, built over the works created so far.

    Built once; every later query refreshes it from the change log. The
    small-result shortcuts are off so the bitmap paths are exercised.
    """
    settings.FANARCHIVE_INDEX_PATH = str(tmp_path / "index.bin")
    settings.FANARCHIVE_INDEX_POLL_SECONDS = 0
    settings.FANARCHIVE_FILTER_ENGINE = "index"
    monkeypatch.setattr(columns, "SMALL_RESULT", 0)
    monkeypatch.setattr(index, "DIRECT_CHECK", 0)
    monkeypatch.setattr(live, "_live", None)
    FilterIndex.build(block_size=4).save(tmp_path / "index.bin")
    return live.live_index()
