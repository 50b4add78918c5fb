"""Every kind of task survives losing its message: a catch-up redoes it, or losing it is harmless.

A message is lost when the broker can't take it (Redis away: config.kernel.tasks
logs and drops it), when Redis restarts empty, or when a worker dies and its
message is redelivered only after the visibility timeout. Here a "lost" task
is simply one whose after-commit callback never ran (the test's transaction
is never committed), and the catch-up is run as beat would run it.
"""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts import lifecycle
from accounts import tasks as account_tasks
from accounts.models import AccountExport, User
from config.celery import app
from config.kernel import media_tasks
from config.kernel.tasks import single_flight
from tests import images
from tests.factories import PASSWORD, UserFactory
from tests.tweets.helpers import post
from tweets import services as tweet_services
from tweets import tasks as tweet_tasks
from tweets.models import Media, Tweet

pytestmark = pytest.mark.django_db

# Every task, and what repairs it when its message is lost (docs/DECISIONS.md, "Failures").
CATCH_UP = {
    "timelines.tasks.fan_out_entry": "timelines.tasks.fan_out_pending (the tweet's fanned_out flag)",
    "timelines.tasks.apply_changes": "timelines.tasks.apply_pending_changes (the TimelineChange outbox)",
    "timelines.tasks.merge_author": "queued by the previous release only; superseded by the outbox",
    "timelines.tasks.drop_author": "queued by the previous release only; superseded by the outbox",
    "timelines.tasks.remove_entries": "queued by the previous release only; superseded by the outbox",
    "config.kernel.media_tasks.process_image": "config.kernel.media_tasks.process_pending_images",
    "config.kernel.media_tasks.process_video": "config.kernel.media_tasks.process_pending_images",
    "accounts.tasks.build_account_export": "accounts.tasks.resume_account_work",
    "accounts.tasks.delete_account": "accounts.tasks.resume_account_work",
    "accounts.tasks.send_new_browser_email": "safe to lose: a courtesy mail; the login is in the security log",
    "social.moderation.tasks.recount_around": "the hourly reconcile_follow_counts and reconcile_tweet_counts",
    "tweets.tasks.reconcile_tweet_counts": "periodic (its continuation: the next hourly run)",
    "social.graph.tasks.reconcile_follow_counts": "periodic (its continuation: the next hourly run)",
    "search.tasks.recount_author": "search.tasks.reconcile_trend_authors",
    "tweets.tasks.end_poll": "tweets.tasks.end_polls_pending (the poll's notified_at)",
    "notifications.tasks.push_notification": "safe to lose: a live event; the page and API list it from the database",
    "notifications.tasks.push_unread": "safe to lose: the next page load draws the badge",
    "notifications.tasks.announce_entry": "safe to lose: the post is in the timeline; only the banner is missed",
    "social.mastodon.tasks.announce_public": "safe to lose: a live event on Mastodon's public streams; "
    "the post is in every timeline",
    "social.mastodon.tasks.announce_filters_changed": "safe to lose: a live hint; a client rereads its filters "
    "when it reconnects, and GET /api/v2/filters answers from the database",
    "tweets.tasks.attach_link_card": "safe to lose: the post shows without its link card (docs/DECISIONS.md)",
    "tweets.tasks.refresh_link_card": "safe to lose: the compose box asks again, and queues it a minute later",
    "notifications.mail.tasks.mail_notifications": "notifications.mail.tasks.sweep_email for digests, follow-ups and "
    "retries (EmailState); a type's mail at once: the next mail of that type carries it (the watermark stayed)",
    "notifications.tasks.webpush_notification": "safe to lose: a push; the notification is in the list",
    "notifications.tasks.webpush_group": "safe to lose: a push; the next like opens a new window",
    "notifications.tasks.webpush_send": "safe to lose: a retried push, within its TTL at most",
}
PERIODIC = {entry["task"] for entry in app.conf.beat_schedule.values()}


def our_tasks() -> set[str]:
    apps = ("config.", "accounts.", "tweets.", "social.", "timelines.", "notifications.", "search.")
    return {name for name in app.tasks if name.startswith(apps)}


def test_every_task_kind_is_caught_up_or_safe_to_lose():
    unaccounted = our_tasks() - set(CATCH_UP) - PERIODIC
    assert unaccounted == set(), "say what repairs these when their message is lost"
    for catch_up in {"timelines.tasks.fan_out_pending", "timelines.tasks.apply_pending_changes",
                     "config.kernel.media_tasks.process_pending_images",
                     "accounts.tasks.resume_account_work"}:  # fmt: skip
        assert catch_up in PERIODIC


def test_no_task_waits_to_be_retried_longer_than_the_visibility_timeout():
    """A retry held (unacknowledged) by a worker past the visibility timeout would run twice at once."""
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout <= 60 and settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert timeout > settings.TASK_SLICE_SECONDS
    for name in our_tasks():
        task = app.tasks[name]
        assert task.acks_late, name
        if getattr(task, "autoretry_for", ()):
            assert task.retry_backoff and task.retry_backoff_max < timeout, name


def test_a_lost_processing_task_is_done_by_the_catch_up(user):
    upload = tweet_services.media_upload(owner=user, upload=images.png_upload(size=(2000, 1000)))  # task never ran
    Media.objects.filter(pk=upload.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert media_tasks.process_pending_images() == 1
    upload.refresh_from_db()
    assert upload.state == "ready" and upload.thumbnail and upload.thumb_width == 1024
    assert media_tasks.process_pending_images() == 0


def test_a_lost_export_and_a_lost_deletion_are_done_by_the_catch_up(user, other_user):
    export, _ = lifecycle.account_export_request(user=user)  # the task was never queued
    lifecycle.account_delete(user=other_user, password=PASSWORD)
    assert account_tasks.resume_account_work() == 1  # the deletion; the export is too young to count as lost
    assert not User.objects.filter(pk=other_user.pk).exists()
    AccountExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert account_tasks.resume_account_work() == 1
    export.refresh_from_db()
    assert export.status == AccountExport.Status.READY


def test_an_export_already_being_built_is_not_built_twice(user):
    export, _ = lifecycle.account_export_request(user=user)
    holding, release = threading.Event(), threading.Event()

    def first_worker():  # still writing the zip when the copy arrives
        with single_flight("export", export.pk) as mine:
            assert mine
            holding.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    holding.wait(10)
    try:
        assert account_tasks.build_account_export(export.pk) is False  # the copy stands down
        export.refresh_from_db()
        assert export.status == AccountExport.Status.PENDING
    finally:
        release.set()
        thread.join(10)
    assert account_tasks.build_account_export(export.pk) is True


def test_a_long_recount_carries_on_in_slices(settings):
    settings.TASK_SLICE_SECONDS = 0.0001  # every batch over budget: each continues in a new task
    author = UserFactory()
    made = [post(author, f"p{i}") for i in range(3)]
    Tweet.objects.filter(pk__in=[t.pk for t in made]).update(like_count=7)
    assert tweet_tasks.reconcile_tweet_counts(batch_size=1) == 1  # this slice; the rest in its continuations
    assert set(Tweet.objects.filter(pk__in=[t.pk for t in made]).values_list("like_count", flat=True)) == {0}
