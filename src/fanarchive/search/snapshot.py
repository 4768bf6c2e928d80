"""A small file format for the filter index: a JSON header and raw byte blobs.

Nested dicts and lists of JSON values and ``bytes`` are written with every
``bytes`` value moved out of the header into the blob area, so loading is
one file mapping plus one ``json.loads`` (blobs come back as ``memoryview``
slices of the mapping); no pickle, so a tampered file cannot run code.
Files are replaced atomically (write, fsync, rename), so a process never
loads a half-written index.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
from pathlib import Path
from typing import Any

MAGIC = b"FANARCHIVE-INDEX\n"
_BLOB = "$blob"


class SnapshotError(Exception):
    """The file is not a filter index this version can read."""


def _split(value: Any, blobs: list[bytes], offset: list[int]) -> Any:
    if isinstance(value, bytes):
        ref = {_BLOB: [offset[0], len(value)]}
        blobs.append(value)
        offset[0] += len(value)
        return ref
    if isinstance(value, dict):
        return {key: _split(item, blobs, offset) for key, item in value.items()}
    if isinstance(value, list):
        return [_split(item, blobs, offset) for item in value]
    return value


def _join(value: Any, data: memoryview) -> Any:
    if isinstance(value, dict):
        if _BLOB in value:
            start, length = value[_BLOB]
            return data[start : start + length]
        return {key: _join(item, data) for key, item in value.items()}
    if isinstance(value, list):
        return [_join(item, data) for item in value]
    return value


def write(path: Path, tree: dict) -> None:
    """Write ``tree`` to ``path`` atomically."""
    blobs: list[bytes] = []
    header = json.dumps(_split(tree, blobs, [0])).encode()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as out:
        out.write(MAGIC + struct.pack("<Q", len(header)) + header)
        for blob in blobs:
            out.write(blob)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def read(path: Path) -> dict:
    """The tree stored in ``path`` (raises SnapshotError if it is not an index file).

    The file is mapped, not read: blobs come back as memoryviews into the
    mapping. The caller builds its own structures from them and drops the
    tree, which unmaps the file. Mapped pages belong to the page cache, so
    the kernel can drop them under memory pressure, where a read buffer
    would be 1.9 GB more of the process's own memory while a 15M-work
    index loads. (Index files are only ever replaced by rename, never
    rewritten in place, so a mapped file cannot change underneath.)
    """
    with open(path, "rb") as file:
        try:
            raw = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError as error:  # an empty file cannot be mapped
            raise SnapshotError(f"{path} is not a fanarchive filter index.") from error
    start = len(MAGIC) + 8
    if raw[: len(MAGIC)] != MAGIC or len(raw) < start:
        raise SnapshotError(f"{path} is not a fanarchive filter index.")
    (length,) = struct.unpack("<Q", raw[len(MAGIC) : start])
    try:
        header = json.loads(raw[start : start + length])
    except ValueError as error:
        raise SnapshotError(f"{path} is damaged: {error}") from error
    return _join(header, memoryview(raw)[start + length :])
