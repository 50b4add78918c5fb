"""Mastodon's timeline markers: where a person stopped reading home and notifications."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from config.kernel.errors import ServiceError
from config.kernel.timefmt import iso_z
from social.mastodon.models import Marker

TIMELINES = tuple(Marker.Timeline.values)
MAX_ID_LENGTH = 40


def markers_of(user: User, timelines: list[str]) -> dict[str, Marker]:
    wanted = [name for name in timelines if name in TIMELINES]
    return {marker.timeline: marker for marker in Marker.objects.filter(user=user, timeline__in=wanted)}


def markers_set(user: User, positions: dict[str, str]) -> dict[str, Marker]:
    """Save each timeline's last read id (a string, as Mastodon's ids are), bumping its version."""
    if not positions:
        raise ServiceError("Give home[last_read_id] or notifications[last_read_id].")
    for timeline, last_read_id in positions.items():
        if timeline not in TIMELINES:
            raise ServiceError(f"Unknown timeline: {timeline[:40]}.")
        if not last_read_id or len(last_read_id) > MAX_ID_LENGTH or not last_read_id.isdigit():
            raise ServiceError("last_read_id is an id (digits).")
    now = timezone.now()
    with transaction.atomic():
        for timeline, last_read_id in positions.items():
            updated = Marker.objects.filter(user=user, timeline=timeline).update(
                last_read_id=last_read_id, version=F("version") + 1, updated_at=now
            )
            if not updated:
                Marker.objects.get_or_create(user=user, timeline=timeline,
                                             defaults={"last_read_id": last_read_id, "updated_at": now})  # fmt: skip
    return markers_of(user, list(positions))


def marker_json(marker: Marker) -> dict:
    return {"last_read_id": marker.last_read_id, "version": marker.version, "updated_at": iso_z(marker.updated_at)}
