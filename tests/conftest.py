import shutil

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.db import connections
from rest_framework.test import APIClient

from accounts import services
from config.kernel.redis import get_redis
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clean_redis():
    """Each test starts with an empty Redis database of its own worker, and the processes' view of it afresh:
    no circuit breaker left open by an earlier test, no timeline generation remembered from before the flush."""
    from config.kernel import redis as config_redis
    from timelines.store import forget_generations

    config_redis.reset_breakers()
    forget_generations()
    get_redis().flushdb()
    yield


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test gets its own channel layer: channels-redis binds its locks to the event loop that first
    used them, and every async test runs in a loop of its own ("Lock ... is bound to a different event
    loop", a socket closed with 1013, when a test met a layer an earlier test had used)."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)
    shutil.rmtree(tmp_path / "private_media", ignore_errors=True)


@pytest.fixture
def user(db):
    return UserFactory(username="alice", name="Alice Liddell")


@pytest.fixture
def other_user(db):
    return UserFactory(username="bob", name="Bob Builder")


@pytest.fixture
def ann(db):
    return UserFactory(username="ann")


@pytest.fixture
def ben(db):
    return UserFactory(username="ben")


@pytest.fixture
def moderator(db, migration_data):
    """A staff member in the Moderators group (not a superuser)."""
    from django.contrib.auth.models import Group

    person = UserFactory(username="mod", is_staff=True)
    person.groups.add(Group.objects.get(name="Moderators"))
    return person


@pytest.fixture
def client_logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def token_for():
    def make(user):
        return services.token_create(user=user)

    return make


@pytest.fixture
def api_as(token_for):
    """An API client that sends `Authorization: Bearer <token>` for `user`."""

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
        return client

    return make


@pytest.fixture
def user_api(api_as, user):
    return api_as(user)


@pytest_asyncio.fixture
async def close_thread_connections():
    """Async tests touch the database from asgiref's worker thread; close it there.

    Otherwise the connection outlives the test and blocks dropping the test database.
    """
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def migration_data(db):
    """Rows that data migrations make (the Moderators group and its permissions).

    Transactional tests empty every table when they finish, and under xdist a
    later test in the same worker may need these rows back; re-running the
    migrations' own functions restores them (they are idempotent).
    """
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    import_module("accounts.migrations.0002_moderators_group").make_group(apps)
    # Granted by social's 0005 before the split; its content types belong to `moderation` since.
    granted = [codename for _, codename in import_module("social.migrations.0005_moderator_permissions").GRANTED]
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    moderation = Permission.objects.filter(content_type__app_label="moderation", codename__in=granted)
    Group.objects.get(name="Moderators").permissions.add(*moderation)


@pytest.fixture
def link_server(settings):
    """A real HTTP server on 127.0.0.1 with the pages of tests/link_server.py; the fetcher may reach it."""
    from tests.link_server import Server

    settings.LINK_PREVIEW_ALLOW_LOOPBACK = True  # loopback only: every other private range stays refused
    server = Server().start()
    yield server
    server.stop()
