"""The API's one way to write a moment: ISO 8601 in UTC ending in "Z", as DRF's DateTimeField does."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_z(value: datetime | None) -> str | None:
    """`2026-01-02T03:04:05.123456Z`; None stays None."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
