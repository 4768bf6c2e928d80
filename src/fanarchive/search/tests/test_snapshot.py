"""The filter index's file format: round trip, and a clear error for files that are not an index."""

import pytest

from fanarchive.search import snapshot


def test_nested_blobs_come_back_with_the_rest_of_the_tree(tmp_path):
    tree = {"format": 2, "tags": [b"\x00\x01", b"", b"abc"], "columns": {"kudos": {"values": b"\xff" * 9, "size": 9}}}
    snapshot.write(tmp_path / "index.bin", tree)
    loaded = snapshot.read(tmp_path / "index.bin")
    assert [bytes(blob) for blob in loaded["tags"]] == tree["tags"]
    assert bytes(loaded["columns"]["kudos"]["values"]) == b"\xff" * 9
    assert loaded["format"] == 2 and loaded["columns"]["kudos"]["size"] == 9


def test_a_replaced_file_does_not_change_a_tree_already_read(tmp_path):
    path = tmp_path / "index.bin"
    snapshot.write(path, {"blob": b"old"})
    loaded = snapshot.read(path)
    snapshot.write(path, {"blob": b"new"})  # replaced by rename, as every save does
    assert bytes(loaded["blob"]) == b"old"
    assert bytes(snapshot.read(path)["blob"]) == b"new"


@pytest.mark.parametrize(
    "content",
    [b"", b"PK\x03\x04 a zip file", snapshot.MAGIC, snapshot.MAGIC + b"\x05\x00\x00\x00\x00\x00\x00\x00{\"a"],
    ids=["empty", "another format", "magic only", "truncated header"],
)
def test_a_file_that_is_not_an_index_is_refused_clearly(tmp_path, content):
    path = tmp_path / "index.bin"
    path.write_bytes(content)
    with pytest.raises(snapshot.SnapshotError, match="index.bin"):
        snapshot.read(path)
