"""Background upkeep for direct messages (images are processed by config/kernel/media_tasks.py)."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from config.kernel import media
from social.messages.models import MessageImage


@shared_task(acks_late=True)
def purge_unsent_message_images() -> int:
    """Images uploaded for a message that was never sent go after UNATTACHED_MEDIA_TTL."""
    stale = list(
        MessageImage.objects.filter(message__isnull=True, created_at__lt=timezone.now() - settings.UNATTACHED_MEDIA_TTL)
    )
    MessageImage.objects.filter(pk__in=[i.pk for i in stale]).delete()
    media.delete_files(stale)
    return len(stale)
