from django.conf import settings
from django.utils.functional import SimpleLazyObject

from config.kernel.http import page_path
from notifications.selectors import unread_count
from social.messages.selectors import unread_conversations


def site(request) -> dict:
    """What the base layout needs: where live events come from, and the unread badges."""
    context = {"LIVE_EVENTS_URL": settings.LIVE_EVENTS_URL, "page_path": SimpleLazyObject(lambda: page_path(request))}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # Lazy: counted only when a page's navigation shows it (htmx fragments don't).
        context["unread_notifications"] = SimpleLazyObject(lambda: unread_count(user.pk))
        context["unread_messages"] = SimpleLazyObject(lambda: unread_conversations(user.pk))
    return context
