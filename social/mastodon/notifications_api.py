"""Mastodon's notifications, v1 (one by one) and v2 (grouped, Mastodon 4.3), over Chirp's own.

The rows are Chirp's (notifications.selectors: the actor and post the recipient
may still see, muted words applied); only their shape is Mastodon's. Chirp's
verbs map onto Mastodon's types; those with no Mastodon type (a direct message,
an export, a follow accepted, a removed post) are left out here: a Mastodon
client shows direct messages as conversations.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.kernel.api.fields import parse_id
from config.kernel.timefmt import iso_z
from notifications import selectors, services
from notifications.models import Notification
from social.mastodon import entities
from social.mastodon.base import MastodonView, page_params
from social.mastodon.reading import MastodonWriteView, id_page, linked, many

Verb = Notification.Verb
TYPES = {  # Chirp verb -> Mastodon notification type
    Verb.MENTION: "mention",
    Verb.REPLY: "mention",
    Verb.RETWEET: "reblog",
    Verb.LIKE: "favourite",
    Verb.FOLLOW: "follow",
    Verb.FOLLOW_REQUEST: "follow_request",
    Verb.POLL_ENDED: "poll",
    Verb.QUOTE: "quote",
}
VERBS: dict[str, list[str]] = {}
for _verb, _type in TYPES.items():
    VERBS.setdefault(_type, []).append(_verb)
GROUPED_TYPES = {"favourite", "reblog", "follow"}  # as Chirp's page groups them
PAGE_MAX = 80  # Mastodon's cap for notifications


def _rows(request, page: dict):
    """The page of the caller's notifications (newest first), filtered by Mastodon's type parameters."""
    found = selectors.visible_notifications(request.user).filter(verb__in=list(TYPES))
    types = many(request.query_params, "types")
    if types:
        found = found.filter(verb__in=[v for t in types for v in VERBS.get(t, [])])
    excluded = many(request.query_params, "exclude_types")
    if excluded:
        found = found.exclude(verb__in=[v for t in excluded for v in VERBS.get(t, [])])
    account_id = parse_id(request.query_params.get("account_id", ""))
    if account_id is not None:
        found = found.filter(actor_id=account_id)
    rows = id_page(found, page)
    return rows, selectors.with_posts(rows, request.user)


def notifications_json(rows, request) -> list[dict]:
    """Notification entities for rows carrying their hydrated post (`card`), in order; three queries more."""
    cards = list({r.tweet_id: r.card for r in rows if getattr(r, "card", None) is not None}.values())
    accounts = entities.Accounts(request, {r.actor_id for r in rows})
    statuses = {t.pk: s for t, s in zip(cards, entities.statuses_json(cards, request), strict=True)}
    return [
        {
            "id": str(row.pk),
            "type": TYPES[row.verb],
            "group_key": group_key(row),
            "created_at": iso_z(row.created_at),
            "account": accounts.get(row.actor_id),
            "status": statuses.get(row.tweet_id),
        }
        for row in rows
        if accounts.get(row.actor_id) is not None
    ]


def group_key(row: Notification) -> str:
    """Mastodon's key: `ungrouped-<id>`, or `<type>-<post id>-<UTC day>` for likes, reblogs and follows."""
    kind = TYPES[row.verb]
    if kind not in GROUPED_TYPES:
        return f"ungrouped-{row.pk}"
    return f"{kind}-{row.tweet_id or 0}-{row.created_at.date().isoformat()}"


def _one(request, raw_id) -> Notification:
    notification_id = parse_id(str(raw_id))
    found = selectors.visible_notifications(request.user).filter(verb__in=list(TYPES), pk=notification_id)
    rows = list(found) if notification_id else []
    if not rows:
        raise Http404
    return selectors.with_posts(rows, request.user)[0]


class NotificationsView(MastodonView):
    """GET /api/v1/notifications (a path Chirp's API has too: the caller's token decides which answers)."""

    oauth_scopes = "notifications"
    permission_classes = [IsAuthenticated]

    def get(self, request):
        page = page_params(request, default=40, maximum=PAGE_MAX)
        rows, shown = _rows(request, page)
        newest, oldest = (rows[0].pk, rows[-1].pk) if rows else (None, None)
        return linked(request, notifications_json(shown, request), newest, oldest)


class NotificationView(MastodonView):
    oauth_scopes = "notifications"
    permission_classes = [IsAuthenticated]

    def get(self, request, notification_id):
        return Response(notifications_json([_one(request, notification_id)], request)[0])


class DismissView(MastodonWriteView):
    oauth_scopes = "notifications"
    permission_classes = [IsAuthenticated]

    def post(self, request, notification_id):
        found = _one(request, notification_id)
        services.dismiss(recipient=request.user, notification_ids=[found.pk])
        return Response({})


class ClearView(MastodonWriteView):
    oauth_scopes = "notifications"
    permission_classes = [IsAuthenticated]

    def post(self, request):
        services.dismiss(recipient=request.user)
        return Response({})


class UnreadCountView(MastodonView):
    """Unread notifications (the badge Chirp shows), up to `limit` (Mastodon's default 100, at most 1,000)."""

    oauth_scopes = "notifications"
    permission_classes = [IsAuthenticated]

    def get(self, request):
        try:
            limit = max(1, min(int(request.query_params.get("limit", 100)), 1000))
        except ValueError:
            limit = 100
        return Response({"count": min(selectors.unread_count(request.user.pk), limit)})


# --- v2: grouped ----------------------------------------------------------------------------


def grouped_json(rows, request) -> dict:
    """Mastodon 4.3's GroupedNotificationsResults: groups, and the accounts and statuses they name, once each."""
    groups: dict[str, dict] = {}
    samples: dict[str, list[int]] = {}
    for row in rows:
        key = group_key(row)
        found = groups.get(key)
        if found is None:
            found = groups[key] = {
                "group_key": key,
                "notifications_count": 0,
                "type": TYPES[row.verb],
                "most_recent_notification_id": str(row.pk),
                "page_min_id": str(row.pk),
                "page_max_id": str(row.pk),
                "latest_page_notification_at": iso_z(row.created_at),
                "sample_account_ids": [],
                "status_id": str(row.tweet_id) if row.tweet_id else None,
            }
            samples[key] = []
        found["notifications_count"] += 1
        found["page_min_id"] = str(min(int(found["page_min_id"]), row.pk))
        if row.actor_id not in samples[key]:
            samples[key].append(row.actor_id)
    for key, found in groups.items():
        found["sample_account_ids"] = [str(i) for i in samples[key][:8]]
    cards = list({r.tweet_id: r.card for r in rows if getattr(r, "card", None) is not None}.values())
    accounts = entities.Accounts(request, {r.actor_id for r in rows})
    return {
        "accounts": [a for i in dict.fromkeys(r.actor_id for r in rows) if (a := accounts.get(i)) is not None],
        "statuses": entities.statuses_json(cards, request),
        "notification_groups": list(groups.values()),
    }


class GroupedNotificationsView(MastodonView):
    oauth_scopes = "notifications"
    permission_classes = [IsAuthenticated]

    def get(self, request):
        page = page_params(request, default=40, maximum=PAGE_MAX)
        rows, shown = _rows(request, page)
        newest, oldest = (rows[0].pk, rows[-1].pk) if rows else (None, None)
        response = linked(request, [], newest, oldest)
        response.data = grouped_json(shown, request)
        return response


def _group_rows(request, key: str) -> list[Notification]:
    kind, _, rest = key.partition("-")
    found = selectors.visible_notifications(request.user)
    if kind == "ungrouped":
        rows = list(found.filter(pk=parse_id(rest) or 0, verb__in=list(TYPES)))
    elif kind in GROUPED_TYPES:
        tweet_id, _, day = rest.partition("-")
        found = found.filter(verb__in=VERBS[kind], created_at__date=date.fromisoformat(day))
        tweet = parse_id(tweet_id)
        rows = list(found.filter(tweet_id=tweet) if tweet else found.filter(tweet__isnull=True))
    else:
        rows = []
    if not rows:
        raise Http404
    return rows


def _safe_group_rows(request, key: str) -> list[Notification]:
    try:
        return _group_rows(request, key)
    except ValueError:  # a day that isn't a date
        raise Http404 from None


class GroupView(MastodonView):
    oauth_scopes = "notifications"
    permission_classes = [IsAuthenticated]

    def get(self, request, group_key):
        rows = selectors.with_posts(_safe_group_rows(request, group_key), request.user)
        return Response(grouped_json(rows, request))


class GroupDismissView(MastodonWriteView):
    oauth_scopes = "notifications"
    permission_classes = [IsAuthenticated]

    def post(self, request, group_key):
        rows = _safe_group_rows(request, group_key)
        services.dismiss(recipient=request.user, notification_ids=[r.pk for r in rows])
        return Response({})


class GroupAccountsView(MastodonView):
    oauth_scopes = "notifications"
    permission_classes = [IsAuthenticated]

    def get(self, request, group_key):
        rows = _safe_group_rows(request, group_key)
        actors = list(dict.fromkeys(r.actor for r in rows))
        return Response(entities.accounts_json(actors, request))
