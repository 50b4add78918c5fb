from django.apps import AppConfig


class MastodonConfig(AppConfig):
    """Mastodon's client API over Chirp's own services (issue 22): no second write path, no second visibility rule."""

    name = "social.mastodon"
    label = "mastodon"
    verbose_name = "Mastodon client API"
    default_auto_field = "django.db.models.BigAutoField"
