from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "fanarchive.tags"
    verbose_name = "Tags and wrangling"
