import functools

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
        # Counted only when a page's navigation shows it (htmx fragments don't), once. A callable, which
        # templates call, rather than a lazy object: the badge's plural rule does arithmetic on the count
        # (Spanish's takes "n % 1000000"), which a SimpleLazyObject does not pass on.
        context["unread_notifications"] = functools.cache(lambda: unread_count(user.pk))
        context["unread_messages"] = functools.cache(lambda: unread_conversations(user.pk))
    return context
