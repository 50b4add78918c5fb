from django.shortcuts import render

from accounts import selectors
from social import selectors as social_selectors


def explore(request):
    context = {
        "suggested": social_selectors.who_to_follow(request.user, limit=10),
        "people": social_selectors.with_relations(request.user, selectors.newest_users(limit=20)),
    }
    return render(request, "search/explore.html", context)
