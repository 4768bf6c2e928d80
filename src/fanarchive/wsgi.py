"""WSGI entry point for gunicorn (see ``fanarchive serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
application = get_wsgi_application()
