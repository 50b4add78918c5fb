"""Mastodon's entities (Account, Status, Relationship, ...) written from Chirp's objects.

Statuses come from hydrated tweets (tweets.selectors.hydrate): media, polls, cards and the
viewer's flags are already on them. What the tweet card doesn't carry (an account's bio,
header and post count) is loaded here once per batch: two queries for any number of accounts.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.templatetags.static import static
from django.utils.html import escape, linebreaks

from accounts.models import User
from config.kernel.routers import read_connection
from config.kernel.sql import any_of
from config.kernel.template_urls import here, url_maker
from config.kernel.timefmt import iso_z
from social.graph.models import Follow, FollowRequest
from social.graph.visibility import RelationSet, viewer_id_of
from tweets.cards import render_text
from tweets.models import Tweet

DEFAULT_AVATAR = "icons/icon-192.png"  # clients expect an image URL, never null
_REPLY_TO = Tweet._meta.get_field("reply_to")


def _absolute(request, path: str) -> str:
    """`path` (from the site's root) as a full URL; the scheme and host are worked out once a request."""
    if request is None:
        return path
    base = getattr(request, "_mastodon_base", None)
    if base is None:
        base = request._mastodon_base = request.build_absolute_uri("/").removesuffix("/")
    return base + path


def _media(request, field) -> str | None:
    """A stored file's full URL (accounts.serializers.media_url, with the host worked out once a request)."""
    if not field:
        return None
    url = field.url
    return _absolute(request, url) if url.startswith("/") else url


def _default_avatar(request) -> str:
    # The hashed static name is looked up in the manifest: once a request, not once an account.
    found = getattr(request, "_mastodon_avatar", None)
    if found is None:
        found = _absolute(request, static(DEFAULT_AVATAR))
        if request is not None:
            request._mastodon_avatar = found
    return found


def profile_url(request, username: str) -> str:
    return _absolute(request, f"/@{username}")


def status_url(request, tweet) -> str:
    return _absolute(request, f"/@{tweet.author.username}/status/{tweet.pk}")


# --- accounts -------------------------------------------------------------------------------


class AccountRow(NamedTuple):
    """What an Account entity is written from: a user row's columns, read as a tuple (no model)."""

    id: int
    username: str
    name: str
    is_private: bool
    date_joined: datetime
    bio: str
    avatar: str  # the stored file's name, or ""
    header: str
    followers_count: int
    following_count: int
    statuses_count: int
    last_status_at: datetime | None

    @classmethod
    def of(cls, user: User) -> AccountRow:
        return cls(*(getattr(user, name) for name in cls._fields[:6]), user.avatar.name or "",
                   user.header.name or "", *(getattr(user, name) for name in cls._fields[8:]))  # fmt: skip


_ACCOUNTS_SQL = f"SELECT {', '.join(AccountRow._fields)} FROM {User._meta.db_table} WHERE id = ANY(%s::bigint[])"  # noqa: S608
_STORAGE = User._meta.get_field("avatar").storage


class Accounts:
    """Account entities for a batch of user ids, loaded together: one query for any number of them,
    read as tuples. The post counts are columns kept by a trigger (tweets migration 0013)."""

    def __init__(self, request, user_ids) -> None:
        self.request = request
        ids = {i for i in user_ids if i is not None}
        self.rows: dict[int, AccountRow] = {}
        if ids:
            with read_connection(User).cursor() as cursor:
                cursor.execute(_ACCOUNTS_SQL, any_of("id", ids)[1])
                self.rows = {row[0]: AccountRow(*row) for row in cursor.fetchall()}
        self._json: dict[int, dict] = {}

    def get(self, user_id: int) -> dict | None:
        if user_id not in self._json and user_id in self.rows:
            self._json[user_id] = _account(self.rows[user_id], self.request)
        return self._json.get(user_id)

    def many(self, users) -> list[dict]:
        return [found for u in users if (found := self.get(u.pk)) is not None]


def _file_url(request, name: str) -> str | None:
    if not name:
        return None
    url = _STORAGE.url(name)
    return _absolute(request, url) if url.startswith("/") else url


def account_json(user: User, request) -> dict:
    return _account(AccountRow.of(user), request)


def _account(row: AccountRow, request) -> dict:
    avatar = _file_url(request, row.avatar) or _default_avatar(request)
    header = _file_url(request, row.header) or ""
    profile = profile_url(request, row.username)
    return {
        "id": str(row.id),
        "username": row.username,
        "acct": row.username,  # one server: no @domain part
        "display_name": row.name or row.username,
        "locked": row.is_private,
        "bot": False,
        "discoverable": True,
        "indexable": not row.is_private,
        "group": False,
        "created_at": iso_z(row.date_joined),
        "note": linebreaks(escape(row.bio)) if row.bio else "",
        "url": profile,
        "uri": profile,
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": row.followers_count,
        "following_count": row.following_count,
        "statuses_count": row.statuses_count,
        "last_status_at": row.last_status_at.date().isoformat() if row.last_status_at else None,
        "emojis": [],
        "fields": [],
    }


def accounts_json(users, request) -> list[dict]:
    users = list(users)
    return Accounts(request, [u.pk for u in users]).many(users)


# --- statuses -------------------------------------------------------------------------------


def _authors_of(tweets) -> set[int]:
    ids = set()
    for tweet in tweets:
        ids.add(tweet.author_id)
        original = getattr(tweet, "original", tweet)
        if original is not None:
            ids.add(original.author_id)
            if getattr(original, "quoted", None) is not None:
                ids.add(original.quoted.author_id)
    return ids


def statuses_json(tweets, request, accounts: Accounts | None = None) -> list[dict]:
    """Status entities for hydrated tweets, in their order."""
    tweets = list(tweets)
    accounts = accounts or Accounts(request, _authors_of(tweets))
    return [status_json(t, request, accounts) for t in tweets]


def status_json(tweet, request, accounts: Accounts) -> dict:
    original = getattr(tweet, "original", tweet)
    if tweet.retweet_of_id and original is not None and original.pk != tweet.pk:
        inner = _status(original, request, accounts)
        outer = _status(tweet, request, accounts, bare=True)
        for flag in ("favourited", "reblogged", "bookmarked", "muted"):
            outer[flag] = inner[flag]
        outer["reblog"] = inner
        return outer
    return _status(tweet, request, accounts)


def _reply_account_id(tweet) -> str | None:
    if not tweet.reply_to_id or not _REPLY_TO.is_cached(tweet):
        return None
    parent = tweet.reply_to
    return str(parent.author_id) if parent is not None else None


def _urls(request):
    """One url_maker per request: the URL conf, prefix and language are read once, not per link."""
    if request is None:
        return url_maker(here())
    urls = getattr(request, "_mastodon_urls", None)
    if urls is None:
        urls = request._mastodon_urls = url_maker(here())
    return urls


def _content(tweet, request) -> str:
    html = str(render_text(tweet, _urls(request))).replace('href="/', f'href="{_absolute(request, "/")}')
    return f"<p>{html}</p>" if html else ""


def _status(tweet, request, accounts: Accounts, *, bare: bool = False) -> dict:
    entities = tweet.entities or []
    author_private = tweet.author.is_private
    url = status_url(request, tweet)
    body = {
        "id": str(tweet.pk),
        "created_at": iso_z(tweet.created_at),
        "in_reply_to_id": str(tweet.reply_to_id) if tweet.reply_to_id else None,
        "in_reply_to_account_id": _reply_account_id(tweet),
        "sensitive": bool(tweet.sensitive or tweet.content_warning),
        "spoiler_text": tweet.content_warning or "",
        "visibility": "private" if author_private else "public",
        "language": None,
        "uri": url,
        "url": url,
        "replies_count": tweet.reply_count,
        "reblogs_count": tweet.retweet_count,
        "favourites_count": tweet.like_count,
        "quotes_count": tweet.quote_count,
        "edited_at": iso_z(tweet.edited_at),
        "content": "" if bare else _content(tweet, request),
        "reblog": None,
        "application": None,
        "account": accounts.get(tweet.author_id),
        "media_attachments": [] if bare else [media_json(m, request) for m in getattr(tweet, "media_list", [])],
        "mentions": [] if bare else mentions_json(entities, request),
        "tags": [] if bare else tags_json(entities, request),
        "emojis": [],
        "card": None if bare else card_json(getattr(tweet, "preview_card", None), request),
        "poll": None if bare else poll_json(getattr(tweet, "poll_view", None)),
        "quote": None,
        "favourited": bool(getattr(tweet, "viewer_liked", False)),
        "reblogged": bool(getattr(tweet, "viewer_retweeted", False)),
        "muted": bool(getattr(tweet, "conversation_muted", False)),
        "bookmarked": bool(getattr(tweet, "viewer_bookmarked", False)),
        "pinned": bool(getattr(tweet, "pinned", False)),
        "filtered": [],
    }
    quoted = getattr(tweet, "quoted", None)
    if not bare and tweet.quote_of_id and getattr(tweet, "quote_state", None) != "nested":
        # Mastodon 4.5's Quote: the quoted post when the viewer may see it, else only its state.
        if quoted is not None:
            body["quote"] = {"state": "accepted", "quoted_status": _status(quoted, request, accounts)}
        else:
            body["quote"] = {"state": "unauthorized" if tweet.quote_state == "unavailable" else "deleted",
                             "quoted_status": None}  # fmt: skip
    return body


def mentions_json(entities, request) -> list[dict]:
    return [
        {
            "id": str(e["user_id"]),
            "username": e["username"],
            "acct": e["username"],
            "url": profile_url(request, e["username"]),
        }
        for e in entities
        if e.get("type") == "mention" and e.get("user_id")
    ]


def tags_json(entities, request) -> list[dict]:
    tags = dict.fromkeys(e["tag"] for e in entities if e.get("type") == "hashtag")
    return [{"name": tag, "url": _absolute(request, f"/hashtag/{tag}")} for tag in tags]


MEDIA_TYPES = {"image": "image", "gif": "gifv", "video": "video"}


def media_json(item, request) -> dict:
    url = _media(request, item.file)
    preview = _media(request, item.thumbnail) or url
    meta = {}
    if item.width and item.height:
        meta["original"] = {"width": item.width, "height": item.height, "size": f"{item.width}x{item.height}",
                            "aspect": item.width / item.height}  # fmt: skip
        if item.duration:
            meta["original"]["duration"] = item.duration
    return {
        "id": str(item.pk),
        "type": MEDIA_TYPES.get(item.kind, "unknown"),
        "url": url,
        "preview_url": preview,
        "remote_url": None,
        "meta": meta,
        "description": item.alt_text or None,
        "blurhash": item.blurhash or None,
    }


def card_json(card, request) -> dict | None:
    if card is None or card.state != "ok":
        return None
    return {
        "url": card.url,
        "title": card.title,
        "description": card.description,
        "type": "link",
        "author_name": "",
        "author_url": "",
        "provider_name": card.site_name,
        "provider_url": "",
        "html": "",
        "width": card.image_width or 0,
        "height": card.image_height or 0,
        "image": _media(request, card.image),
        "embed_url": "",
        "blurhash": None,
    }


def poll_json(view) -> dict | None:
    """Mastodon's Poll from Chirp's PollView; counts hidden until results (own_votes: 0-based indexes)."""
    if view is None:
        return None
    shown = view.results
    return {
        "id": str(view.id),
        "expires_at": iso_z(view.closes_at),
        "expired": view.closed,
        "multiple": view.multiple,
        "votes_count": view.votes,
        "voters_count": view.voters,
        "options": [{"title": c.text, "votes_count": c.votes if shown else None} for c in view.choices],
        "emojis": [],
        "voted": view.voted if view.signed_in else None,
        "own_votes": [position - 1 for position in view.own_choices],
    }


# --- relationships ---------------------------------------------------------------------------


def relationships_json(viewer, users) -> list[dict]:
    """Relationships of the viewer with `users`, in four queries for any number of them."""
    users = list(users)
    ids = [u.pk for u in users]
    relations = RelationSet.for_viewer(viewer, ids)
    relations.load_requests(ids)
    me = viewer_id_of(viewer)
    followed_by = set(Follow.objects.filter(followee_id=me, follower_id__in=ids).values_list("follower_id", flat=True))
    requested_by = set(
        FollowRequest.objects.filter(target_id=me, requester_id__in=ids).values_list("requester_id", flat=True)
    )
    return [
        {
            "id": str(u.pk),
            "following": u.pk in relations.following,
            "showing_reblogs": True,
            "notifying": False,
            "languages": None,
            "followed_by": u.pk in followed_by,
            "blocking": u.pk in relations.blocked,
            "blocked_by": u.pk in relations.blocked_by,
            "muting": u.pk in relations.muted,
            "muting_notifications": u.pk in relations.muted,
            "requested": u.pk in relations.requested,
            "requested_by": u.pk in requested_by,
            "domain_blocking": False,
            "endorsed": False,
            "note": "",
        }
        for u in users
    ]
