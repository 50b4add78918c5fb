from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from config.kernel.api.fields import parse_id
from config.kernel.api.pagination import PageRequest
from timelines import selectors, services
from tweets.forms import ComposeForm

FILTERS = {"": "All", "media": "Media", "replies": "Replies", "retweets": "Retweets"}


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
