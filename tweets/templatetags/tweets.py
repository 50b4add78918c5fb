"""Rendering tweet text: every character escaped, entities turned into links."""

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _link(entity: dict, label: str) -> str:
    kind = entity["type"]
    if kind == "mention":
        return format_html('<a class="mention" href="{}">{}</a>', reverse("profile", args=[entity["username"]]), label)
    if kind == "hashtag":
        return format_html('<a class="hashtag" href="{}">{}</a>', reverse("hashtag", args=[entity["tag"]]), label)
    # The parser only finds http(s) links, so no "javascript:" URL can get here.
    shown = label.split("://", 1)[-1]
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return format_html(
        '<a class="link" href="{}" rel="nofollow ugc noopener noreferrer" target="_blank">{}</a>', entity["url"], shown
    )


@register.filter
def render_text(tweet) -> str:
    """The text as HTML: user text is escaped, never trusted as markup."""
    text = tweet.text
    parts, cursor = [], 0
    for entity in sorted(tweet.entities or [], key=lambda e: e["start"]):
        start, end = entity["start"], entity["end"]
        if start < cursor or end > len(text):
            continue  # stale offsets (never expected) must not garble the text
        parts.append(escape(text[cursor:start]))
        parts.append(_link(entity, text[start:end]))
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped or format_html


@register.filter
def compact(number: int) -> str:
    """1234 -> "1.2K", as counts show on cards."""
    if number < 1000:
        return str(number)
    for divisor, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if number >= divisor:
            value = number / divisor
            return f"{value:.1f}".rstrip("0").rstrip(".") + suffix if value < 10 else f"{int(value)}{suffix}"
    return str(number)


@register.simple_tag(takes_context=True)
def retweeted_by(context, tweet) -> str:
    """ "You", "Ann and Bob", "Ann, Bob and 3 others": who retweeted, as links."""
    viewer = context.get("user")
    people = getattr(tweet, "retweeters", None) or [tweet.author]

    def name(person):
        label = "You" if viewer is not None and viewer.pk == person.pk else person.display_name
        return format_html('<a href="{}">{}</a>', reverse("profile", args=[person.username]), label)

    shown = [name(p) for p in people[:2]]
    if len(people) == 1:
        return shown[0]
    if len(people) == 2:
        return format_html("{} and {}", shown[0], shown[1])
    others = len(people) - 2
    return format_html("{}, {} and {} other{}", shown[0], shown[1], others, "s" if others > 1 else "")
