"""Describing an upload after the fact (Mastodon's PUT /api/v1/media/:id): its alt text, while unposted.

Kept apart from tweets/services.py (another change is under way there); the same rules as an upload's
`altText`: the owner's own upload, not yet on a post, at most ALT_TEXT_MAX characters.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config.kernel import text
from config.kernel.errors import NotFound, ServiceError
from tweets.models import Media

ALT_TEXT_MAX = 1000  # as tweets.serializers.MediaUploadSerializer.altText


@transaction.atomic
def media_describe(*, owner: User, media_id: int | None, alt_text: str) -> Media:
    unposted = Media.objects.filter(tweet__isnull=True, edited_out_of__isnull=True)  # edited off a post: its history's
    item = unposted.select_for_update().filter(pk=media_id, owner=owner).first()
    if media_id is None or item is None:
        raise NotFound(_("No such upload of yours (a posted one can't be changed here)."))
    alt_text = text.normalise(alt_text).strip()
    if len(alt_text) > ALT_TEXT_MAX:
        raise ServiceError(
            _("A description can be at most %(limit)s characters.") % {"limit": f"{ALT_TEXT_MAX:,}"},
            field="description",
        )
    if alt_text != item.alt_text:
        item.alt_text = alt_text
        item.save(update_fields=["alt_text"])
    return item
