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
from config.kernel.tasks import RETRY_WHILE_AWAY, enqueue, enqueue_on_commit, single_flight

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


# A transcode runs in a child process with its own limits (config/kernel/videos.py: 2x the length + 30 s,
# at most VIDEO_TRANSCODE_MAX_SECONDS); these only guard the worker around it. It outlasts the broker's
# visibility timeout, so a redelivered copy finds the first still running (single_flight) and stands down.
# A file FFmpeg fails on, or that hits the child's limits, is `failed` for good: only storage errors retry.
VIDEO_PROCESSING = {**PROCESSING, "soft_time_limit": 15 * 60, "time_limit": 16 * 60}


@shared_task(bind=True, **VIDEO_PROCESSING)
def process_video(self, label: str, pk: int) -> bool:
    """Transcode one video or animated GIF of the model `label`. Safe to run twice, and at once."""
    with single_flight("process_video", pk) as mine:
        if not mine:
            return False
        item = apps.get_model(label).objects.filter(pk=pk).first()
        return item is not None and media.process(item)


def task_for(item: media.ProcessedImage):
    return process_video if getattr(item, "kind", "image") in ("video", "gif") and item.accepts_video else process_image


def process_after_commit(item: media.ProcessedImage) -> None:
    enqueue_on_commit(task_for(item), item._meta.label, item.pk)


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
        ).only("pk", "state", *(["kind"] if model.accepts_video else []))
        count += sum(enqueue(task_for(item), model._meta.label, item.pk) for item in stuck[:500])
    return count
