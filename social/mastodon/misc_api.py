"""Mastodon's polls, reports, trends and search (v2), over Chirp's services and selectors.

Polls: `choices[]` are 0-based indexes (as Mastodon); several only for a multiple-choice poll.
Reports: Chirp reports one thing at a time; `status_ids[]` make one report per post (all or none,
each post the account's own), none reports the account. Categories: spam -> spam, violation ->
abuse, legal and other -> other. The answer is Mastodon's Report with the first report's id.
Trends: tags are Chirp's trends; statuses are the last day's visible posts of public accounts with
the most likes and reposts; links are none (Chirp ranks no links).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.kernel.api.fields import parse_id
from config.kernel.api.pagination import PageRequest
from config.kernel.errors import ServiceError
from config.kernel.timefmt import iso_z
from search import query as search_query
from search import selectors as search_selectors
from search import trends
from social.graph.visibility import tweets_visible_to
from social.mastodon import entities
from social.mastodon.base import MastodonView, page_params
from social.mastodon.reading import MastodonWriteView, account_or_404, many, status_or_404
from social.moderation import services as moderation_services
from social.moderation.models import Report
from tweets import poll_votes
from tweets import selectors as tweet_selectors
from tweets.models import Poll

# --- polls ---------------------------------------------------------------------------------------


def _poll_status(request, poll_id: str):
    poll = Poll.objects.filter(pk=parse_id(poll_id) or 0).only("tweet_id").first()
    if poll is None:
        raise Http404
    tweet = status_or_404(poll.tweet_id, request.user)  # a poll shows only with its post
    if getattr(tweet, "poll_view", None) is None:
        raise Http404
    return tweet


class PollView(MastodonView):
    oauth_scopes = "statuses"

    def get(self, request, poll_id: str):
        return Response(entities.poll_json(_poll_status(request, poll_id).poll_view))


class PollVotesView(MastodonWriteView):
    oauth_scopes = {"POST": "write:statuses"}
    permission_classes = [IsAuthenticated]

    def post(self, request, poll_id: str):
        tweet = _poll_status(request, poll_id)
        view = tweet.poll_view
        choices = many(request.data, "choices")
        indexes = [_index(choice) for choice in choices[:10]]
        count = len(view.choices)
        if not choices or None in indexes or not all(0 <= i < count for i in indexes):
            raise ValidationError({"choices": [f"Each of choices[] must be one of 0 to {count - 1}."]})
        if len(set(indexes)) != len(indexes):
            raise ValidationError({"choices": ["Each choice can be picked once."]})
        if len(indexes) > 1 and not view.multiple:
            raise ValidationError({"choices": ["This poll takes one choice: send exactly one of choices[]."]})
        poll_votes.poll_vote(user=request.user, tweet_id=tweet.pk, positions=[i + 1 for i in indexes])
        return Response(entities.poll_json(status_or_404(tweet.pk, request.user).poll_view))


def _index(value) -> int | None:
    """A 0-based option index from a form string or a JSON number; None for anything else (bools too)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    raw = str(value) if isinstance(value, str) else ""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 3 else None


# --- reports -------------------------------------------------------------------------------------

CATEGORIES = {"spam": Report.Reason.SPAM, "violation": Report.Reason.ABUSE, "legal": Report.Reason.OTHER,
              "other": Report.Reason.OTHER}  # fmt: skip


class ReportsView(MastodonWriteView):
    oauth_scopes = {"POST": "write:reports"}
    permission_classes = [IsAuthenticated]

    def post(self, request):
        data = request.data
        category = data.get("category", "other")
        if not isinstance(category, str) or category not in CATEGORIES:
            raise ValidationError({"category": [f"One of {', '.join(CATEGORIES)}."]})
        comment = data.get("comment", "")
        if not isinstance(comment, str):
            raise ValidationError({"comment": ["A comment is text."]})
        account = account_or_404(data.get("account_id", ""), request.user)
        status_ids = [parse_id(str(raw)) for raw in many(data, "status_ids")]
        if None in status_ids:
            raise ValidationError({"status_ids": ["Status ids are numbers."]})
        with transaction.atomic():
            if not status_ids:
                made = [self._report(request, "user", account.pk, category, comment)]
            else:
                made = []
                for status_id in status_ids:
                    tweet = status_or_404(status_id, request.user)
                    if tweet.original.author_id != account.pk:
                        raise ValidationError({"status_ids": ["Those posts must be the reported account's."]})
                    made.append(self._report(request, "tweet", tweet.pk, category, comment))
        return Response(
            {
                "id": str(made[0].pk),
                "action_taken": False,
                "action_taken_at": None,
                "category": category,
                "comment": made[0].text,
                "forwarded": False,
                "created_at": iso_z(made[0].created_at),
                "status_ids": [str(r.target_id) for r in made if r.target_type == "tweet"] or None,
                "rule_ids": None,
                "target_account": entities.accounts_json([account], request)[0],
            }
        )

    @staticmethod
    def _report(request, target_type, target_id, category, comment) -> Report:
        return moderation_services.report_create(
            reporter=request.user, target_type=target_type, target_id=target_id,
            reason=CATEGORIES[category], text=comment,
        )  # fmt: skip


# --- trends --------------------------------------------------------------------------------------

TRENDS_MAX = 20
MAX_OFFSET = 400  # deeper pages of search or trends are not worth their cost


def tag_json(request, name: str, uses: int | None = None) -> dict:
    history = [] if uses is None else [{"day": str(int(timezone.now().timestamp()) // 86400 * 86400),
                                        "uses": str(uses), "accounts": str(uses)}]  # fmt: skip
    return {"name": name, "url": request.build_absolute_uri(f"/hashtag/{name}"), "history": history,
            "following": False}  # fmt: skip


def _offset_and_limit(request, default: int, maximum: int) -> tuple[int, int]:
    limit = page_params(request, default, maximum)["limit"]
    try:
        offset = min(max(0, int(request.query_params.get("offset", 0))), MAX_OFFSET)
    except ValueError:
        offset = 0
    return offset, limit


class TrendTagsView(MastodonView):
    oauth_scopes = "open"

    def get(self, request):
        offset, limit = _offset_and_limit(request, 10, TRENDS_MAX)
        shown = trends.current()[offset : offset + limit]
        return Response([tag_json(request, t["hashtag"], t["tweet_count"]) for t in shown])


class TrendStatusesView(MastodonView):
    oauth_scopes = "open"

    def get(self, request):
        offset, limit = _offset_and_limit(request, 20, TRENDS_MAX)
        since = timezone.now() - timedelta(days=1)
        rows = (
            tweet_selectors.tweets_with_authors()
            .filter(created_at__gte=since, retweet_of__isnull=True, author__is_private=False)
            .filter(tweets_visible_to(request.user))
            .order_by((F("like_count") + F("retweet_count")).desc(), "-id")[offset : offset + limit]
        )
        return Response(entities.statuses_json(tweet_selectors.hydrate(list(rows), request.user), request))


class TrendLinksView(MastodonView):
    oauth_scopes = "open"

    def get(self, request):
        return Response([])


# --- search --------------------------------------------------------------------------------------

SEARCH_TYPES = ("accounts", "statuses", "hashtags")


class SearchView(MastodonView):
    """`resolve`, `following` and `account_id` are accepted and change nothing (one server: nothing to
    fetch); `offset` pages (up to MAX_OFFSET)."""

    oauth_scopes = {"GET": "read:search"}

    def get(self, request):
        kind = request.query_params.get("type") or None
        if kind is not None and kind not in SEARCH_TYPES:
            raise ValidationError({"type": [f"One of {', '.join(SEARCH_TYPES)}."]})
        try:
            text = search_query.checked(request.query_params.get("q", ""))
        except ServiceError as error:
            raise ValidationError({"q": [error.message]}) from error
        offset, limit = _offset_and_limit(request, 20, 40)
        page = PageRequest(cursor=offset or None, limit=limit)
        body = {"accounts": [], "statuses": [], "hashtags": []}
        if kind in (None, "accounts"):
            people, _ = search_selectors.search_users(request.user, text.lstrip("@"), page)
            body["accounts"] = entities.accounts_json(people, request)
        if kind in (None, "statuses") and request.user.is_authenticated:  # as Mastodon: post search signed in
            wanted = search_query.parse_api(text)
            if wanted is not None:
                # Chirp's search pages by id: an offset reads that many and drops them.
                found, _ = search_selectors.search_tweets(request.user, wanted, PageRequest(None, offset + limit))
                body["statuses"] = entities.statuses_json(found[offset:], request)
        if kind in (None, "hashtags"):
            tags, _ = search_selectors.search_hashtags(request.user, text, page)
            body["hashtags"] = [tag_json(request, t["hashtag"], t["tweet_count"]) for t in tags]
        return Response(body)
