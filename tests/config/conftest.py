import pytest

from config.celery import app as celery_app
from config.kernel.redis import get_redis


@pytest.fixture
def publishing():
    """Tasks go to the broker (this test worker's Redis database) instead of running in place."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True
    get_redis().flushdb()  # what was queued here is nobody's work
