from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give every SQLite connection the function the full-text triggers call."""
    if connection.vendor == "sqlite":
        from fanarchive.search.text import plaintext

        connection.connection.create_function("fanarchive_plaintext", 1, plaintext, deterministic=True)


class SearchConfig(AppConfig):
    name = "fanarchive.search"
    verbose_name = "Browse, filter and search"

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_functions, dispatch_uid="fanarchive-sqlite-functions")
