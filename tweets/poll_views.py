"""The page side of polls: a vote from a post card (htmx swaps the poll; without JavaScript, a redirect back)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.kernel.errors import ServiceError
from config.kernel.http import error_toast, safe_next
from tweets import cards, poll_votes, selectors


@login_required
@require_POST
def vote(request, tweet_id: int):
    raw = request.POST.get("choice", "")
    position = int(raw) if raw.isdigit() and len(raw) <= 2 else 0  # anything else is no choice of the poll
    try:
        poll_votes.poll_vote(user=request.user, tweet_id=tweet_id, position=position)
    except ServiceError as error:
        if request.htmx:
            return error_toast(request, error)
        messages.error(request, error.message)
        return redirect(safe_next(request, reverse("home")))
    if request.htmx:
        tweet = selectors.tweet_for_viewer(tweet_id, request.user)
        shared = cards.page(user=request.user, request=request)
        return HttpResponse(cards.render("tweets/poll.jinja", {"t": tweet.original if tweet else None}, shared))
    messages.success(request, "Your vote was counted.")
    return redirect(safe_next(request, reverse("home")))
