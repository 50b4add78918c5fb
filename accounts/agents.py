"""Names for browsers and devices, from User-Agent headers, for people to recognise their own (Settings > Security)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# (pattern, name), first match wins: Edge and Opera say "Chrome" too, Chrome says "Safari".
_BROWSERS = [
    (r"Edg(e|A|iOS)?/", "Edge"), (r"OPR/|Opera", "Opera"), (r"Firefox/|FxiOS/", "Firefox"),
    (r"HeadlessChrome/", "Headless Chrome"), (r"Chrome/|CriOS/|Chromium/", "Chrome"), (r"Safari/", "Safari"),
    (r"curl/", "curl"), (r"python-requests|python-httpx|aiohttp|Python", "Python"), (r"okhttp", "Android app"),
]  # fmt: skip
_SYSTEMS = [
    (r"Android", "Android"), (r"iPhone|iPad|iOS", "iOS"), (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"), (r"CrOS", "ChromeOS"), (r"Linux|X11", "Linux"),
]  # fmt: skip


def _first(table, agent: str) -> str:
    return next((name for pattern, name in table if re.search(pattern, agent)), "")


UNKNOWN = "Unknown browser"


def browser_family(agent: str) -> str:
    """The browser's name, in English whatever the reader's language: new-browser fingerprints are made of it."""
    return _first(_BROWSERS, agent) or UNKNOWN


def describe_agent(agent: str) -> str:
    """ "Firefox on Linux", from a User-Agent header, for people to recognise their own devices."""
    family = _first(_BROWSERS, agent)
    if not agent or (not family and not _first(_SYSTEMS, agent)):
        return _("Unknown browser")
    family = family or _("Unknown browser")
    system = _first(_SYSTEMS, agent)
    return _("%(browser)s on %(system)s") % {"browser": family, "system": system} if system else family
