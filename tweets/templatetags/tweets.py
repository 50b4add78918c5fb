"""The post card and its helpers in Django's template language (the card itself is Jinja2: tweets/cards.py)."""

from django import template

from tweets import cards

register = template.Library()
register.filter("render_text", cards.render_text)
register.filter("compact", cards.compact)


def _page(context) -> dict:
    # Worked out once per page render: the viewer, the form token and the URL settings are the same for every card.
    shared = context.render_context.get(_page)
    if shared is None:
        user, request = context.get("user"), context.get("request")
        shared = context.render_context[_page] = cards.page(
            user=user, request=request, csrf_token=context.get("csrf_token")
        )
    return shared


@register.simple_tag(takes_context=True)
def card(context, tweet, highlight=False, thread=False):
    """`{% card tweet %}`: the post's card, for the page's viewer (`highlight`: the post a thread is about)."""
    return cards.card(tweet, _page(context), highlight=highlight, thread=thread)


@register.simple_tag(takes_context=True)
def quoted(context, tweet):
    """`{% quoted tweet %}`: a quoted post as its quote's card shows it (the composer shows one too)."""
    return cards.render("tweets/quoted.jinja", {"q": tweet}, _page(context))


# What the compose box reads from the page's context (an {% include ... with %} may set the optional ones).
COMPOSE_CONTEXT = ("form", "user", "standalone", "placeholder", "submit", "rows", "quoted", "no_later", "later_form")


@register.simple_tag(takes_context=True)
def compose_box(context):
    """`{% compose_box %}`: the compose box (Jinja2, templates/jinja2/tweets/compose.jinja) for `form`."""
    return cards.render("tweets/compose.jinja", {name: context.get(name) for name in COMPOSE_CONTEXT}, _page(context))
