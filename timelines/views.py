from django.shortcuts import render

from config.api.pagination import PageRequest
from timelines import selectors
from tweets.forms import ComposeForm


def home(request):
    if not request.user.is_authenticated:
        return render(request, "timelines/welcome.html")
    page = PageRequest.from_query_or_first(request.GET)
    tweets, next_cursor = selectors.home_from_sql(request.user, page)
    context = {"tweets": tweets, "next_cursor": next_cursor}
    if request.htmx and page.cursor:
        return render(request, "tweets/_feed_page.html", context)
    return render(request, "timelines/home.html", {**context, "form": ComposeForm()})
