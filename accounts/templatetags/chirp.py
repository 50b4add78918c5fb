"""Small template helpers shared by every page."""

import functools

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
    """Twitter-style relative time: "now", "5m", "3h", "Mar 4", "Mar 4, 2024"."""
    if not value:
        return ""
    now = timezone.now()
    seconds = (now - value).total_seconds()
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    local = timezone.localtime(value)
    if local.year == timezone.localtime(now).year:
        return f"{local:%b} {local.day}"
    return f"{local:%b} {local.day}, {local.year}"


@register.filter
def agent(user_agent: str) -> str:
    """ "Firefox on Linux" from a User-Agent header (Settings > Security)."""
    return describe_agent(user_agent or "")
