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
