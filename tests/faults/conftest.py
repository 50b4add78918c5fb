"""Fixtures for the fault suite: a Redis of the test's own and the Procfile's processes on the test database."""

import pytest

from tests.faults.stack import FaultRedis, RabbitVhost, Stack


@pytest.fixture
def fault_redis(tmp_path):
    server = FaultRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def rabbit_vhost():
    vhost = RabbitVhost()
    vhost.create()
    yield vhost
    vhost.delete()


@pytest.fixture
def broker(request) -> dict:
    """The stack's broker, as `stack_for` env: parametrize with "redis" (the default) or "amqp" (indirect)."""
    if request.param == "redis":
        return {}
    return {"CELERY_BROKER_URL": request.getfixturevalue("rabbit_vhost").url}


@pytest.fixture
def stack_for(tmp_path, fault_redis):
    """`stack_for(*names, **env)`: start those Procfile processes (default web, ws, worker); stopped after."""
    started = []

    def start(*names, **env):
        stack = Stack(tmp_path / "stack", fault_redis.url, **env)
        started.append(stack)
        stack.start(*names)
        return stack

    yield start
    for stack in started:
        stack.stop()
