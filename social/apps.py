from django.apps import AppConfig


class SocialConfig(AppConfig):
    """No models of its own since the split: kept so its migrations, which made the tables, stay in the history."""

    name = "social"
