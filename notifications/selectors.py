"""Reads for notifications: the list, its grouping for the page, unread counts, live payloads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from config.kernel.api.pagination import PageRequest, keyset_page
from config.kernel.languages import supported
from config.kernel.sql import any_of, one_value
from config.kernel.timefmt import iso_z
from notifications import catalogue
from notifications.models import ConversationMute, Notification
from social.graph.muted_words import matcher
from social.graph.visibility import tweets_visible_to, users_visible_to
from social.messages.selectors import unread_conversations
from tweets.card_flags import CardFlag
from tweets.selectors import hydrate
from tweets.serializers import author_json, tweet_json

Verb = Notification.Verb
GROUPED = {Verb.LIKE, Verb.RETWEET, Verb.FOLLOW}  # many people doing the same to the same post
TABS = ("all", "mentions")


def visible_notifications(user, tab: str = "all") -> QuerySet[Notification]:
    """The recipient's notifications whose actor and post they may still see."""
    found = (
        Notification.objects.filter(recipient=user)
        .filter(users_visible_to(user, prefix="actor__"))
        .filter(Q(tweet__isnull=True) | tweets_visible_to(user, prefix="tweet__"))
        .select_related("actor", "tweet")
    )
    if tab == "mentions":
        found = found.filter(verb__in=[Verb.MENTION, Verb.REPLY])
    return found


def notifications_page(user, page: PageRequest, tab: str = "all") -> tuple[list[Notification], int | None]:
    rows, next_cursor = keyset_page(visible_notifications(user, tab), page)
    return _with_cards(rows, user), next_cursor


def with_posts(rows: list[Notification], user) -> list[Notification]:
    """The rows with their posts hydrated for the recipient (`card`), muted-word hits left out."""
    return _with_cards(rows, user)


def _with_cards(rows: list[Notification], user) -> list[Notification]:
    """Each notification's post, hydrated for the recipient (a fixed number of queries).

    Notifications whose post the recipient's muted words hide drop out (their own posts never do).
    """
    # One instance per post: many likes of one post carry copies, and each copy would load its author alone.
    tweets = hydrate(list({n.tweet_id: n.tweet for n in rows if n.tweet is not None}.values()), user)
    by_id = {t.pk: t for t in tweets}
    words = matcher(user, "notifications")
    if words:
        hidden = {pk for pk, t in by_id.items() if t.author_id != user.pk and words.hides(t)}
        rows = [row for row in rows if row.tweet_id not in hidden]
    for row in rows:
        row.card = by_id.get(row.tweet_id)
    return rows


def unread_count(user_id: int) -> int:
    """The Notifications badge: unread notifications, but not direct messages (the Messages badge counts those).

    Only what the list shows: a suspended or deleted actor's notifications don't count. Written out:
    every page's navigation asks, and building the ORM's query cost more than running it. The partial
    index notification_unread (recipient, where unread) finds the rows; the verb is checked on them.
    """
    return one_value(
        f"SELECT count(*) FROM {Notification._meta.db_table} n JOIN {User._meta.db_table} a ON a.id = n.actor_id "  # noqa: S608 - table names
        "WHERE n.recipient_id = %s AND n.read_at IS NULL AND n.verb <> %s AND a.is_active",
        [user_id, Verb.MESSAGE],
    )


@dataclass
class Group:
    """One line on the page: "A, B and 3 others liked your post"."""

    verb: str
    card: object | None
    created_at: datetime
    key: str = ""
    actors: list = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    unread: bool = False

    @property
    def others(self) -> int:
        return max(len(self.actors) - 2, 0)

    @property
    def who(self) -> SafeString:
        """The people, linked, in the reader's language: "A", "A and B", "A, B and 3 others".

        The page's sentence goes around it ("%(who)s liked your post"): the words are the catalogue's,
        the names escaped here.
        """
        links = [
            format_html(
                '<a href="{}"><strong><bdi>{}</bdi></strong></a>', reverse("profile", args=[a.username]), a.display_name
            )
            for a in self.actors[:2]
        ]
        if len(links) < 2:
            return mark_safe(links[0] if links else "")  # noqa: S308 - format_html escaped the name
        if not self.others:
            words = _("%(first)s and %(second)s")
        else:
            words = ngettext(
                "%(first)s, %(second)s and %(count)s other", "%(first)s, %(second)s and %(count)s others", self.others
            )
        return mark_safe(conditional_escape(words) % {"first": links[0], "second": links[1], "count": self.others})  # noqa: S308 - the catalogue's words escaped, the names by format_html


def group_key(row: Notification) -> str:
    """What a line on the page stands for, the same on every page a group spreads over.

    "like:<post id>:<UTC day>" (follows: "follow:-:<day>"), or "n:<notification id>" for one alone.
    """
    if row.verb not in GROUPED:
        return f"n:{row.pk}"
    return f"{row.verb}:{row.tweet_id or '-'}:{row.created_at.date().isoformat()}"


def group(rows: list[Notification]) -> list[Group]:
    """Likes, retweets and follows of the same post on the same day become one line."""
    groups: list[Group] = []
    index: dict[str, Group] = {}
    for row in rows:
        key = group_key(row)
        found = index.get(key)
        if found is None:
            card = getattr(row, "card", None)
            found = index[key] = Group(verb=row.verb, card=card, created_at=row.created_at, key=key)
            groups.append(found)
        if row.actor not in found.actors:
            found.actors.append(row.actor)
        found.ids.append(row.pk)
        found.created_at = max(found.created_at, row.created_at)
        found.unread = found.unread or row.read_at is None
    return groups


GROUP_ACTORS = 3  # the faces an API client shows; `count` says how many people in all


def group_json(found: Group, request=None) -> dict:
    return {
        "groupKey": found.key,
        "type": found.verb,
        "tweet": tweet_json(found.card, request) if found.card is not None else None,
        "actors": [author_json(actor, request) for actor in found.actors[:GROUP_ACTORS]],
        "count": len(found.actors),
        "latestAt": iso_z(found.created_at),
        "read": not found.unread,
        "notificationIds": [str(pk) for pk in found.ids],
    }


def notification_json(row: Notification, request=None) -> dict:
    return {
        "id": str(row.pk),
        "type": row.verb,
        "actor": author_json(row.actor, request),
        "tweet": tweet_json(row.card, request) if getattr(row, "card", None) is not None else None,
        "createdAt": iso_z(row.created_at),
        "read": row.read_at is not None,
    }


def live_notification_event(user: User, notification_id: int) -> dict | None:
    """What an open socket receives: the notification as the API writes it, and as the page shows it."""
    rows = _with_cards(list(visible_notifications(user).filter(pk=notification_id)), user)
    if not rows:
        return None
    # Rendered off any request, so no CSRF token: the page puts its own into the forms it inserts.
    # In the recipient's language (their setting; blank: the site's), not that of whoever acted.
    context = {"group": group(rows)[0], "user": user, "off_request": True}
    with translation.override(supported(user.language) or settings.LANGUAGE_CODE):
        html = render_to_string("notifications/_group.html", context)
    return catalogue.notification(notification_json(rows[0]), html)


def live_unread_event(user_id: int) -> dict:
    """Both badges at once: unread notifications, and conversations with unread messages."""
    return catalogue.unread(unread_count(user_id), unread_conversations(user_id))


# --- muted conversations ------------------------------------------------------------------


def conversation_of(tweet) -> int:
    """The thread a post belongs to: its root's id (a root, or a post from before threads, is its own)."""
    return tweet.conversation_id or tweet.pk


def has_muted(user_id: int, conversation_ids) -> bool:
    """Asked for every like, retweet, reply and mention a person is told of: a hand-written query (sql.one_value)."""
    among, params = any_of("conversation_id", sorted(set(conversation_ids)))
    sql = f"SELECT 1 FROM {ConversationMute._meta.db_table} WHERE user_id = %s AND {among} LIMIT 1"  # noqa: S608
    return one_value(sql, [user_id, *params]) is not None


def muted_flag(*, viewer_id: int | None, tweets) -> CardFlag:
    """Cards' `conversation_muted`, for `tweets.hooks.card_flags`: rides in the query of the viewer's likes."""
    flag = CardFlag(label="convmute", attribute="conversation_muted", key=conversation_of)
    conversations = sorted({conversation_of(t) for t in tweets})
    if viewer_id is None or not conversations:
        return flag
    among, params = any_of("conversation_id", conversations)
    sql = f"SELECT 'convmute', conversation_id FROM {ConversationMute._meta.db_table} WHERE user_id = %s AND {among}"  # noqa: S608
    return CardFlag(flag.label, flag.attribute, flag.key, sql, [viewer_id, *params])
