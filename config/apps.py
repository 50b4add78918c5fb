from django.apps import AppConfig


class WiringConfig(AppConfig):
    """Listed last in INSTALLED_APPS: connects the hooks once every app is loaded."""

    name = "config"
    label = "config"
    verbose_name = "Wiring"

    def ready(self) -> None:
        from config import wiring  # imports every app, so it can't load before the registry is ready

        wiring.connect()
