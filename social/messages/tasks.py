"""Background upkeep for the social graph."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from config.kernel import media
from tweets.tasks import PROCESSING


@shared_task(bind=True, **PROCESSING)
def process_message_image(self, image_id: int) -> bool:
    """Re-encode a direct-message image and make its thumbnail, in private storage. Safe to run twice."""
    from social.messages.models import MessageImage

    image = MessageImage.objects.filter(pk=image_id).first()
    return image is not None and media.process(image)


@shared_task(acks_late=True)
def purge_unsent_message_images() -> int:
    """Images uploaded for a message that was never sent go after UNATTACHED_MEDIA_TTL."""
    from social.messages import images as dm_images
    from social.messages.models import MessageImage

    stale = list(
        MessageImage.objects.filter(message__isnull=True, created_at__lt=timezone.now() - settings.UNATTACHED_MEDIA_TTL)
    )
    MessageImage.objects.filter(pk__in=[i.pk for i in stale]).delete()
    dm_images.delete_files(stale)
    return len(stale)
