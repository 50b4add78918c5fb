"""Mastodon's conversations over Chirp's direct-message conversations (social.messages).

A Chirp DM is not a post, so a conversation's `last_status` is its last message written as a
Status: its own id (message ids come from the same id generator as posts, so no post has it;
GET /statuses/:id answers 404), visibility "direct", the text as content, the other members as
mentions, no media (a DM image is served only through Chirp's access-checked view).
Scopes are Chirp's DM scopes (read:messages, write:messages), not Mastodon's read:statuses:
a token for posts doesn't read messages. DELETE leaves a group; a one-to-one conversation stays
in Chirp (409, Chirp's own refusal).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.html import escape, linebreaks
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.kernel.api.fields import parse_id
from config.kernel.api.pagination import PageRequest
from config.kernel.timefmt import iso_z
from social.mastodon import entities
from social.mastodon.base import page_params
from social.mastodon.reading import MastodonWriteView, linked
from social.messages import selectors as dm_selectors
from social.messages import services as dm_services


def _last_status(view, request, accounts: entities.Accounts) -> dict | None:
    message = view.last_message
    if message is None:
        return None
    return {
        "id": str(message.pk),
        "created_at": iso_z(message.created_at),
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "direct",
        "language": None,
        "uri": None,
        "url": None,
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "edited_at": None,
        "content": linebreaks(escape(message.text)) if message.text else "",
        "reblog": None,
        "application": None,
        "account": accounts.get(message.sender_id),
        "media_attachments": [],
        "mentions": [
            {
                "id": str(u.pk),
                "username": u.username,
                "acct": u.username,
                "url": entities.profile_url(request, u.username),
            }
            for u in view.others
        ],
        "tags": [],
        "emojis": [],
        "card": None,
        "poll": None,
        "favourited": False,
        "reblogged": False,
        "muted": False,
        "bookmarked": False,
        "pinned": False,
        "filtered": [],
    }


def conversations_json(views, request) -> list[dict]:
    ids = {u.pk for v in views for u in v.others} | {v.last_message.sender_id for v in views if v.last_message}
    accounts = entities.Accounts(request, ids)
    return [
        {
            "id": str(v.conversation.pk),
            "unread": bool(v.unread),
            "accounts": [found for u in v.others if (found := accounts.get(u.pk)) is not None],
            "last_status": _last_status(v, request, accounts),
        }
        for v in views
    ]


def _view(request, conversation_id: str):
    view = dm_selectors.conversation_view(request.user, parse_id(conversation_id))
    if view is None:
        raise Http404
    view.last_message = dm_selectors.visible_messages(view.member).order_by("-id").first()
    return view


class ConversationsView(MastodonWriteView):
    oauth_scopes = {"GET": "read:messages"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        page = page_params(request)
        views, cursor = dm_selectors.inbox_page(request.user, PageRequest(page["max_id"], page["limit"]))
        return linked(request, conversations_json(views, request), None, cursor)


class ConversationView(MastodonWriteView):
    oauth_scopes = {"DELETE": "write:messages"}
    permission_classes = [IsAuthenticated]

    def delete(self, request, conversation_id: str):
        view = _view(request, conversation_id)
        dm_services.conversation_leave(user=request.user, conversation_id=view.conversation.pk)
        return Response({})


class ConversationReadView(MastodonWriteView):
    oauth_scopes = {"POST": "write:messages"}
    permission_classes = [IsAuthenticated]

    def post(self, request, conversation_id: str):
        view = _view(request, conversation_id)
        dm_services.conversation_read(user=request.user, conversation_id=view.conversation.pk)
        return Response(conversations_json([view], request)[0])
