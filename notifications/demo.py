"""Demo data for `manage.py seed_demo`: a muted conversation, so the menu shows "Unmute" somewhere."""

from __future__ import annotations

from django.db.models import Count

from config.kernel.errors import ServiceError
from notifications import services
from tweets.models import Tweet


def seed_conversation_mutes(users: list) -> int:
    """'ada' mutes the busiest thread she has a post in (else the busiest she may see); how many were muted."""
    ada = next((u for u in users if u.username == "ada"), None)
    if ada is None:
        return 0
    threads = Tweet.objects.filter(reply_to__isnull=False).values("conversation_id").annotate(n=Count("id"))
    mine = threads.filter(conversation_id__in=Tweet.objects.filter(author=ada).values("conversation_id"))
    for thread in [*mine.order_by("-n")[:3], *threads.order_by("-n")[:10]]:
        try:
            services.conversation_mute(user=ada, tweet_id=thread["conversation_id"])
        except ServiceError:
            continue  # a root she may not see
        return 1
    return 0
