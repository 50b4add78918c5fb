from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Follow(models.Model):
    follower = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="following_set", db_index=False)
    followee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follower_set", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "social_follow"
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_once"),
            models.CheckConstraint(condition=~Q(follower=F("followee")), name="follow_not_self"),
        ]
        indexes = [
            # Covering: fan-out walks a big account's followers by id reading only the index.
            models.Index(fields=["followee", "id"], include=["follower"], name="follow_followers"),
            models.Index(fields=["follower", "id"], include=["followee"], name="follow_following"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followee_id}"


class FollowRequest(models.Model):
    """Asking to follow a private account; approved requests become Follows."""

    requester = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="sent_follow_requests", db_index=False)
    target = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follow_requests", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "social_followrequest"
        constraints = [models.UniqueConstraint(fields=["requester", "target"], name="follow_request_once")]
        indexes = [models.Index(fields=["target", "-id"], name="follow_request_inbox")]

    def __str__(self) -> str:
        return f"{self.requester_id} asks to follow {self.target_id}"


class Block(models.Model):
    blocker = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="blocks_made", db_index=False)
    blocked = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="blocks_received", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "social_block"
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]
        indexes = [
            models.Index(fields=["blocker", "-id"], name="block_list"),
            models.Index(fields=["blocked", "blocker"], name="block_received"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(models.Model):
    muter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mutes_made", db_index=False)
    muted = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mutes_received", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "social_mute"
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_once"),
            models.CheckConstraint(condition=~Q(muter=F("muted")), name="mute_not_self"),
        ]
        indexes = [
            models.Index(fields=["muter", "-id"], name="mute_list"),
            models.Index(fields=["muted", "muter"], name="mute_received"),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"


class MutedWord(models.Model):
    """A word, phrase or hashtag hidden from its owner's home, notifications or search (see muted_words.py)."""

    class Context(models.TextChoices):
        HOME = "home", _("Home timeline")
        NOTIFICATIONS = "notifications", _("Notifications")
        SEARCH = "search", pgettext_lazy("where a word is muted", "Search")
        EVERYWHERE = "everywhere", _("Everywhere")

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="muted_words", db_index=False)
    phrase = models.CharField(max_length=100)
    context = models.CharField(max_length=16, choices=Context.choices, default=Context.EVERYWHERE)
    expires_at = models.DateTimeField(null=True, blank=True)  # null: forever
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "social_mutedword"
        indexes = [
            # The settings list and the API (newest first), and every read's "my active words".
            models.Index(fields=["user", "-id"], name="muted_word_list"),
            # The beat task's sweep of expired words.
            models.Index(fields=["expires_at"], name="muted_word_expiry", condition=Q(expires_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} mutes {self.phrase!r} in {self.context}"
