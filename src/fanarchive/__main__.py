"""``python -m fanarchive``: the ``fanarchive`` command, for when its script is not on the PATH."""

import sys

from fanarchive.cli import main

sys.exit(main())
