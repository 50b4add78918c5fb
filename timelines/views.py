from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import selectors as account_selectors
from config.kernel.api.fields import parse_id
from config.kernel.api.pagination import PageRequest
from social.graph import selectors as social_selectors
from social.graph.visibility import RelationSet
from social.messages import selectors as dm_selectors
from timelines import selectors, services
from tweets import selectors as tweet_selectors
from tweets.forms import ComposeForm

FILTERS = {"": _("All"), "media": _("Media"), "replies": _("Replies"), "retweets": _("Retweets")}


@login_required
def newer(request):
    """The entries above the newest card on the page, for the "new posts" banner (htmx)."""
    since = parse_id(request.GET.get("since", ""))
    tweets = selectors.home_newer(request.user, since) if since else []
    return render(request, "tweets/_feed_page.html", {"tweets": tweets, "next_cursor": None})


def home(request):
    if not request.user.is_authenticated:
        return render(request, "timelines/welcome.html")
    services.note_visit(request.user)
    kind = request.GET.get("filter") if request.GET.get("filter") in selectors.KINDS else None
    rank = "top" if request.GET.get("rank") == "top" else "latest"
    page = PageRequest.from_query_or_first(request.GET)
    tweets, next_cursor = selectors.home_timeline(request.user, page, kind=kind, rank=rank)
    context = {
        "tweets": tweets,
        "next_cursor": next_cursor,
        "kind": kind or "",
        "rank": rank,
        "filters": FILTERS,
        "more_query": "&".join(f for f in (f"filter={kind}" if kind else "", "rank=top" if rank == "top" else "") if f),
    }
    if request.htmx and page.cursor:
        return render(request, "tweets/_feed_page.html", context)
    return render(request, "timelines/home.html", {**context, "form": ComposeForm()})


def profile(request, username: str, tab: str = "tweets"):
    user = account_selectors.user_by_username(username, with_pinned=tab == "tweets")
    if user is None:
        raise Http404("No such user.")
    if user.username != username:
        return redirect(request.path.replace(f"@{username}", f"@{user.username}", 1), permanent=True)
    page = PageRequest.from_query_or_first(request.GET)
    tweets, next_cursor = tweet_selectors.profile_timeline(user, request.user, tab, page, with_pinned=True)
    social_selectors.with_relations(request.user, [user])
    is_owner = request.user.pk == user.pk
    context = {
        "profile_user": user,
        "tab": tab,
        "tweets": tweets,
        "next_cursor": next_cursor,
        "can_see_posts": RelationSet.for_viewer(request.user, [user.pk]).can_see_author(user),
        "pending_requests": social_selectors.pending_request_count(user) if is_owner and user.is_private else 0,
        # A callable: templates call it, so only the full page (not a feed fragment) pays for it.
        "can_message": lambda: dm_selectors.may_message(request.user, user),
    }
    if request.htmx and page.cursor:
        return render(request, "tweets/_feed_page.html", context)
    return render(request, "accounts/profile.html", context)
