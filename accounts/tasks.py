from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone
from oauth2_provider import models as oauth_models

from accounts import lifecycle, security
from accounts.models import AccountExport, User
from config.kernel.models import IdempotencyKey
from config.kernel.tasks import RETRY_WHILE_AWAY, enqueue, single_flight

EXPORT_CATCH_UP_AFTER = timedelta(minutes=2)  # a pending export this old whose task isn't running was lost


@shared_task(acks_late=True)
def purge_idempotency_keys() -> int:
    """Forget stored API answers older than IDEMPOTENCY_KEY_TTL."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - settings.IDEMPOTENCY_KEY_TTL).delete()
    return deleted


@shared_task(bind=True, **RETRY_WHILE_AWAY)
def build_account_export(self, export_id: int, site_url: str = "") -> bool:
    """Write someone's data export and tell them it is ready (accounts.lifecycle).

    A big export can outlast the broker's visibility timeout and be handed to
    a second worker: that one stands down while the first still runs.
    """
    with single_flight("export", export_id) as mine:
        return mine and lifecycle.export_build(export_id, site_url=site_url)


@shared_task(bind=True, **RETRY_WHILE_AWAY)
def delete_account(self, user_id: int) -> bool:
    """Remove everything of an account whose owner asked for its deletion, then the account.

    Each step is idempotent, so a retry (Redis away), a redelivery or the
    catch-up finishes the job; one run at a time per account.
    """
    with single_flight("delete-account", user_id) as mine:
        return mine and lifecycle.account_erase(user_id)


@shared_task(acks_late=True)
def resume_account_work() -> int:
    """Beat, every 5 minutes: deletions and exports whose task was lost (broker away, a worker killed).

    Accounts being deleted are inactive with an unusable password (see
    accounts.lifecycle.is_being_deleted); exports waiting longer than a couple
    of minutes are queued again. A copy that finds the first still running
    stands down (single_flight), so queuing one too many costs nothing.
    """
    deleting = User.objects.filter(is_active=False, password__startswith=UNUSABLE_PASSWORD_PREFIX)
    queued = sum(enqueue(delete_account, user_id) for user_id in deleting.values_list("pk", flat=True)[:100])
    waiting = AccountExport.objects.filter(
        status=AccountExport.Status.PENDING, created_at__lt=timezone.now() - EXPORT_CATCH_UP_AFTER
    )
    return queued + sum(enqueue(build_account_export, export_id) for export_id in waiting.values_list("pk", flat=True))


@shared_task(acks_late=True)
def purge_account_exports() -> int:
    """Beat, hourly: exports past their seven days, and failed or lost ones, with their files."""
    return lifecycle.exports_purge()


@shared_task(acks_late=True)
def send_new_browser_email(event_id: int) -> bool:
    """Tell someone their account was logged into from a browser it hadn't used before (accounts.security)."""
    return security.new_browser_email(event_id)


@shared_task(acks_late=True)
def clear_expired_oauth_tokens() -> None:
    """Drop expired OAuth tokens and old revoked refresh tokens (DOT's cleartokens), so the tables don't grow."""
    oauth_models.clear_expired()
