from django.shortcuts import render

from accounts import selectors


def explore(request):
    return render(request, "search/explore.html", {"people": selectors.newest_users(limit=20)})
