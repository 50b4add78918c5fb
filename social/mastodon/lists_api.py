"""Mastodon's lists over timelines.lists_services and lists_selectors (one write path).

Mastodon's lists are their owner's alone, so a list made here is private (`is_private`) and
these paths show only the caller's own lists; Chirp's `description` has no Mastodon field and is
kept as it is. `replies_policy` is always "list" and `exclusive` false (Chirp has neither setting).
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.kernel.api.fields import parse_id
from config.kernel.api.pagination import PageRequest
from social.mastodon import entities
from social.mastodon.base import MastodonView, page_params
from social.mastodon.reading import MastodonWriteView, account_or_404, linked, many
from timelines import lists_selectors as selectors
from timelines import lists_services as services
from timelines.models import List

MEMBERS_DEFAULT, MEMBERS_MAX = 40, 80
MAX_ACCOUNT_IDS = 40


def list_json(lst: List) -> dict:
    return {"id": str(lst.pk), "title": lst.name, "replies_policy": "list", "exclusive": False}


def _own(request, list_id: str) -> List:
    lst = selectors.owned_list(parse_id(list_id), request.user)
    if lst is None:
        raise Http404
    return lst


class ListsView(MastodonWriteView):
    oauth_scopes = "lists"
    permission_classes = [IsAuthenticated]

    def get(self, request):
        lists, _ = selectors.lists_of(request.user, request.user, PageRequest(None, List.MAX_PER_OWNER))
        return Response([list_json(lst) for lst in lists])

    def post(self, request):
        title = request.data.get("title")
        if not isinstance(title, str):
            raise ValidationError({"title": ["Give the list a title."]})
        lst = services.list_create(owner=request.user, name=title, is_private=True)
        return Response(list_json(lst))


class ListView(MastodonWriteView):
    oauth_scopes = "lists"
    permission_classes = [IsAuthenticated]

    def get(self, request, list_id: str):
        return Response(list_json(_own(request, list_id)))

    def put(self, request, list_id: str):
        lst = _own(request, list_id)
        title = request.data.get("title")
        if title is not None and not isinstance(title, str):
            raise ValidationError({"title": ["A title is text."]})
        return Response(list_json(services.list_update(actor=request.user, lst=lst, name=title)))

    def delete(self, request, list_id: str):
        services.list_delete(actor=request.user, lst=_own(request, list_id))
        return Response({})


def _account_ids(request) -> list:
    ids = many(request.data, "account_ids")
    if not ids:
        raise ValidationError({"account_ids": ["Name at least one account."]})
    if len(ids) > MAX_ACCOUNT_IDS:
        raise ValidationError({"account_ids": [f"At most {MAX_ACCOUNT_IDS} accounts at once."]})
    return ids


class ListAccountsView(MastodonWriteView):
    oauth_scopes = "lists"
    permission_classes = [IsAuthenticated]

    def get(self, request, list_id: str):
        lst = _own(request, list_id)
        page = page_params(request, MEMBERS_DEFAULT, MEMBERS_MAX)
        users, cursor = selectors.members(lst, request.user, PageRequest(page["max_id"], page["limit"]))
        return linked(request, entities.accounts_json(users, request), None, cursor)

    def post(self, request, list_id: str):
        """All or none: every account is checked (404 for one the caller can't see) before any is added."""
        lst = _own(request, list_id)
        members = [account_or_404(raw, request.user) for raw in _account_ids(request)]
        with transaction.atomic():
            for member in members:
                services.list_member_add(actor=request.user, lst=lst, member=member)
        return Response({})

    def delete(self, request, list_id: str):
        lst = _own(request, list_id)
        ids = [parse_id(str(raw)) for raw in _account_ids(request)]
        if None in ids:
            raise ValidationError({"account_ids": ["Account ids are numbers."]})
        with transaction.atomic():
            for member_id in ids:
                services.list_member_remove(actor=request.user, lst=lst, member_id=member_id)
        return Response({})


class AccountListsView(MastodonView):
    """The caller's lists that hold this account."""

    oauth_scopes = {"GET": "read:lists"}
    permission_classes = [IsAuthenticated]

    def get(self, request, account_id: str):
        member = account_or_404(account_id, request.user)
        lists = selectors.lists_with_member(request.user, member.pk)
        return Response([list_json(lst) for lst in lists if lst.has_member])


class ListTimelineView(MastodonView):
    """As the home timeline: `max_id` pages older through Chirp's list timeline; `min_id`/`since_id` read newer."""

    oauth_scopes = {"GET": "read:lists"}
    permission_classes = [IsAuthenticated]

    def get(self, request, list_id: str):
        lst = _own(request, list_id)
        page = page_params(request)
        after = page["min_id"] if page["min_id"] is not None else page["since_id"]
        if after is not None:
            entries = selectors.list_newer(request.user, lst, after, page["limit"])
            if page["max_id"] is not None:
                entries = [e for e in entries if e.pk < page["max_id"]]
        else:
            entries, _ = selectors.list_timeline(request.user, lst, PageRequest(page["max_id"], page["limit"]))
        newest, oldest = (entries[0].pk, entries[-1].pk) if entries else (None, None)
        return linked(request, entities.statuses_json(entries, request), newest, oldest)
