"""The reader's time zone: their setting (Settings > Display), else their browser's, else UTC.

The browser's comes in the `tz` cookie, which static/js/times.js sets from
`Intl.DateTimeFormat().resolvedOptions().timeZone`. A cookie is anyone's to
write, so only a name from the system's zone database is used; anything else
(too long, NUL bytes, paths, unknown names) is ignored, as is no cookie.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.utils import timezone

COOKIE = "tz"
MAX_NAME = 64  # the longest IANA name is 32 characters


@cache
def zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def valid_zone(name: str | None) -> str | None:
    """`name` if it is a zone of the database, else None."""
    if not name or len(name) > MAX_NAME or name not in zone_names():
        return None
    return name


def reader_zone(request) -> str | None:
    user = getattr(request, "user", None)
    chosen = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
    return valid_zone(chosen) or valid_zone(request.COOKIES.get(COOKIE))


class TimeZoneMiddleware:
    """Activates the reader's zone for the request: dates a page writes are theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = reader_zone(request)
        if zone:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
