from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fanarchive.people"
    verbose_name = "People"
