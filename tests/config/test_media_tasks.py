"""One processing task, and one catch-up, for every kind of uploaded image (config/kernel/media_tasks.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app
from config.kernel import media_tasks
from social.messages import services as message_services
from social.messages.models import MessageImage
from tests import images

pytestmark = pytest.mark.django_db


def test_every_image_kind_goes_through_the_one_pipeline():
    labels = {model._meta.label for model in media_tasks.kinds()}
    assert labels == {"tweets.Media", "direct_messages.MessageImage", "accounts.ProfileImage"}


def test_processing_runs_on_the_media_queue():
    route = app.amqp.router.route({}, media_tasks.process_image.name)
    assert route["queue"].name == "media"
    assert media_tasks.process_pending_images.name in {entry["task"] for entry in app.conf.beat_schedule.values()}


def test_a_lost_message_image_is_processed_by_the_catch_up(user):
    image = message_services.message_image_upload(owner=user, upload=images.png_upload())  # task never ran
    MessageImage.objects.filter(pk=image.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert media_tasks.process_pending_images() == 1
    image.refresh_from_db()
    assert image.state == "ready" and image.file and image.thumbnail
    assert media_tasks.process_pending_images() == 0


def test_processing_a_row_that_is_gone_does_nothing():
    assert media_tasks.process_image("tweets.Media", 12345) is False
