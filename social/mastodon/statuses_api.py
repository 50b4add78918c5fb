"""Mastodon's statuses: posting, reading, editing, deleting and the per-post actions.

Every write goes through tweets.services (or tweets.draft_services for a scheduled post) and every
read through tweets.selectors, so the checks and the visibility rule are Chirp's own.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.dateparse import parse_datetime
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from config.kernel.api.fields import parse_id
from config.kernel.api.idempotency import idempotent
from config.kernel.timefmt import iso_z
from notifications import services as notification_services
from social.graph.visibility import tweets_visible_to
from social.mastodon import entities
from social.mastodon.base import MastodonView
from social.mastodon.reading import MastodonWriteView, flag, form, many, rows_linked, status_or_404, text_field
from tweets import draft_services, services
from tweets import selectors as tweet_selectors
from tweets.models import Tweet

VISIBILITIES = ("public", "unlisted", "private", "direct")
MAX_DESCENDANTS = 200


def _one(request, tweet) -> dict:
    return entities.statuses_json([tweet], request)[0]


def _fresh(request, tweet_id: int) -> dict:
    """The post as the caller sees it now (after a change)."""
    return _one(request, status_or_404(tweet_id, request.user))


def _invalid(message: str):
    return exceptions.ValidationError({"error": message})


def _ids(values, name: str) -> list[int]:
    found = [parse_id(str(v)) for v in values]
    if any(v is None for v in found):
        raise _invalid(f"{name} must hold ids")
    return found


def _poll_input(data) -> tuple[list[str], timedelta | None, bool]:
    """`poll[options][]`, `poll[expires_in]`, `poll[multiple]` (forms) or `poll: {...}` (JSON)."""
    if hasattr(data, "getlist"):
        options = data.getlist("poll[options][]") or data.getlist("poll[options]")
        expires_in, multiple = data.get("poll[expires_in]"), data.get("poll[multiple]")
    else:
        poll = data.get("poll") or {}
        if not isinstance(poll, dict):
            raise _invalid("poll must be an object")
        options, expires_in, multiple = many(poll, "options"), poll.get("expires_in"), poll.get("multiple")
    if not options:
        return [], None, False
    try:
        seconds = int(expires_in)
        duration = timedelta(seconds=seconds)
    except (TypeError, ValueError, OverflowError):
        raise _invalid("poll[expires_in] must be a number of seconds") from None
    if not all(isinstance(o, str) for o in options):
        raise _invalid("poll[options] must be text")
    return options, duration, multiple is not None and flag(multiple)


def _media_attributes(data) -> dict[int, str]:
    """`media_attributes[][id]`, `[][description]` (forms) or `media_attributes: [{...}]` (JSON); no focus."""
    if hasattr(data, "getlist"):
        ids, descriptions = data.getlist("media_attributes[][id]"), data.getlist("media_attributes[][description]")
        if len(ids) != len(descriptions):
            raise _invalid("media_attributes need an id and a description each")
        rows = [{"id": i, "description": d} for i, d in zip(ids, descriptions, strict=True)]
    else:
        rows = many(data, "media_attributes")
    found = {}
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("description", ""), str):
            raise _invalid("media_attributes must hold objects with an id and a text description")
        if "description" in row:
            found[_ids([row.get("id")], "media_attributes")[0]] = row["description"]
    return found


def _visibility(data, user) -> None:
    """Chirp posts follow the account's privacy (docs/DECISIONS.md "Mastodon API: entities and statuses")."""
    visibility = data.get("visibility") or None
    if visibility is None:
        return
    if visibility not in VISIBILITIES:
        raise _invalid(f"visibility must be one of {', '.join(VISIBILITIES)}")
    if visibility == "direct":
        raise _invalid("Direct statuses are not supported: send a direct message through conversations instead")
    if visibility == "private" and not user.is_private:
        raise _invalid("Followers-only posts need a private (locked) account: a Chirp post follows its account")


def scheduled_json(draft, request) -> dict:
    """Mastodon's ScheduledStatus for a scheduled Chirp draft."""
    return {
        "id": str(draft.pk),
        "scheduled_at": iso_z(draft.scheduled_at),
        "params": {
            "text": draft.text,
            "poll": (
                {
                    "options": draft.poll_choices,
                    "expires_in": int(draft.poll_duration.total_seconds()),
                    "multiple": draft.poll_multiple,
                }
                if draft.poll_choices
                else None
            ),
            "media_ids": [str(m.media_id) for m in draft.media_links.all()] or None,
            "sensitive": draft.sensitive,
            "spoiler_text": draft.content_warning,
            "visibility": "private" if draft.author.is_private else "public",
            "in_reply_to_id": str(draft.reply_to_id) if draft.reply_to_id else None,
            "language": None,
            "application_id": None,
            "scheduled_at": None,
            "idempotency": None,
            "with_rate_limit": False,
        },
        "media_attachments": [],
    }


class StatusesView(MastodonWriteView):
    oauth_scopes = {"POST": "write:statuses"}
    permission_classes = [IsAuthenticated]

    @idempotent
    def post(self, request):
        data = form(request)
        _visibility(data, request.user)
        media_ids = _ids(many(data, "media_ids"), "media_ids")
        choices, duration, multiple = _poll_input(data)
        reply_raw = data.get("in_reply_to_id") or None
        reply_to_id = parse_id(str(reply_raw)) if reply_raw else None
        if reply_raw and reply_to_id is None:
            raise exceptions.NotFound("Record not found")
        common = {
            "author": request.user,
            "text_input": text_field(data, "status"),
            "media_ids": media_ids,
            "reply_to_id": reply_to_id,
            "content_warning": text_field(data, "spoiler_text"),
            "sensitive": flag(data.get("sensitive", False)),
            "poll_choices": choices,
            "poll_duration": duration,
            "poll_multiple": multiple,
        }
        if data.get("scheduled_at"):
            try:
                when = parse_datetime(str(data["scheduled_at"]))
            except ValueError:  # well-formed but impossible, like month 13
                when = None
            if when is None or when.tzinfo is None:
                raise _invalid("scheduled_at must be an ISO 8601 date and time with its zone")
            draft = draft_services.draft_create(scheduled_at=when, **common)
            return Response(scheduled_json(draft, request))
        tweet = services.tweet_create(**common)
        return Response(_fresh(request, tweet.pk))


class StatusView(MastodonWriteView):
    oauth_scopes = "statuses"
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get(self, request, status_id: str):
        return Response(_one(request, status_or_404(status_id, request.user)))

    def put(self, request, status_id: str):
        tweet = status_or_404(status_id, request.user)
        data = form(request)
        given = "media_ids" in data or "media_ids[]" in data  # absent: the images stay as they are
        choices, duration, multiple = _poll_input(data)  # absent: the poll stays as it is
        services.tweet_edit(
            actor=request.user,
            tweet=tweet,
            text_input=text_field(data, "status"),
            content_warning=text_field(data, "spoiler_text") if "spoiler_text" in data else None,
            sensitive=flag(data["sensitive"]) if "sensitive" in data else None,
            media_ids=_ids(many(data, "media_ids"), "media_ids") if given else None,
            alt_texts=_media_attributes(data),
            poll_choices=choices or None,
            poll_duration=duration,
            poll_multiple=multiple,
        )
        return Response(_fresh(request, tweet.pk))

    def delete(self, request, status_id: str):
        tweet = status_or_404(status_id, request.user)
        body = _one(request, tweet)
        body["text"] = tweet.text  # delete-and-redraft: the source text
        body["spoiler_text"] = tweet.content_warning or ""
        services.tweet_delete(actor=request.user, tweet=tweet)
        return Response(body)


class StatusSourceView(MastodonView):
    oauth_scopes = "statuses"

    def get(self, request, status_id: str):
        tweet = status_or_404(status_id, request.user).original
        return Response({"id": str(tweet.pk), "text": tweet.text, "spoiler_text": tweet.content_warning or ""})


class StatusHistoryView(MastodonView):
    oauth_scopes = "statuses"

    def get(self, request, status_id: str):
        tweet = status_or_404(status_id, request.user).original
        current = _one(request, tweet)
        edits = sorted(tweet_selectors.edit_history(tweet), key=lambda e: e.written_at)
        images = tweet_selectors.media_by_id([i for edit in edits for i in edit.media_ids or ()])

        def attachments(edit) -> list:
            if edit.media_ids is None:  # saved before versions kept their images
                return current["media_attachments"]
            return [entities.media_json(images[i], request) for i in edit.media_ids if i in images]

        versions = [
            {
                **_version(current),
                "content": entities._content(edit, request),
                "created_at": iso_z(edit.written_at),
                "media_attachments": attachments(edit),
                "poll": current["poll"] if edit.poll_choices is None else _version_poll(edit.poll_choices),
            }
            for edit in edits
        ]
        latest = {**_version(current), "created_at": current["edited_at"] or current["created_at"]}
        return Response([*versions, latest])


def _version_poll(choices: list[str]) -> dict | None:
    """An earlier version's poll, as Mastodon's StatusEdit shows it: its options' titles."""
    return {"options": [{"title": choice} for choice in choices]} if choices else None


def _version(status: dict) -> dict:
    keep = ("content", "spoiler_text", "sensitive", "account", "poll", "media_attachments", "emojis")
    return {key: status[key] for key in keep}


class StatusContextView(MastodonView):
    oauth_scopes = "statuses"

    def get(self, request, status_id: str):
        tweet = status_or_404(status_id, request.user).original
        above, _ = tweet_selectors.ancestors(tweet, request.user)
        below = _descendants(tweet, request.user)
        return Response(
            {"ancestors": entities.statuses_json(above, request), "descendants": entities.statuses_json(below, request)}
        )


def _descendants(tweet, viewer) -> list:
    """The replies below `tweet` in its thread that the viewer may see, depth first, oldest first."""
    conversation = tweet.conversation_id or tweet.pk
    rows = (
        Tweet.objects.filter(conversation_id=conversation, id__gt=tweet.pk, retweet_of__isnull=True)
        .filter(tweets_visible_to(viewer))
        .order_by("id")
        .values_list("id", "reply_to_id")[:2000]
    )
    children: dict[int, list[int]] = {}
    for tweet_id, parent_id in rows:
        children.setdefault(parent_id, []).append(tweet_id)
    order, stack = [], list(reversed(children.get(tweet.pk, [])))
    while stack and len(order) < MAX_DESCENDANTS:
        current = stack.pop()
        order.append(current)
        stack.extend(reversed(children.get(current, [])))
    if not order:
        return []
    by_id = {t.pk: t for t in tweet_selectors.tweets_with_authors().filter(pk__in=order)}
    return tweet_selectors.hydrate([by_id[i] for i in order if i in by_id], viewer)


class StatusCardView(MastodonView):
    oauth_scopes = "statuses"

    def get(self, request, status_id: str):
        tweet = status_or_404(status_id, request.user).original
        return Response(entities.card_json(getattr(tweet, "preview_card", None), request) or {})


# --- actions: each answers the post as it is afterwards ---------------------------------------


class _ActionView(MastodonWriteView):
    permission_classes = [IsAuthenticated]

    def act(self, user, tweet_id: int) -> int:  # the id of the post to answer with
        raise NotImplementedError

    def post(self, request, status_id: str):
        tweet = status_or_404(status_id, request.user)
        return Response(_fresh(request, self.act(request.user, tweet.pk)))


def _action(name: str, scope: str, act):
    """A view class per action, so each declares its own scope."""
    return type(
        name, (_ActionView,), {"oauth_scopes": {"POST": scope}, "act": staticmethod(act), "__module__": __name__}
    )


def _favourite(user, tweet_id):
    return services.like_create(user=user, tweet_id=tweet_id).pk


def _unfavourite(user, tweet_id):
    return services.like_delete(user=user, tweet_id=tweet_id).pk


def _reblog(user, tweet_id):
    _, retweet = services.retweet_create(user=user, tweet_id=tweet_id)
    return retweet.pk  # Mastodon answers the boost, with the post inside it


def _unreblog(user, tweet_id):
    return services.retweet_delete(user=user, tweet_id=tweet_id).pk


def _bookmark(user, tweet_id):
    return services.bookmark_create(user=user, tweet_id=tweet_id).pk


def _unbookmark(user, tweet_id):
    services.bookmark_delete(user=user, tweet_id=tweet_id)
    return tweet_id


def _pin(user, tweet_id):
    return services.tweet_pin(user=user, tweet_id=tweet_id).pk


def _unpin(user, tweet_id):
    return services.tweet_unpin(user=user, tweet_id=tweet_id).pk


def _mute(user, tweet_id):
    notification_services.conversation_mute(user=user, tweet_id=tweet_id)
    return tweet_id


def _unmute(user, tweet_id):
    notification_services.conversation_unmute(user=user, tweet_id=tweet_id)
    return tweet_id


FavouriteView = _action("FavouriteView", "write:favourites", _favourite)
UnfavouriteView = _action("UnfavouriteView", "write:favourites", _unfavourite)
ReblogView = _action("ReblogView", "write:statuses", _reblog)
UnreblogView = _action("UnreblogView", "write:statuses", _unreblog)
BookmarkView = _action("BookmarkView", "write:bookmarks", _bookmark)
UnbookmarkView = _action("UnbookmarkView", "write:bookmarks", _unbookmark)
PinView = _action("PinView", "write:statuses", _pin)
UnpinView = _action("UnpinView", "write:statuses", _unpin)
MuteView = _action("MuteView", "write:mutes", _mute)
UnmuteView = _action("UnmuteView", "write:mutes", _unmute)


# --- who favourited or boosted ------------------------------------------------------------------


class FavouritedByView(MastodonView):
    oauth_scopes = "statuses"
    select, attribute = staticmethod(tweet_selectors.liker_rows), "user"

    def get(self, request, status_id: str):
        tweet = status_or_404(status_id, request.user).original
        return rows_linked(
            request,
            self.select(tweet, request.user),
            lambda rows: entities.accounts_json([getattr(r, self.attribute) for r in rows], request),
        )


class RebloggedByView(FavouritedByView):
    select, attribute = staticmethod(tweet_selectors.retweet_rows), "author"
