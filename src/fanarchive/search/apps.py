from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "fanarchive.search"
    verbose_name = "Browse, filter and search"
