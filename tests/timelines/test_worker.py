"""One integration test with a real Celery worker process and real Redis."""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app as celery_app
from social.graph.models import Follow
from tests.factories import UserFactory
from tests.services import app_process_env
from tests.tweets.helpers import post
from timelines import rebuild as timeline_rebuild
from timelines.store import TimelineStore

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker():
    env = app_process_env()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--queues=timelines,default",
         "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    celery_app.conf.task_always_eager = False
    yield process
    celery_app.conf.task_always_eager = True
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
    connection.close()


def test_a_post_reaches_a_follower_through_the_worker(worker, active):
    author, reader = UserFactory(username="author"), UserFactory(username="reader")
    Follow.objects.create(follower=reader, followee=author)
    active(reader)
    store = TimelineStore()
    timeline_rebuild.rebuild_home(reader.pk, store)

    tweet = post(author, "delivered by a real worker")  # commits; the task goes to Redis, not run here

    # The task writes Redis first and marks the row after, so wait for both.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        tweet.refresh_from_db(fields=["fanned_out"])
        if tweet.fanned_out and tweet.pk in store.home_page(reader.pk, None, 10)[0]:
            break
        assert worker.poll() is None, worker.stdout.read()
        time.sleep(0.2)
    else:
        pytest.fail("the worker never fanned the post out and marked it")
