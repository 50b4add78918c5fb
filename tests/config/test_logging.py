"""Structured logs: every record names its request, in Celery tasks too."""

import io
import json
import logging
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery import shared_task
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.db import connection

from config.celery import REQUEST_ID_HEADER
from config.celery import app as celery_app
from config.kernel import request_context
from config.kernel.logging import JsonFormatter, PlainFormatter, RequestIdFilter
from tests.services import app_process_env
from tweets.models import Tweet

ROOT = Path(__file__).resolve().parents[2]
task_logger = logging.getLogger("tests.config.tasks")


@pytest.fixture
def json_lines():
    """What the root logger writes through the JSON formatter and the request filter, as parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous, root.level = root.level, logging.INFO
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.level = previous


@shared_task
def say_something(text: str) -> None:
    task_logger.warning("task says %s", text)


def test_a_json_record_carries_the_request_id(client, json_lines):
    response = client.get("/no/such/page", HTTP_X_REQUEST_ID="req-json-0001")
    assert response.status_code == 404 and response["X-Request-ID"] == "req-json-0001"
    (record,) = [line for line in json_lines() if line["logger"] == "django.request"]
    assert record["request_id"] == "req-json-0001"
    assert record["level"] == "WARNING" and record["message"] == "Not Found: /no/such/page"
    assert record["request"] == {"method": "GET", "path": "/no/such/page"} and record["status_code"] == 404
    assert record["timestamp"].endswith("+00:00")


def test_a_record_logged_after_the_middleware_still_names_its_request(client, json_lines):
    # A view that answers 405 itself is logged by Django's handler once the middleware has finished.
    response = client.post("/healthz", HTTP_X_REQUEST_ID="req-late-0002")
    assert response.status_code == 405
    (record,) = [line for line in json_lines() if line["logger"] == "django.request"]
    assert record["request_id"] == "req-late-0002"


def test_outside_a_request_the_id_is_null(json_lines):
    logging.getLogger("tests.config").warning("no request here")
    assert json_lines()[-1]["request_id"] is None


def test_the_plain_format_shows_the_id_or_a_dash():
    formatter = PlainFormatter(fmt="%(levelname)s [%(request_id)s] %(message)s")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    RequestIdFilter().filter(record)
    assert formatter.format(record) == "INFO [-] hello"
    token = request_context.request_id.set("abc12345")
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
        RequestIdFilter().filter(record)
    finally:
        request_context.request_id.reset(token)
    assert formatter.format(record) == "INFO [abc12345] hello"


def test_the_settings_choose_the_format(settings):
    assert settings.LOGGING["handlers"]["console"]["formatter"] == settings.LOG_FORMAT
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["request"]
    assert settings.LOG_FORMAT == "plain"  # development; production defaults to json


# --- into Celery --------------------------------------------------------------------


def test_a_task_queued_during_a_request_logs_the_request_id(json_lines):
    """Eager (as in the tests): the task runs inside the request, under its id."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    def view(request):
        say_something.delay("hello from a task")
        return HttpResponse("ok")

    response = request_context.RequestContextMiddleware(view)(RequestFactory().get("/"))
    (record,) = [line for line in json_lines() if line["logger"] == "tests.config.tasks"]
    assert record["request_id"] == response["X-Request-ID"]
    assert record["task_name"].endswith("say_something") and record["task_id"]


def test_publishing_puts_the_request_id_in_the_headers():
    headers = {}
    token = request_context.request_id.set("req-publish-03")
    try:
        before_task_publish.send(sender="t", body=(), exchange="", routing_key="default", headers=headers)
    finally:
        request_context.request_id.reset(token)
    assert headers[REQUEST_ID_HEADER] == "req-publish-03"

    outside = {}
    before_task_publish.send(sender="t", body=(), exchange="", routing_key="default", headers=outside)
    assert REQUEST_ID_HEADER not in outside  # beat, the shell: no request


class FakeTask:
    def __init__(self, **request):
        self.request = SimpleNamespace(is_eager=False, headers=None, **request)


def test_the_worker_runs_a_task_under_its_request_id_and_forgets_it_after():
    seen = []
    # As the worker builds it: a message header becomes an attribute of task.request.
    task = FakeTask(**{REQUEST_ID_HEADER: "req-worker-04"})
    task_prerun.send(sender=task, task_id="t-1", task=task, args=(), kwargs={})
    seen.append(request_context.request_id.get())
    task_postrun.send(sender=task, task_id="t-1", task=task, args=(), kwargs={}, retval=None, state="SUCCESS")
    seen.append(request_context.request_id.get())

    beat_task = FakeTask()
    token = request_context.request_id.set("stale-from-before")
    try:
        task_prerun.send(sender=beat_task, task_id="t-2", task=beat_task, args=(), kwargs={})
        seen.append(request_context.request_id.get())  # a task without one doesn't inherit a stale id
        task_postrun.send(sender=beat_task, task_id="t-2", task=beat_task, args=(), kwargs={}, retval=None)
        seen.append(request_context.request_id.get())
    finally:
        request_context.request_id.reset(token)
    assert seen == ["req-worker-04", None, None, "stale-from-before"]


def test_the_header_survives_the_broker(publishing):
    """A real publish to Redis: the message's headers carry the id."""
    token = request_context.request_id.set("req-broker-05")
    try:
        say_something.delay("queued")
    finally:
        request_context.request_id.reset(token)
    from config.kernel.redis import get_redis

    message = json.loads(get_redis().lpop("default"))
    assert message["headers"][REQUEST_ID_HEADER] == "req-broker-05"
    assert message["headers"]["task"].endswith("say_something")


@pytest.fixture
def publishing():
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


# --- with a real worker ---------------------------------------------------------------


@pytest.fixture
def json_worker(publishing):
    """A Celery worker process logging JSON, as in production."""
    env = app_process_env(LOG_FORMAT="json")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--queues=timelines,notifications",
         "--loglevel=INFO", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    yield process
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
    connection.close()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_logs_the_request_id_of_the_request_that_queued_its_task(json_worker, user_api):
    response = user_api.post("/api/v1/tweets", {"text": "logged by a worker"}, HTTP_X_REQUEST_ID="req-real-worker-06")
    assert response.status_code == 201, response.content
    tweet_id = int(response.json()["tweetId"])

    deadline = time.monotonic() + 30
    while not Tweet.objects.filter(pk=tweet_id, fanned_out=True).exists():
        assert json_worker.poll() is None, json_worker.stdout.read()
        assert time.monotonic() < deadline, "the worker never fanned the post out"
        time.sleep(0.2)
    time.sleep(0.5)  # the success line is written just after the fan-out commits
    json_worker.terminate()
    output, _ = json_worker.communicate(timeout=15)

    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    mine = [r for r in records if r.get("task_name") == "timelines.tasks.fan_out_entry"]
    assert mine, output
    assert all(r["request_id"] == "req-real-worker-06" for r in mine), mine
    assert any("succeeded" in r["message"] for r in mine), mine
