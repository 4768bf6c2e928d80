"""Suite-wide pytest setup.

Tests never touch a real archive: unless the caller chose a data directory
(``./run test`` makes a throwaway one), a temporary one is used. This module
is imported before Django is configured, so the setting takes effect.
"""

import os
import tempfile

os.environ.setdefault("FANARCHIVE_DATA_DIR", tempfile.mkdtemp(prefix="fanarchive-test-"))
