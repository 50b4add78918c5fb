"""The Celery app. Queues are named by concern so each can be scaled alone."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("chirp")
app.config_from_object("django.conf:settings", namespace="CELERY")

QUEUES = ("default", "timelines", "media", "notifications", "maintenance")
app.conf.task_queues = [Queue(name) for name in QUEUES]
app.conf.task_routes = {
    "timelines.tasks.*": {"queue": "timelines"},
    "tweets.tasks.make_thumbnail": {"queue": "media"},
    "social.tasks.make_message_thumbnail": {"queue": "media"},
    "notifications.tasks.*": {"queue": "notifications"},
    "*.tasks.reconcile_*": {"queue": "maintenance"},
    "*.tasks.purge_*": {"queue": "maintenance"},
    "search.tasks.refresh_trends": {"queue": "maintenance"},
}
app.conf.beat_schedule = {
    "purge-idempotency-keys": {"task": "accounts.tasks.purge_idempotency_keys", "schedule": 60 * 60},
    "reconcile-tweet-counts": {"task": "tweets.tasks.reconcile_tweet_counts", "schedule": 60 * 60},
    "purge-unattached-media": {"task": "tweets.tasks.purge_unattached_media", "schedule": 60 * 60},
    "purge-unsent-message-images": {"task": "social.tasks.purge_unsent_message_images", "schedule": 60 * 60},
    "reconcile-follow-counts": {"task": "social.tasks.reconcile_follow_counts", "schedule": 60 * 60},
    "fan-out-pending": {"task": "timelines.tasks.fan_out_pending", "schedule": 60},
    "forget-stale-presence": {"task": "notifications.tasks.purge_stale_presence", "schedule": 300},
    "refresh-trends": {"task": "search.tasks.refresh_trends", "schedule": 60},
}
app.autodiscover_tasks()
