"""An edit's images (tweets.services.tweet_edit): which uploads may go on the post, their alt text,
and swapping them in while the images taken off stay for the edit history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.kernel import text
from config.kernel.errors import ServiceError
from tweets import media
from tweets.media_services import ALT_TEXT_MAX
from tweets.models import Media, Tweet

UNKNOWN = gettext_noop("Unknown media id: only your own uploads, not on another post, can go on this post.")


def chosen(*, actor, tweet: Tweet, media_ids: Sequence[int]) -> list[Media]:
    """The post's images after the edit, in order, locked: the author's own uploads that are on this
    post, were taken off it, or are on no post (nor a draft) yet. Anything else refuses the whole edit."""
    wanted = list(dict.fromkeys(media_ids))
    if len(wanted) > settings.TWEET_MAX_IMAGES:
        raise ServiceError(
            _("A post can have at most %(limit)s images.") % {"limit": settings.TWEET_MAX_IMAGES}, field="mediaIds"
        )
    if not wanted:
        return []
    # Back on its own post, an image edited off it (even one first posted from a draft, which keeps its link).
    free = Q(tweet__isnull=True) & (Q(edited_out_of=tweet) | Q(edited_out_of__isnull=True, draft_link__isnull=True))
    rows = list(Media.objects.select_for_update(of=("self",)).filter(Q(tweet=tweet) | free, pk__in=wanted, owner=actor))
    if len(rows) != len(wanted):
        raise ServiceError(_(UNKNOWN), field="mediaIds")
    rows.sort(key=lambda m: wanted.index(m.pk))
    media.check_attachable(rows)
    return rows


def checked_alt_texts(alt_texts: Mapping[int, str] | None, items: Sequence[Media]) -> dict[int, str]:
    """New descriptions for the post's images (after the edit), normalised; an id not among them is refused."""
    found = {}
    ours = {item.pk for item in items}
    for media_id, raw in (alt_texts or {}).items():
        if media_id not in ours:
            raise ServiceError(_("A description names an image that isn't on the post."), field="mediaAttributes")
        alt_text = text.normalise(raw or "").strip()
        if len(alt_text) > ALT_TEXT_MAX:
            raise ServiceError(
                _("A description can be at most %(limit)s characters.") % {"limit": f"{ALT_TEXT_MAX:,}"},
                field="mediaAttributes",
            )
        found[media_id] = alt_text
    return found


def describe(items: Sequence[Media], alt_texts: Mapping[int, str]) -> None:
    """Set the descriptions (not kept in the history, as Mastodon's own edits don't keep them)."""
    changed = [item for item in items if item.pk in alt_texts and alt_texts[item.pk] != item.alt_text]
    for item in changed:
        item.alt_text = alt_texts[item.pk]
    if changed:
        Media.objects.bulk_update(changed, ["alt_text"])


def swap(tweet: Tweet, before: Sequence[Media], after: Sequence[Media]) -> None:
    """Put `after` on the post in its order; what was on it and isn't any more is kept, edited out."""
    keep = {item.pk for item in after}
    removed = [item for item in before if item.pk not in keep]
    for item in removed:
        item.tweet, item.edited_out_of = None, tweet
    for position, item in enumerate(after):
        item.tweet, item.position, item.edited_out_of = tweet, position, None
    Media.objects.bulk_update([*removed, *after], ["tweet", "position", "edited_out_of"])
