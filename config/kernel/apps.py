from django.apps import AppConfig
from django.db.backends.signals import connection_created

from config.kernel import pgtime


class KernelConfig(AppConfig):
    name = "config.kernel"
    label = "kernel"
    verbose_name = "Kernel"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(pgtime.use_fast_timestamps, dispatch_uid="kernel-fast-timestamps")
