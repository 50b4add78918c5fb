"""What the Mastodon API keeps that Chirp's own has no place for."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Marker(models.Model):
    """Where a person stopped reading a timeline (Mastodon's markers), shared by all their Mastodon apps."""

    class Timeline(models.TextChoices):
        HOME = "home", "Home"
        NOTIFICATIONS = "notifications", "Notifications"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    timeline = models.CharField(max_length=20, choices=Timeline.choices)
    last_read_id = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=0)  # bumped on each save: Mastodon's optimistic lock
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "timeline"], name="marker_user_timeline_unique")]

    def __str__(self) -> str:
        return f"{self.timeline} marker of {self.user_id}"
