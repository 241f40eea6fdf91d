from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Gemeenschappelijk"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy checks
        from .rls import install as rls_install

        rls_install()  # policies after every migrate; the Celery task hook (issue 17)
