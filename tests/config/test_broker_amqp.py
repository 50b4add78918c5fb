"""RabbitMQ as the broker, when it refuses or hangs: a publish fails fast and opens the broker's breaker.

A worker on a real RabbitMQ, every queue and a worker killed mid-fan-out:
tests/faults/test_rabbitmq.py and tests/faults/test_worker_faults.py.
"""

import json
import socket
import subprocess
import sys

import pytest

from tests.faults.stack import ROOT, free_port
from tests.services import app_process_env

# In a process of the app's own, whose settings read CELERY_BROKER_URL=amqp://... at start.
PUBLISH = """
import json, time
import django
django.setup()
from django.conf import settings
from config.kernel.redis import breaker
from config.kernel.tasks import _broker_address, enqueue, task_named

task = task_named("tweets.tasks.publish_scheduled_posts")  # loads the tasks modules: not timed

assert settings.CELERY_BROKER_TRANSPORT_OPTIONS == {"confirm_publish": True}
timings = []
for _ in range(2):
    started = time.monotonic()
    assert not enqueue(task)
    timings.append(time.monotonic() - started)
print(json.dumps({"timings": timings, "open": breaker(_broker_address(settings.CELERY_BROKER_URL)).is_open}))
"""


def publish_to(url: str) -> dict:
    env = app_process_env(CELERY_BROKER_URL=url, DJANGO_SETTINGS_MODULE="config.settings")
    done = subprocess.run(
        [sys.executable, "-c", PUBLISH], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def silent_port():
    """A port that accepts connections (the kernel's backlog) and never says a word: a hung broker."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def test_a_refused_rabbitmq_fails_the_publish_at_once_then_is_not_asked():
    found = publish_to(f"amqp://guest:guest@127.0.0.1:{free_port()}//")
    first, second = found["timings"]
    assert found["open"]
    assert first < 0.5, first  # refused at once; the one retry is immediate
    assert second < 0.05, second  # the breaker is open: not even a connection attempt


def test_a_hung_rabbitmq_holds_a_publish_for_its_timeouts_only(silent_port):
    found = publish_to(f"amqp://guest:guest@127.0.0.1:{silent_port}//")
    first, second = found["timings"]
    assert found["open"]
    assert first < 1.0, first  # the 0.3 s connection timeout (0.34 s measured)
    assert second < 0.05, second
