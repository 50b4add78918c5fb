"""The timeline outbox: changes PostgreSQL has committed that Redis timelines may not have yet."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class TimelineChange(models.Model):
    """One change to home timelines, written in the same transaction as the action that caused it.

    `sync`: after a follow, unfollow, block, mute or unmute, the reader's
    timeline must hold the author's recent entries exactly when the reader
    may see them now (decided from PostgreSQL when it is applied, so order
    and repetition don't matter). `remove`: after a delete or an undone
    retweet, those entries leave every timeline.

    The task queued after commit applies a row and deletes it; a beat task
    applies rows older than half a minute (their task was never queued, was
    lost with Redis, or died with a worker). Ids only, no foreign keys: a
    row outliving an account is applied as a no-op.
    """

    class Kind(models.TextChoices):
        SYNC = "sync"
        REMOVE = "remove"

    kind = models.CharField(max_length=6, choices=Kind.choices)
    reader_id = models.BigIntegerField(null=True, blank=True)  # sync: whose timeline
    author_id = models.BigIntegerField()
    entry_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)  # remove: which entries
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="timeline_change_created")]

    def __str__(self) -> str:
        return f"{self.kind} {self.reader_id or ''}<-{self.author_id} {self.entry_ids or ''}".strip()


class List(models.Model):
    """A named list of accounts; its timeline shows their posts (timelines/lists_*.py).

    `version` moves on every change of members: the list's Redis timeline is
    keyed by it, so a membership change makes the old set unreachable at once
    and the next read builds the new one from PostgreSQL (no race with a
    rebuild that read the old members).
    """

    NAME_MAX = 25
    DESCRIPTION_MAX = 100
    MAX_MEMBERS = 1000
    MAX_PER_OWNER = 1000

    owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="lists")
    name = models.CharField(max_length=NAME_MAX)
    description = models.CharField(max_length=DESCRIPTION_MAX, blank=True, default="")
    is_private = models.BooleanField(default=False)
    member_count = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "-id"], name="list_owner_newest")]

    def __str__(self) -> str:
        return f"{self.name} ({self.owner_id})"


class ListMember(models.Model):
    list = models.ForeignKey(List, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="list_memberships")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["list", "user"], name="list_member_once")]
        # Fan-out asks "which lists hold this author?": (user, list) answers it from the index.
        indexes = [
            models.Index(fields=["user", "list"], name="list_member_by_user"),
            models.Index(fields=["list", "-id"], name="list_member_newest"),  # the members page
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.list_id}"
