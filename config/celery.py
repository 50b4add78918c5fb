"""The Celery app. Queues are named by concern so each can be scaled alone.

The request id travels with each task: published in the task's headers
(`before_task_publish`), made current in the worker while the task runs
(`task_prerun`/`task_postrun`), so a task's logs, and the tasks it queues in
turn, name the request that caused them. Workers log through Django's LOGGING
(`setup_logging`), JSON in production like the web processes.
"""

import logging
import os
from contextvars import Token
from pathlib import Path

from celery import Celery
from celery.beat import PersistentScheduler
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun
from kombu import Queue

from config.kernel import request_context

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _closed_channels_fail_as_connection_errors() -> None:
    """A broker channel whose connection is gone raises a connection error, not AttributeError.

    kombu's Redis channel builds a new connection pool from `connection.client`
    when asked to talk after its pool was dropped; once the consumer has closed
    the connection, that is None and the AttributeError ("'NoneType' object has
    no attribute 'hostname'") escaped from restoring unacknowledged messages
    (or from acknowledging a task that finished after the broker went away)
    and stopped the worker for good: "Unrecoverable error". As a connection
    error it is ignored like the others there; the messages are redelivered
    after the visibility timeout (tests/faults/test_worker_faults.py).
    """
    from kombu.transport import redis as kombu_redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    original = kombu_redis.Channel._connparams
    if getattr(original, "chirp_guarded", False):
        return

    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("the broker connection of this channel was closed")
        return original(self, asynchronous=asynchronous)

    _connparams.chirp_guarded = True
    kombu_redis.Channel._connparams = _connparams


def _one_publishing_client_per_channel() -> None:
    """kombu's Redis channel talks through one redis client per channel, not a new one per message.

    kombu builds a `redis.Redis` for every message it puts (`conn_or_acquire`),
    and making one costs redis-py 8 about 230 µs of CPU (it copies its ~170
    reply callbacks and checks its arguments): a follow, which queues a few
    tasks, spent more on that than on its own queries. The client is kept per
    channel and connection pool (kombu makes a new pool after a fork or a lost
    connection) and still takes a connection from the pool for each command.
    """
    from contextlib import contextmanager

    from kombu.transport import redis as kombu_redis

    if getattr(kombu_redis.Channel.conn_or_acquire, "chirp_reused", False):
        return

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        pool = self.pool
        kept = self.__dict__.get("_chirp_client")
        if kept is None or kept.connection_pool is not pool:
            kept = self.__dict__["_chirp_client"] = self._create_client()
        yield kept

    conn_or_acquire.chirp_reused = True
    kombu_redis.Channel.conn_or_acquire = conn_or_acquire


_closed_channels_fail_as_connection_errors()
_one_publishing_client_per_channel()

app = Celery("chirp")


@app.on_after_configure.connect
def _defaults_read_first(sender, **kwargs) -> None:
    """Celery's defaults for the settings Django's don't name are found in the first place it looks.

    Celery reads a dozen settings each time it queues a task, through a chain
    of maps: its changes, then Django's settings under the CELERY_ names, then
    its defaults. A setting Django's don't name missed twice in Django's first
    (two AttributeErrors), 25-40 µs a read, which made queueing a task cost
    about 800 µs of CPU; with those defaults copied into the changes, about
    400 (docs/PERFORMANCE.md). Settings Django's do name are still read from
    them, so overriding one in a test still reaches Celery.
    """
    from celery.app.defaults import DEFAULTS
    from django.conf import settings

    for key in DEFAULTS:
        if not hasattr(settings, f"CELERY_{key.upper()}"):
            sender.conf.changes.setdefault(key, sender.conf[key])


app.config_from_object("django.conf:settings", namespace="CELERY")

QUEUES = ("default", "timelines", "media", "notifications", "maintenance")
app.conf.task_queues = [Queue(name) for name in QUEUES]
app.conf.task_routes = {
    "timelines.tasks.*": {"queue": "timelines"},
    "config.kernel.media_tasks.process_image": {"queue": "media"},
    "config.kernel.media_tasks.process_video": {"queue": "media"},
    "tweets.tasks.*_link_card": {"queue": "media"},  # fetches pages: kept off the timelines' way
    "notifications.tasks.*": {"queue": "notifications"},
    "notifications.mail.tasks.*": {"queue": "notifications"},
    "social.mastodon.tasks.*": {"queue": "notifications"},  # live events, as Chirp's own
    "*.tasks.reconcile_*": {"queue": "maintenance"},
    "*.tasks.purge_*": {"queue": "maintenance"},
    "*.tasks.*_pending": {"queue": "maintenance"},
    "accounts.tasks.resume_account_work": {"queue": "maintenance"},
    "accounts.tasks.clear_expired_oauth_tokens": {"queue": "maintenance"},
    "search.tasks.refresh_trends": {"queue": "maintenance"},
}
app.conf.beat_schedule = {
    "purge-idempotency-keys": {"task": "accounts.tasks.purge_idempotency_keys", "schedule": 60 * 60},
    "purge-account-exports": {"task": "accounts.tasks.purge_account_exports", "schedule": 60 * 60},
    "clear-expired-oauth-tokens": {"task": "accounts.tasks.clear_expired_oauth_tokens", "schedule": 60 * 60},
    "reconcile-tweet-counts": {"task": "tweets.tasks.reconcile_tweet_counts", "schedule": 60 * 60},
    "purge-unattached-media": {"task": "tweets.tasks.purge_unattached_media", "schedule": 60 * 60},
    "purge-link-cards": {"task": "tweets.tasks.purge_link_cards", "schedule": 60 * 60},
    "purge-unsent-message-images": {"task": "social.messages.tasks.purge_unsent_message_images", "schedule": 60 * 60},
    "reconcile-follow-counts": {"task": "social.graph.tasks.reconcile_follow_counts", "schedule": 60 * 60},
    "sweep-muted-words": {"task": "social.graph.tasks.sweep_muted_words", "schedule": 60 * 60},
    # The catch-ups: what a lost task, a dead worker or a Redis restart left undone (docs/DECISIONS.md).
    "fan-out-pending": {"task": "timelines.tasks.fan_out_pending", "schedule": 10},
    "apply-pending-timeline-changes": {"task": "timelines.tasks.apply_pending_changes", "schedule": 10},
    "sweep-timeline-generations": {"task": "timelines.tasks.sweep_generations", "schedule": 600},
    "end-polls-pending": {"task": "tweets.tasks.end_polls_pending", "schedule": 60},
    "process-pending-images": {"task": "config.kernel.media_tasks.process_pending_images", "schedule": 60},
    "resume-account-work": {"task": "accounts.tasks.resume_account_work", "schedule": 300},
    # Email: follow-ups at the end of a window, hourly/daily digests, the weekly one (notifications/mail).
    "sweep-email": {"task": "notifications.mail.tasks.sweep_email", "schedule": 60},
    "forget-stale-presence": {"task": "notifications.tasks.purge_stale_presence", "schedule": 300},
    "web-push-due": {"task": "notifications.tasks.webpush_due", "schedule": 5},  # windows ended, retries due
    "publish-scheduled-posts": {"task": "tweets.tasks.publish_scheduled_posts", "schedule": 60},
    "refresh-trends": {"task": "search.tasks.refresh_trends", "schedule": 60},
    "reconcile-trend-authors": {"task": "search.tasks.reconcile_trend_authors", "schedule": 600},
}
app.autodiscover_tasks()
app.autodiscover_tasks(["notifications.mail"])  # a package inside the notifications app
app.autodiscover_tasks(["config.kernel"], related_name="media_tasks")  # the kernel is no app with a tasks module


class DataFolderScheduler(PersistentScheduler):
    """Beat's schedule file lives in the data folder (settings), which may not exist yet."""

    def setup_schedule(self):
        Path(self.schedule_filename).parent.mkdir(parents=True, exist_ok=True)
        super().setup_schedule()


app.conf.beat_scheduler = "config.celery:DataFolderScheduler"

REQUEST_ID_HEADER = "x_request_id"
_entered: dict[str, Token] = {}  # task id -> how to restore the request id after it


@before_task_publish.connect
def _carry_request_id(headers=None, **kwargs):
    """The current request's id (or the id a running task inherited) goes into the new task's headers."""
    found = request_context.request_id.get()
    if found and headers is not None:
        headers.setdefault(REQUEST_ID_HEADER, found)


def request_id_of(task) -> str | None:
    """The request id a task was published with (a message header becomes an attribute of `task.request`)."""
    found = getattr(task.request, REQUEST_ID_HEADER, None)
    if found is None:
        found = (task.request.headers or {}).get(REQUEST_ID_HEADER)
    return found if isinstance(found, str) else None


@task_prerun.connect
def _enter_request(task_id=None, task=None, **kwargs):
    found = request_id_of(task)
    if found is None and task.request.is_eager:
        return  # run in place (eager): the caller's request id is already the current one
    _entered[task_id] = request_context.request_id.set(found)


@task_postrun.connect
def _leave_request(task_id=None, **kwargs):
    token = _entered.pop(task_id, None)
    if token is not None:
        try:
            request_context.request_id.reset(token)
        except ValueError:  # set in another context (a pool that switched threads): just clear it
            request_context.request_id.set(None)


@setup_logging.connect
def _use_django_logging(loglevel=None, **kwargs):
    """Keep Django's LOGGING (already applied by django.setup()) rather than Celery's own format.

    Celery leaves logging alone when this signal has a receiver. The worker's
    `--loglevel` (Celery's default: WARNING) still sets the root level.
    """
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)
