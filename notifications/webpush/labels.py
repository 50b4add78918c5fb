"""How a subscribed browser is shown: a label from its User-Agent, and its JSON."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from config.kernel.timefmt import iso_z

# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari".
BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (
    ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"),
    ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
)  # fmt: skip


def browser_label(user_agent: str) -> str:
    """ "Firefox on Android", "Chrome on Linux"; "A browser" when nothing is recognised."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in SYSTEMS if re.search(re.escape(mark), user_agent)), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or (_("A browser on %(system)s") % {"system": system} if system else _("A browser"))


def endpoint_host(endpoint: str) -> str:
    return urlsplit(endpoint).hostname or ""


def subscription_json(found) -> dict:
    return {
        "id": str(found.pk),
        "endpoint": found.endpoint,
        "endpointHost": endpoint_host(found.endpoint),
        "browser": browser_label(found.user_agent),
        "userAgent": found.user_agent,
        "createdAt": iso_z(found.created_at),
        "lastUsedAt": iso_z(found.last_used_at) if found.last_used_at else None,
    }
