from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give every SQLite connection the function the full-text triggers call."""
    if connection.vendor == "sqlite":
        from fanarchive.search.text import plaintext

        connection.connection.create_function("fanarchive_plaintext", 1, plaintext, deterministic=True)


def _reinstall_triggers(sender, using: str = "default", **kwargs) -> None:
    """Put back triggers a table rebuild dropped (SQLite rebuilds tables on ALTER)."""
    from fanarchive.search.sql import install

    install(connections[using])


class SearchConfig(AppConfig):
    name = "fanarchive.search"
    verbose_name = "Browse, filter and search"

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_functions, dispatch_uid="fanarchive-sqlite-functions")
        post_migrate.connect(_reinstall_triggers, sender=self, dispatch_uid="fanarchive-search-triggers")
