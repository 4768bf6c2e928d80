from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "fanarchive.works"
    verbose_name = "Works"
