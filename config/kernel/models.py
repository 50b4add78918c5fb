"""The kernel's one table: replayable answers to creating POSTs (see config/kernel/api/idempotency.py)."""

from django.db import models


class IdempotencyKey(models.Model):
    """The first successful answer to a creating POST, replayed on retries."""

    scope = models.CharField(max_length=40)  # "user:<id>" or "anonymous"
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "accounts_idempotencykey"  # moved from accounts without rebuilding the table
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key_unique")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
