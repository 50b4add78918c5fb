"""Small template helpers shared by every page."""

import functools
import re

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from accounts.agents import describe_agent

register = template.Library()

AVATAR_HUES = (204, 262, 330, 14, 38, 142, 172, 222)


@register.simple_tag
def avatar(user, size: str = "md") -> str:
    """The user's picture, or their initial on a colour picked from their id."""
    if user.avatar:
        return format_html(
            '<img class="avatar avatar-{}" src="{}" alt="" width="48" height="48" loading="lazy">',
            size,
            user.avatar.url,
        )
    hue = (user.pk or 0) % len(AVATAR_HUES)  # a class (.hue-N), not a style attribute the CSP would refuse
    initial = (user.display_name[:1] or "?").upper()
    return format_html(
        '<span class="avatar avatar-{} avatar-initial hue-{}" aria-hidden="true">{}</span>', size, hue, initial
    )


@register.simple_tag
def icon(name: str) -> str:
    """An SVG from templates/icons, inline. An `{% include %}` of it cost a template render per use,
    seven per post card; this reads each icon once per process (every time in DEBUG, to see edits)."""
    return _icon_markup(name) if not settings.DEBUG else _icon_markup.__wrapped__(name)


@functools.cache
def _icon_markup(name: str) -> str:
    return render_to_string(f"icons/{name}.svg")  # safe markup, as any rendered template


@register.simple_tag(takes_context=True)
def current(context, *url_names: str) -> str:
    """`aria-current="page"` when the page is one of `url_names`."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match and match.url_name in url_names:
        return mark_safe('aria-current="page"')  # a fixed string, no user input
    return ""


@register.filter
def short_time(value) -> str:
    """Twitter-style relative time: "now", "5m", "3h", "Mar 4", "Mar 4, 2024" (in the reader's language)."""
    if not value:
        return ""
    now = timezone.now()
    seconds = (now - value).total_seconds()
    if seconds < 60:
        return gettext("now")
    if seconds < 3600:
        # Translators: minutes ago, as short as a post card's time ("5m").
        return gettext("%(minutes)sm") % {"minutes": int(seconds // 60)}
    if seconds < 86400:
        # Translators: hours ago, as short as a post card's time ("3h").
        return gettext("%(hours)sh") % {"hours": int(seconds // 3600)}
    local = timezone.localtime(value)
    month = str(MONTHS_3[local.month]).title()  # "Mar": Django's own abbreviations, translated
    if local.year == timezone.localtime(now).year:
        # Translators: a date this year on a post card, "Mar 4".
        return gettext("%(month)s %(day)s") % {"month": month, "day": local.day}
    # Translators: a date of an earlier year on a post card, "Mar 4, 2024".
    return gettext("%(month)s %(day)s, %(year)s") % {"month": month, "day": local.day, "year": local.year}


@register.filter
def agent(user_agent: str) -> str:
    """ "Firefox on Linux" from a User-Agent header (Settings > Security)."""
    return describe_agent(user_agent or "")


# allauth's pages say "Change Password", "Sign In"; the site says "Change password", "Log in".
_PROPER = {"Chirp"}
_TAG = re.compile(r"(<[^>]*>)")
_TITLE_WORD = re.compile(r"\b([A-Z][a-z]+)\b")  # Title Case only: TOTP, iPhone and the like stay
_SIGN = re.compile(r"\b([Ss])ign(ed)? (in|out)\b")


def _lower_words(text: str) -> str:
    return _TITLE_WORD.sub(lambda m: m.group(1) if m.group(1) in _PROPER else m.group(1).lower(), text)


def _site_words(text: str) -> str:
    def word(m) -> str:
        return ("L" if m.group(1) == "S" else "l") + "og" + ("ged" if m.group(2) else "") + " " + m.group(3)

    return _SIGN.sub(word, text)


@register.filter(is_safe=True)
def sentence_case(value) -> str:
    """Title Case to the site's sentence case, in text only (never inside tags): for allauth's own strings."""
    out = []
    for part in _TAG.split(str(value)):
        if part.startswith("<") or not part.strip():
            out.append(part)
            continue
        word = re.match(r"\s*\S+", part).group(0)  # each text's first word keeps its capital (a badge's too)
        out.append(_site_words(word + _lower_words(part[len(word) :])))
    return "".join(out)
