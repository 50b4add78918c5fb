"""Describing an upload after the fact (Mastodon's PUT /api/v1/media/:id): its alt text, while unposted.

Kept apart from tweets/services.py (another change is under way there); the same rules as an upload's
`altText`: the owner's own upload, not yet on a post, at most ALT_TEXT_MAX characters.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from config.kernel import text
from config.kernel.errors import NotFound, ServiceError
from tweets.models import Media

ALT_TEXT_MAX = 1000  # as tweets.serializers.MediaUploadSerializer.altText


@transaction.atomic
def media_describe(*, owner: User, media_id: int | None, alt_text: str) -> Media:
    item = Media.objects.select_for_update().filter(pk=media_id, owner=owner, tweet__isnull=True).first()
    if media_id is None or item is None:
        raise NotFound("No such upload of yours (a posted one can't be changed here).")
    alt_text = text.normalise(alt_text).strip()
    if len(alt_text) > ALT_TEXT_MAX:
        raise ServiceError(f"A description can be at most {ALT_TEXT_MAX:,} characters.", field="description")
    if alt_text != item.alt_text:
        item.alt_text = alt_text
        item.save(update_fields=["alt_text"])
    return item
