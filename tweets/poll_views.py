"""The page side of polls: a vote from a post card (htmx swaps the poll; without JavaScript, a redirect back)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.kernel.errors import ServiceError
from config.kernel.http import error_toast, safe_next
from tweets import cards, poll_votes, selectors


@login_required
@require_POST
def vote(request, tweet_id: int):
    # Radios send one `choice`, a multiple poll's checkboxes one per box ticked; the service judges the list.
    raw = request.POST.getlist("choice")
    positions = [int(r) if r.isascii() and r.isdigit() and len(r) <= 2 else 0 for r in raw[:10]]
    try:
        poll_votes.poll_vote(user=request.user, tweet_id=tweet_id, positions=positions, field="choice")
    except ServiceError as error:
        if request.htmx:
            return error_toast(request, error)
        messages.error(request, error.message)
        return redirect(safe_next(request, reverse("home")))
    if request.htmx:
        tweet = selectors.tweet_for_viewer(tweet_id, request.user)
        shared = cards.page(user=request.user, request=request)
        return HttpResponse(cards.render("tweets/poll.jinja", {"t": tweet.original if tweet else None}, shared))
    messages.success(request, _("Your vote was counted."))
    return redirect(safe_next(request, reverse("home")))
