from celery import shared_task
from django.conf import settings
from django.utils import timezone

from accounts.models import IdempotencyKey


@shared_task(acks_late=True)
def purge_idempotency_keys() -> int:
    """Forget stored API answers older than IDEMPOTENCY_KEY_TTL."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - settings.IDEMPOTENCY_KEY_TTL).delete()
    return deleted
