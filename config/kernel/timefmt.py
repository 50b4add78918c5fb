"""The API's one way to write a moment: ISO 8601 in UTC ending in "Z", as DRF's DateTimeField does."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_z(value: datetime | None) -> str | None:
    """`2026-01-02T03:04:05.123456Z`; None stays None."""
    if value is None:
        return None
    if value.tzinfo is not UTC:  # database values already are: astimezone would cost more than the rest
        value = value.astimezone(UTC)
    return value.isoformat()[:-6] + "Z"  # an aware UTC time always ends "+00:00"
