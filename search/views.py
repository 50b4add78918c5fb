from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from config.kernel.api.pagination import PageRequest
from config.kernel.errors import ServiceError
from search import query, selectors, trends
from social.graph import selectors as social_selectors

TABS = {
    "top": pgettext_lazy("search tab", "Top"),
    "latest": pgettext_lazy("search tab", "Latest"),
    "people": pgettext_lazy("search tab", "People"),
    "hashtags": pgettext_lazy("search tab", "Hashtags"),
}


@require_GET
def explore(request):
    context = {
        "trends": trends.current(),
        "tweets": selectors.popular_posts(request.user),
        "suggested": social_selectors.who_to_follow(request.user, limit=10),
        "people": social_selectors.with_relations(request.user, account_selectors.newest_users(limit=20)),
    }
    return render(request, "search/explore.html", context)


def _results(request, text: str, tab: str, page: PageRequest) -> dict:
    if tab == "people":
        people, cursor = selectors.search_users(request.user, query.checked(text), page)
        return {"people": people, "next_cursor": cursor}
    if tab == "hashtags":
        tags, cursor = selectors.search_hashtags(request.user, query.checked(text), page)
        return {"tags": tags, "next_cursor": cursor}
    tweets, cursor = selectors.search_tweets(request.user, query.parse(text), page, sort=tab)
    return {"tweets": tweets, "next_cursor": cursor}


@require_GET
def search(request):
    """/search?q=&tab=top|latest|people|hashtags: the search box's results, a tab each."""
    text = request.GET.get("q", "").strip()
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "top"
    page = PageRequest.from_query_or_first(request.GET)
    context = {"q": text, "tab": tab, "tabs": TABS, "more_query": _without_cursor(request.GET)}
    status = 200
    if text:
        try:
            context |= _results(request, text, tab, page)
        except ServiceError as error:
            context["error"], status = error.message, 400

    if request.htmx and page.cursor and status == 200:
        return render(request, "search/_results.html", context)
    return render(request, "search/search.html", context, status=status)


def _without_cursor(params) -> str:
    params = params.copy()
    params.pop("cursor", None)
    return params.urlencode()


@require_GET
def hashtag(request, tag: str):
    page = PageRequest.from_query_or_first(request.GET)
    tweets, next_cursor = selectors.hashtag_timeline(request.user, tag, page)
    context = {"tag": tag, "tweets": tweets, "next_cursor": next_cursor}
    if request.htmx and page.cursor:
        return render(request, "tweets/_feed_page.html", context)
    context["count"] = selectors.hashtag_tweet_count(request.user, tag)
    return render(request, "search/hashtag.html", context)


@require_GET
def trends_panel(request):
    """The sidebar's trends box, loaded after the page."""
    return render(request, "search/_trends.html", {"trends": trends.current()})


@login_required
@require_GET
def mention_suggestions(request):
    """People for "@jo" in the compose box, as a listbox the compose script drives."""
    prefix = request.GET.get("q", "")[:30]
    people = selectors.mention_candidates(request.user, prefix) if prefix.strip("@ ") else []
    return render(request, "search/_mentions.html", {"people": people, "q": prefix})


@login_required
@require_GET
def hashtag_suggestions(request):
    """Tags for "#te" in the compose box (most used first), in the same listbox as the mentions'."""
    prefix = request.GET.get("q", "")[:50]
    tags, _ = selectors.search_hashtags(request.user, prefix, PageRequest(cursor=None, limit=6))
    return render(request, "search/_hashtag_options.html", {"tags": tags})
