"""WSGI entry point for gunicorn (see ``fanarchive serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
application = get_wsgi_application()

if os.environ.get("FANARCHIVE_PRELOAD_INDEX"):
    # `serve --preload`: load the index in the gunicorn master so the forked
    # workers share its memory; no database connection may cross the fork.
    from django.db import connections

    from fanarchive.search.live import live_index

    with live_index().lock:
        live_index().current()
    connections.close_all()
