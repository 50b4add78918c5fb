from celery import shared_task
from django.conf import settings
from django.utils import timezone
from redis.exceptions import RedisError

from accounts.models import IdempotencyKey


@shared_task(acks_late=True)
def purge_idempotency_keys() -> int:
    """Forget stored API answers older than IDEMPOTENCY_KEY_TTL."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - settings.IDEMPOTENCY_KEY_TTL).delete()
    return deleted


@shared_task(acks_late=True)
def build_account_export(export_id: int, site_url: str = "") -> bool:
    """Write someone's data export and tell them it is ready (accounts.lifecycle)."""
    from accounts import lifecycle

    return lifecycle.export_build(export_id, site_url=site_url)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(RedisError,),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def delete_account(self, user_id: int) -> bool:
    """Remove everything of an account whose owner asked for its deletion, then the account.

    Each step is idempotent, so a retry (Redis away) or a redelivery finishes the job.
    """
    from accounts import lifecycle

    return lifecycle.account_erase(user_id)


@shared_task(acks_late=True)
def purge_account_exports() -> int:
    """Beat, hourly: exports past their seven days, and failed or lost ones, with their files."""
    from accounts import lifecycle

    return lifecycle.exports_purge()
