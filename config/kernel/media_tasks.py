"""The one processing task for every kind of uploaded image (config/kernel/media.py), and its catch-up.

A task names its row by model label and id, and finds the model through the
app registry, so the kernel imports no app. The kinds are the concrete
ProcessedImage models (tweet and message images, avatars and headers).
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.apps import apps
from django.utils import timezone

from config.kernel import media
from config.kernel.tasks import RETRY_WHILE_AWAY, enqueue, enqueue_on_commit

# Decoding is bounded by the probe; the time limit is the last guard (a hostile file we didn't foresee),
# under the broker's visibility timeout so a slow run is never delivered twice at once. Storage errors
# (S3 away: OSError) are retried too; `process_pending_images` tries again later.
PROCESSING = {
    **RETRY_WHILE_AWAY,
    "autoretry_for": (*RETRY_WHILE_AWAY["autoretry_for"], OSError),
    "max_retries": 5,
    "soft_time_limit": 20,
    "time_limit": 25,
}


@shared_task(bind=True, **PROCESSING)
def process_image(self, label: str, pk: int) -> bool:
    """Process one upload of the model `label` ("tweets.Media"). Safe to run twice."""
    item = apps.get_model(label).objects.filter(pk=pk).first()
    return item is not None and media.process(item)


def process_after_commit(item: media.ProcessedImage) -> None:
    enqueue_on_commit(process_image, item._meta.label, item.pk)


def kinds() -> list[type[media.ProcessedImage]]:
    return [model for model in apps.get_models() if issubclass(model, media.ProcessedImage)]


@shared_task(acks_late=True)
def process_pending_images() -> int:
    """Beat, every minute: uploads still processing after two minutes (a lost task, a dead worker) go again."""
    now = timezone.now()
    count = 0
    for model in kinds():
        stuck = model.objects.filter(
            state=model.State.PROCESSING,
            created_at__lt=now - timedelta(minutes=2),
            created_at__gte=now - timedelta(days=1),
        ).values_list("pk", flat=True)
        count += sum(enqueue(process_image, model._meta.label, pk) for pk in stuck[:500])
    return count
