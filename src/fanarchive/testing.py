"""Helpers shared by the test suites and benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    """The workplace's shared/ folder (beside the repository), maybe absent.

    ``FANARCHIVE_SHARED`` overrides the location.
    """
    return Path(os.environ.get("FANARCHIVE_SHARED") or REPO_ROOT.parent / "shared")


def shared_data(*parts: str) -> Path:
    """A path under shared/data/ (reference data; never copied into the repo)."""
    return shared_dir().joinpath("data", *parts)


def seed_path() -> Path:
    """The founding seed work."""
    return shared_dir() / "seed" / "000_e921cebd9ae62899.txt"
