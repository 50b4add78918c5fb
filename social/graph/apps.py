from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "social.graph"
    label = "graph"
    verbose_name = "Follows, blocks and mutes"
    default_auto_field = "django.db.models.BigAutoField"
