"""The replica router's decisions (no replica needed: the router only names a database)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import MiddlewareNotUsed
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from knox.models import AuthToken

from accounts.models import User
from config.kernel import routers
from config.kernel.routers import PIN_COOKIE, ReplicaMiddleware, ReplicaRouter, replica_reads
from tweets.models import Tweet

ROOT = Path(__file__).resolve().parents[2]
router = ReplicaRouter()


def test_outside_a_read_context_everything_uses_the_primary():
    assert router.db_for_read(Tweet) == "default"  # tasks, commands, consumers, POSTs
    assert router.db_for_write(Tweet) == "default"


def test_in_a_read_context_reads_use_the_replica_until_something_is_written():
    with replica_reads():
        assert router.db_for_read(Tweet) == "replica"
        assert router.db_for_read(User) == "replica"
        assert router.db_for_write(Tweet) == "default"
        assert router.db_for_read(Tweet) == "default"  # read your own write
    assert router.db_for_read(Tweet) == "default"
    with replica_reads():
        assert router.db_for_read(Tweet) == "replica"  # a new context starts afresh


def test_sessions_and_tokens_are_always_read_from_the_primary():
    with replica_reads():
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(AuthToken) == "default"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inside_a_transaction_reads_use_the_primary():
    with replica_reads():
        assert router.db_for_read(Tweet) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Tweet) == "default"
        assert router.db_for_read(Tweet) == "replica"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "tweets") is True
    assert router.allow_migrate("replica", "tweets") is False
    assert router.allow_relation(object(), object()) is True


def test_the_orm_asks_the_router(settings):
    settings.DATABASE_ROUTERS = ["config.kernel.routers.ReplicaRouter"]
    assert Tweet.objects.all().db == "default"
    with replica_reads():
        assert Tweet.objects.all().db == "replica"
        assert Tweet.objects.select_for_update().db == "default"  # taken for writing


# --- the middleware -----------------------------------------------------------------


@pytest.fixture
def middleware(monkeypatch):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    seen = {}

    def view(request):
        seen["before"] = router.db_for_read(Tweet)
        if request.GET.get("write"):
            router.db_for_write(Tweet)  # what Model.save() asks
        seen["after"] = router.db_for_read(Tweet)
        return HttpResponse("ok")

    return ReplicaMiddleware(view), seen


def test_without_a_replica_the_middleware_steps_aside():
    with pytest.raises(MiddlewareNotUsed):
        ReplicaMiddleware(lambda request: HttpResponse())


def test_get_and_head_read_from_the_replica(middleware):
    handle, seen = middleware
    for method in ("get", "head"):
        response = handle(getattr(RequestFactory(), method)("/"))
        assert seen == {"before": "replica", "after": "replica"}
        assert PIN_COOKIE not in response.cookies
    assert router.db_for_read(Tweet) == "default"  # the context ends with the request


def test_other_methods_use_the_primary(middleware):
    handle, seen = middleware
    handle(RequestFactory().post("/"))
    assert seen == {"before": "default", "after": "default"}


def test_a_write_pins_the_rest_of_the_request_and_the_browser_to_the_primary(middleware, settings):
    handle, seen = middleware
    response = handle(RequestFactory().get("/?write=1"))
    assert seen == {"before": "replica", "after": "default"}
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS and cookie["httponly"]

    factory = RequestFactory()
    factory.cookies[PIN_COOKIE] = cookie.value  # the next page, a moment later
    handle(factory.get("/"))
    assert seen["before"] == "default"

    factory.cookies[PIN_COOKIE] = str(int(time.time()) - settings.DATABASE_REPLICA_PIN_SECONDS - 1)
    handle(factory.get("/"))
    assert seen["before"] == "replica"
    factory.cookies[PIN_COOKIE] = "not-a-time"
    handle(factory.get("/"))
    assert seen["before"] == "replica"


def test_a_post_that_writes_pins_the_browser(middleware):
    handle, _ = middleware
    assert PIN_COOKIE in handle(RequestFactory().post("/?write=1")).cookies
    assert PIN_COOKIE not in handle(RequestFactory().post("/")).cookies  # a refused form wrote nothing


# --- the settings -------------------------------------------------------------------

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "aliases": sorted(settings.DATABASES),
    "replica": {k: settings.DATABASES["replica"].get(k) for k in ("HOST", "NAME", "ENGINE", "OPTIONS", "TEST")}
    if "replica" in settings.DATABASES else None,
    "primary_options": settings.DATABASES["default"].get("OPTIONS"),
    "routers": settings.DATABASE_ROUTERS,
}, default=lambda o: getattr(o, "__qualname__", str(o))))  # functions (the pool's check) by name
"""


def probe(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URL"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL="postgres://postgres@127.0.0.1:5432/chirp")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_replica_is_configured_only_by_its_variable():
    assert probe() == {**probe(), "aliases": ["default"], "replica": None, "routers": []}

    found = probe(DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/chirp")
    assert found["aliases"] == ["default", "replica"]
    assert found["routers"] == ["config.kernel.routers.ReplicaRouter"]
    replica = found["replica"]
    assert replica["HOST"] == "replica.internal" and replica["NAME"] == "chirp"
    assert replica["ENGINE"] == "django.db.backends.postgresql"
    assert replica["OPTIONS"] == found["primary_options"]  # the same pool and search settings
    assert replica["TEST"]["MIRROR"] == "default"  # tests never create a replica database


REDIS_PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "cache": settings.CACHES["default"].get("LOCATION"),
    "layer": [host["address"] for host in settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"]],
    "broker": settings.CELERY_BROKER_URL,
    "data": settings.REDIS_URL,
}))
"""


def test_redis_can_be_split_per_concern():
    """Not the router's, but the same "Scaling out" section: each part of Redis may move to its own server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS", "CELERY"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", REDIS_URL="redis://data:6379/0")
    run = lambda **more: json.loads(  # noqa: E731
        subprocess.run(
            [sys.executable, "-c", REDIS_PROBE],
            cwd=ROOT,
            env={**env, **more},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[-1]
    )
    together = run()
    assert together == {"cache": "redis://data:6379/0", "layer": ["redis://data:6379/0"],
                        "broker": "redis://data:6379/0", "data": "redis://data:6379/0"}  # fmt: skip
    apart = run(REDIS_CACHE_URL="redis://cache:6379/0", REDIS_CHANNELS_URL="redis://live:6379/0",
                CELERY_BROKER_URL="redis://queues:6379/0")  # fmt: skip
    assert apart == {"cache": "redis://cache:6379/0", "layer": ["redis://live:6379/0"],
                     "broker": "redis://queues:6379/0", "data": "redis://data:6379/0"}  # fmt: skip
