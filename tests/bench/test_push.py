"""The Web Push row (bench/push.py) on a few people, in the real database and Redis."""

import pytest

from accounts.models import User
from bench import push
from notifications.models import PushSubscription

pytestmark = pytest.mark.django_db


def test_every_push_is_delivered_and_measured_and_nothing_is_left_behind():
    row = push.measure(count=6)
    assert row["pushes"] == row["delivered"] == 5
    assert row["pushes_per_s"] > 0
    assert row["cpu_ms"]["web"] is not None and row["cpu_ms"]["web"] > 0
    assert "pushes/s" in push.line(row)
    assert not User.objects.filter(username__startswith=push.PREFIX).exists()
    assert not PushSubscription.objects.exists()
