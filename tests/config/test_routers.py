"""The replica router's decisions (no replica needed: the router only names a database)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import MiddlewareNotUsed
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject
from knox.models import AuthToken
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from accounts.models import User
from config.kernel import routers
from config.kernel.redis import get_redis
from config.kernel.routers import (
    PIN_COOKIE,
    ReplicaMiddleware,
    ReplicaRouter,
    person_pinned,
    pin_key,
    pin_person,
    primary_reads,
    replica_reads,
)
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
        # An app registered, sent to /oauth/authorize, its code exchanged, its token used: each right after.
        for model in (Application, Grant, AccessToken, RefreshToken):
            assert router.db_for_read(model) == "default"


def test_what_fills_a_cache_reads_the_primary_inside_a_read_context():
    with replica_reads():
        with primary_reads():
            assert router.db_for_read(Tweet) == "default"
        assert router.db_for_read(Tweet) == "replica"


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
        if "as" in request.GET:  # what DRF's token or OAuth authentication does once it found the person
            request.user = User(pk=int(request.GET["as"]))
        seen["signed_in"] = router.db_for_read(Tweet)
        if request.GET.get("write"):
            router.db_for_write(Tweet)  # what Model.save() asks
        if request.GET.get("sql"):
            with connection.cursor() as cursor:  # hand-written SQL, which never asks the router
                cursor.execute(request.GET["sql"])
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
        assert seen == {"before": "replica", "signed_in": "replica", "after": "replica"}
        assert PIN_COOKIE not in response.cookies
    assert router.db_for_read(Tweet) == "default"  # the context ends with the request


def test_other_methods_use_the_primary(middleware):
    handle, seen = middleware
    handle(RequestFactory().post("/"))
    assert seen == {"before": "default", "signed_in": "default", "after": "default"}


def test_a_write_pins_the_rest_of_the_request_and_the_browser_to_the_primary(middleware, settings):
    handle, seen = middleware
    response = handle(RequestFactory().get("/?write=1"))
    assert seen == {"before": "replica", "signed_in": "replica", "after": "default"}
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


def test_a_write_pins_the_person_on_every_device_and_client(middleware, settings):
    """An app sends no cookies, and a phone and a browser share none: the pin is the person's, in Redis."""
    handle, seen = middleware
    response = handle(RequestFactory().post("/?as=41&write=1"))  # Ada posts from her app
    assert 0 < get_redis().ttl(pin_key(41)) <= settings.DATABASE_REPLICA_PIN_SECONDS

    handle(RequestFactory().get("/?as=41"))  # her browser or another app, no cookie from that answer
    assert seen["before"] == "replica"  # not known yet: what anyone may read (a token's lookup is the primary's)
    assert seen["signed_in"] == seen["after"] == "default"  # once authentication found her: the primary
    handle(RequestFactory().get("/?as=42"))  # someone else
    assert seen["signed_in"] == seen["after"] == "replica"
    assert response.cookies[PIN_COOKIE]  # and her browser, if it was one, before anyone is signed in

    get_redis().delete(pin_key(41))  # the pin's time is up
    handle(RequestFactory().get("/?as=41"))
    assert seen["after"] == "replica"


def test_a_session_names_its_person_before_their_user_is_loaded(middleware):
    handle, seen = middleware
    pin_person(7)
    for person, expected in ((7, "default"), (8, "replica")):
        request = RequestFactory().get("/")
        request.session = {SESSION_KEY: str(person)}  # SessionMiddleware's, read from the primary
        request.user = SimpleLazyObject(lambda: pytest.fail("the router must not load the user"))
        handle(request)
        assert seen["before"] == expected
    request = RequestFactory().get("/")
    request.session = {SESSION_KEY: "not-an-id"}
    handle(request)
    assert seen["before"] == "replica"


@pytest.mark.django_db
def test_hand_written_sql_that_writes_pins_the_person(middleware):
    """A follow is an INSERT ... ON CONFLICT and a hand-written UPDATE of the counts: no router call."""
    handle, seen = middleware
    write = "UPDATE accounts_user SET bio = bio WHERE id = -1"
    response = handle(RequestFactory().get("/", {"as": 43, "sql": write}))
    assert seen["after"] == "default" and PIN_COOKIE in response.cookies and person_pinned(43)

    for read in ("SELECT 1", "  select count(*) from accounts_user", "WITH x AS (SELECT 1) SELECT * FROM x"):
        response = handle(RequestFactory().get("/", {"as": 44, "sql": read}))
        assert PIN_COOKIE not in response.cookies and not person_pinned(44), read
    written = "WITH moved AS (UPDATE accounts_user SET bio = bio WHERE id = -1 RETURNING id) SELECT * FROM moved"
    assert PIN_COOKIE in handle(RequestFactory().get("/", {"as": 44, "sql": written})).cookies


def test_with_redis_away_a_person_reads_the_primary(middleware, settings):
    """Whether they wrote can't be told: the primary has everything. The write itself never fails for it."""
    handle, seen = middleware
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    handle(RequestFactory().post("/?as=45&write=1"))  # no error: the pin is only lost
    handle(RequestFactory().get("/?as=46"))
    assert seen["signed_in"] == "default"
    handle(RequestFactory().get("/"))  # no one signed in: nothing to ask Redis about
    assert seen["after"] == "replica"


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
