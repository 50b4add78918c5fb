from django.apps import AppConfig


class MessagesConfig(AppConfig):
    name = "social.messages"
    label = "direct_messages"
    verbose_name = "Direct messages"
    default_auto_field = "django.db.models.BigAutoField"
