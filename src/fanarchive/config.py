"""Where fanarchive keeps its files, and the small helpers settings use.

Kept apart from settings.py so the CLI can find the data directory (and
create the secret key) before Django is configured.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    """The per-user data directory (``FANARCHIVE_DATA_DIR`` overrides it)."""
    path = Path(os.environ.get("FANARCHIVE_DATA_DIR") or user_data_dir("fanarchive"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key() -> str:
    """``SECRET_KEY`` from the environment, else one generated once and kept.

    Generating on first run means a fresh install is never left with a
    well-known key, and keeping it means sessions survive restarts.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" are yes)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable into a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
