"""RabbitMQ as the broker (CELERY_BROKER_URL=amqp://...): every queue goes through a real worker.

The fault test of a worker killed mid-fan-out runs on RabbitMQ too
(tests/faults/test_worker_faults.py, parametrized by broker).
"""

import json
import subprocess
import sys

import pytest

from config.celery import QUEUES
from config.celery import app as celery_app
from tests.faults.stack import ROOT, wait_until
from tests.services import app_process_env

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# One cheap task per queue; none needs data to succeed.
TASK_OF_QUEUE = {
    "default": ("tweets.tasks.publish_scheduled_posts", []),
    "timelines": ("timelines.tasks.apply_pending_changes", []),
    "media": ("config.kernel.media_tasks.process_image", ["tweets.Media", 0]),
    "notifications": ("notifications.tasks.purge_stale_presence", []),
    "maintenance": ("accounts.tasks.purge_idempotency_keys", []),
}

# Published as the web process publishes (config/kernel/tasks.py's enqueue, the settings of an
# amqp URL: publisher confirms), in a process of the app's own.
PUBLISH = """
import json, sys
import django
django.setup()
from django.conf import settings
from config.kernel.tasks import enqueue
assert settings.CELERY_BROKER_TRANSPORT_OPTIONS == {"confirm_publish": True}, settings.CELERY_BROKER_TRANSPORT_OPTIONS
for name, args in json.loads(sys.argv[1]):
    assert enqueue(name, *args), name
"""


def test_a_task_of_every_queue_goes_through_rabbitmq(rabbit_vhost, stack_for):
    assert set(TASK_OF_QUEUE) == set(QUEUES)
    for queue, (name, _) in TASK_OF_QUEUE.items():
        assert celery_app.amqp.router.route({}, name)["queue"].name == queue

    env = app_process_env(CELERY_BROKER_URL=rabbit_vhost.url, DJANGO_SETTINGS_MODULE="config.settings")
    published = subprocess.run(
        [sys.executable, "-c", PUBLISH, json.dumps(list(TASK_OF_QUEUE.values()))],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert published.returncode == 0, published.stderr[-3000:]
    # Confirmed by RabbitMQ: each task waits in its own queue (durable, declared by the publish).
    assert rabbit_vhost.queues() == dict.fromkeys(QUEUES, (1, 0))

    stack = stack_for("worker", CELERY_BROKER_URL=rabbit_vhost.url)

    def ran() -> bool:
        done = [line for line in stack.log("worker").splitlines() if "succeeded" in line]
        return all(any(f"Task {name}[" in line for line in done) for name, _ in TASK_OF_QUEUE.values())

    wait_until(ran, timeout=60, every=0.5, what="every task run by the worker")

    # Acknowledged (acks_late: after it ran), so nothing is left in any queue.
    def emptied() -> bool:  # our queues; the worker adds its own (remote control, events)
        counts = rabbit_vhost.queues()
        return all(counts[queue] == (0, 0) for queue in QUEUES)

    wait_until(emptied, timeout=10, what="every queue empty")
    assert stack.processes["worker"].poll() is None
