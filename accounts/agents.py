"""Names for browsers and devices, from User-Agent headers, for people to recognise their own (Settings > Security)."""

from __future__ import annotations

import re

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


def browser_family(agent: str) -> str:
    return _first(_BROWSERS, agent) or "Unknown browser"


def describe_agent(agent: str) -> str:
    """ "Firefox on Linux", from a User-Agent header, for people to recognise their own devices."""
    if not agent:
        return "Unknown browser"
    system = _first(_SYSTEMS, agent)
    return f"{browser_family(agent)} on {system}" if system else browser_family(agent)
