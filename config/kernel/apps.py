from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "config.kernel"
    label = "kernel"
    verbose_name = "Kernel"
    default_auto_field = "django.db.models.BigAutoField"
