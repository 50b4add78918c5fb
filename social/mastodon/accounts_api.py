"""Mastodon's accounts: get, lookup, statuses, followers, following, relationships, the graph's
actions (through social.graph.services) and follow requests. Not verify/update_credentials."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import selectors as account_selectors
from accounts.models import User
from config.kernel import text as text_rules
from config.kernel.api.fields import parse_id
from search import selectors as search_selectors
from social.graph import selectors as graph_selectors
from social.graph import services as graph_services
from social.graph.models import Follow, FollowRequest
from social.graph.visibility import RelationSet, users_visible_to
from social.mastodon import entities
from social.mastodon.base import MastodonView, page_params
from social.mastodon.reading import MastodonWriteView, account_or_404, id_page, linked, many, query_flag, rows_linked
from tweets import selectors as tweet_selectors

MAX_IDS = 40  # ids[] in one request, as Mastodon caps them


class AccountView(MastodonView):
    oauth_scopes = "accounts"

    def get(self, request, account_id: str):
        return Response(entities.accounts_json([account_or_404(account_id, request.user)], request)[0])


class LookupView(MastodonView):
    oauth_scopes = "accounts"

    def get(self, request):
        acct = request.query_params.get("acct", "").lstrip("@")
        username, _, domain = acct.partition("@")
        if domain and domain.lower() not in {request.get_host().lower(), *settings.ALLOWED_HOSTS}:
            raise Http404  # one server: another domain's account is not here
        user = account_selectors.user_by_username(username) if username else None
        if user is None:
            raise Http404
        return Response(entities.accounts_json([account_or_404(user.pk, request.user)], request)[0])


class AccountStatusesView(MastodonView):
    oauth_scopes = "statuses"

    def get(self, request, account_id: str):
        owner = account_or_404(account_id, request.user)
        page = page_params(request)
        if not RelationSet.for_viewer(request.user, [owner.pk]).can_see_author(owner):
            return Response([])  # a locked account's posts, to someone not following it
        tweets = tweet_selectors.tweets_with_authors().filter(author=owner)
        if query_flag(request, "pinned"):
            tweets = tweets.filter(pk=owner.pinned_tweet_id or 0)
        if query_flag(request, "only_media"):
            tweets = tweets.filter(has_media=True)
        if query_flag(request, "exclude_replies"):
            tweets = tweets.filter(reply_to__isnull=True)
        if query_flag(request, "exclude_reblogs"):
            tweets = tweets.filter(retweet_of__isnull=True)
        if tag := request.query_params.get("tagged"):
            tweets = tweets.filter(hashtags__name=text_rules.hashtag_key(tag))
        rows = id_page(tweets, page)
        shown = tweet_selectors.hydrate(rows, request.user)
        return _statuses_page(request, rows, shown)


def _statuses_page(request, rows, shown):
    body = entities.statuses_json(shown, request)
    newest, oldest = (rows[0].pk, rows[-1].pk) if rows else (None, None)
    return linked(request, body, newest, oldest)


class FollowersView(MastodonView):
    oauth_scopes = "accounts"
    select, attribute = staticmethod(graph_selectors.follower_rows), "follower"

    def get(self, request, account_id: str):
        owner = account_or_404(account_id, request.user)
        return rows_linked(
            request,
            self.select(owner, request.user),
            lambda rows: entities.accounts_json([getattr(r, self.attribute) for r in rows], request),
        )


class FollowingView(FollowersView):
    select, attribute = staticmethod(graph_selectors.following_rows), "followee"


def _listed_ids(request) -> list[int]:
    ids = [parse_id(str(v)) for v in many(request.query_params, "id")][:MAX_IDS]
    return [i for i in ids if i is not None]


class RelationshipsView(MastodonView):
    oauth_scopes = {"GET": "read:follows"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        ids = _listed_ids(request)
        found = User.objects.in_bulk(ids)
        users = [found[i] for i in dict.fromkeys(ids) if i in found]
        return Response(entities.relationships_json(request.user, users))


class FamiliarFollowersView(MastodonView):
    oauth_scopes = {"GET": "read:follows"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        """For each account: the people the caller follows who follow it (visible ones only)."""
        ids = list(dict.fromkeys(_listed_ids(request)))
        mine = Follow.objects.filter(follower=request.user).values("followee_id")
        rows = (
            Follow.objects.filter(followee_id__in=ids, follower_id__in=mine)
            .filter(users_visible_to(request.user, "follower__"))
            .select_related("follower")
            .order_by("-id")
        )
        by_account: dict[int, list] = {i: [] for i in ids}
        for row in rows[: MAX_IDS * 10]:
            by_account[row.followee_id].append(row.follower)
        accounts = entities.Accounts(request, {u.pk for people in by_account.values() for u in people})
        return Response([{"id": str(i), "accounts": accounts.many(people)} for i, people in by_account.items()])


class SearchView(MastodonView):
    oauth_scopes = "accounts"

    def get(self, request):
        needle = request.query_params.get("q", "").strip().lstrip("@")
        limit = page_params(request)["limit"]
        users = search_selectors.prefix_matches(request.user, needle, limit) if needle else []
        return Response(entities.accounts_json(users, request))


class FeaturedTagsView(MastodonView):
    oauth_scopes = "accounts"

    def get(self, request, account_id: str):
        account_or_404(account_id, request.user)
        return Response([])  # Chirp has no featured hashtags


# --- the graph's actions: each answers the Relationship afterwards --------------------------------


class _GraphView(MastodonWriteView):
    permission_classes = [IsAuthenticated]

    def act(self, user, other) -> None:
        raise NotImplementedError

    def post(self, request, account_id: str):
        other = account_or_404(account_id, request.user) if self.needs_visible else _any_account(account_id)
        self.act(request.user, other)
        return Response(entities.relationships_json(request.user, [other])[0])

    needs_visible = True


def _any_account(raw_id) -> User:
    """Unblocking reaches someone a block hides; the account must still exist."""
    user = User.objects.filter(pk=parse_id(str(raw_id)) or 0, is_active=True).first()
    if user is None:
        raise Http404
    return user


def _graph(name: str, scope: str, act, *, needs_visible: bool = True):
    attrs = {"oauth_scopes": {"POST": scope}, "act": staticmethod(act), "needs_visible": needs_visible}
    return type(name, (_GraphView,), {**attrs, "__module__": __name__})


FollowView = _graph("FollowView", "write:follows", lambda u, o: graph_services.follow_create(follower=u, followee=o))
UnfollowView = _graph(
    "UnfollowView", "write:follows", lambda u, o: graph_services.follow_delete(follower=u, followee=o)
)
BlockView = _graph(
    "BlockView", "write:blocks", lambda u, o: graph_services.block_create(blocker=u, blocked=o), needs_visible=False
)
UnblockView = _graph(
    "UnblockView", "write:blocks", lambda u, o: graph_services.block_delete(blocker=u, blocked=o), needs_visible=False
)
MuteView = _graph("MuteView", "write:mutes", lambda u, o: graph_services.mute_create(muter=u, muted=o))
UnmuteView = _graph("UnmuteView", "write:mutes", lambda u, o: graph_services.mute_delete(muter=u, muted=o))


# --- follow requests (Mastodon names them by the requester's account id) ------------------------


class FollowRequestsView(MastodonView):
    oauth_scopes = {"GET": "read:follows"}
    permission_classes = [IsAuthenticated]

    def get(self, request):
        page = page_params(request)
        rows = id_page(
            FollowRequest.objects.filter(target=request.user, requester__is_active=True).select_related("requester"),
            page,
        )
        body = entities.accounts_json([r.requester for r in rows], request)
        newest, oldest = (rows[0].pk, rows[-1].pk) if rows else (None, None)
        return linked(request, body, newest, oldest)


class _RequestAnswerView(MastodonWriteView):
    oauth_scopes = {"POST": "write:follows"}
    permission_classes = [IsAuthenticated]

    def post(self, request, account_id: str):
        requester = _any_account(account_id)
        pending = FollowRequest.objects.filter(target=request.user, requester=requester).first()
        if pending is not None:
            self.answer(request.user, pending.pk)
        elif not Follow.objects.filter(follower=requester, followee=request.user).exists():
            raise Http404
        return Response(entities.relationships_json(request.user, [requester])[0])


class AuthorizeView(_RequestAnswerView):
    @staticmethod
    def answer(user, request_id):
        graph_services.follow_request_approve(target=user, request_id=request_id)


class RejectView(_RequestAnswerView):
    @staticmethod
    def answer(user, request_id):
        graph_services.follow_request_deny(target=user, request_id=request_id)
