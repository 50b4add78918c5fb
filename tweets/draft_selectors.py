"""Reads for drafts and scheduled posts: only ever the author's own, with their images in one query."""

from __future__ import annotations

from django.db.models import Prefetch, Q, Subquery

from accounts.models import User
from config.kernel.api.pagination import PageRequest, keyset_page
from tweets.models import Draft, DraftMedia


def _base(author: User):
    links = DraftMedia.objects.select_related("media").order_by("position")
    return (
        Draft.objects.filter(author=author)
        .exclude(status=Draft.Status.PUBLISHED)
        .prefetch_related(Prefetch("media_links", queryset=links))
    )


def draft_for(author: User, draft_id: int | None, *, scheduled: bool) -> Draft | None:
    """The author's waiting draft (or scheduled post); anyone else's is None, as if it didn't exist."""
    if draft_id is None:
        return None
    return _base(author).filter(pk=draft_id, scheduled_at__isnull=not scheduled).first()


def drafts(author: User, page: PageRequest) -> tuple[list[Draft], int | None]:
    """Plain drafts, newest first."""
    return keyset_page(_base(author).filter(scheduled_at__isnull=True), page)


def scheduled(author: User, page: PageRequest) -> tuple[list[Draft], int | None]:
    """Scheduled posts (waiting or failed), soonest first; the cursor is the last one's id."""
    rows = _base(author).filter(scheduled_at__isnull=False)
    if page.cursor is not None:
        anchor = Draft.objects.filter(pk=page.cursor, author=author).values("scheduled_at")[:1]
        rows = rows.filter(Q(scheduled_at__gt=Subquery(anchor)) | Q(scheduled_at=Subquery(anchor), pk__gt=page.cursor))
    found = list(rows.order_by("scheduled_at", "id")[: page.limit + 1])
    more = len(found) > page.limit
    found = found[: page.limit]
    return found, (found[-1].pk if more and found else None)


def media_of(draft: Draft) -> list:
    return [link.media for link in draft.media_links.all()]
