"""A report queue for `manage.py seed_demo`."""

from __future__ import annotations

from social.moderation.services import report_create
from tweets.models import Tweet


def seed_reports(users: list) -> int:
    """A short queue for the demo moderator: two open reports on one account's posts and profile."""
    by_name = {u.username: u for u in users}
    target = Tweet.objects.filter(author=by_name["tomas"], retweet_of__isnull=True).order_by("id").first()
    report_create(reporter=by_name["ada"], target_type="tweet", target_id=target.pk, reason="spam",
                  text="Posts the same beer ad everywhere.")  # fmt: skip
    report_create(reporter=by_name["hana"], target_type="user", target_id=by_name["tomas"].pk, reason="spam")
    return 2
