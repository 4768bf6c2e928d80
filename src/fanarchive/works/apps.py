from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "fanarchive.works"
    verbose_name = "Works"

    def ready(self) -> None:
        from fanarchive.works import signals

        signals.connect()
