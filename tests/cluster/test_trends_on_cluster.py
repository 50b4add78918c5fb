"""tests/search/test_trends.py again, on a real Redis Cluster (tests/cluster/conftest.py)."""

import pytest

from tests.search.test_trends import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_cluster")]

# These point REDIS_URL at a dead server; a dead cluster is tests/cluster/test_cluster.py's.
del test_a_redis_failure_only_loses_the_count  # noqa: F821
