"""tests/notifications/test_presence.py again, on a real Redis Cluster (tests/cluster/conftest.py)."""

import pytest

from tests.notifications.test_presence import *  # noqa: F403

pytestmark = pytest.mark.usefixtures("on_cluster")

# This one points REDIS_URL at a dead server; a dead cluster is tests/cluster/test_cluster.py's.
del test_while_redis_is_down_everyone_counts_as_online  # noqa: F821
