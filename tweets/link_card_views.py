"""The compose box's link preview as an HTML fragment (static/js/linkcard.js asks for it as you type).

The same service as GET /api/v1/cards/preview (tweets/link_card_api.py), and the
same rate-limit budget, so the page and the API can't be played against each
other. Never fetches here: 202 with a "loading" line while the worker does it.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from config.kernel import ratelimit
from tweets import cards, link_cards
from tweets.models import LinkCard

PENDING = '<p class="link-card-pending muted" data-link-card-pending>Loading the link preview…</p>'


@login_required
@require_GET
def card_preview(request):
    rate = ratelimit.Rate.parse(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["link_preview"])
    allowed, wait = ratelimit.hit(f"api:link_preview:user:{request.user.pk}", rate)  # the API's own counter
    if not allowed:
        response = HttpResponse(status=429)
        response["Retry-After"] = str(wait)
        return response
    card = link_cards.link_card_request(url=request.GET.get("url", "")[:2048])
    if card is None:
        return HttpResponse(status=204)  # not a link we preview: nothing to show
    if link_cards.shown(card):
        return HttpResponse(cards.render("tweets/link_card.jinja", {"card": card, "removable": True}, {}))
    if card.state == LinkCard.State.PENDING:
        return HttpResponse(PENDING, status=202)
    return HttpResponse(status=204)  # refused or failed: the post will have no card
