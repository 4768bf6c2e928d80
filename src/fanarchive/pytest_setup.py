"""pytest plugin (loaded with ``-p`` from pyproject) run before Django is configured.

Tests never touch a real archive: unless the caller chose a data directory
(``./run test`` makes a throwaway one), a temporary one is used. It must be
set before pytest-django imports the settings, which a conftest.py is too
late for.
"""

import os
import tempfile

os.environ.setdefault("FANARCHIVE_DATA_DIR", tempfile.mkdtemp(prefix="fanarchive-test-"))
# Without Redis, hits are written at once (tests read the row right after a
# page view); the buffering itself is tested with its own setting.
os.environ.setdefault("FANARCHIVE_HIT_FLUSH_SECONDS", "0")
