"""tests/timelines/test_store.py again, on a real Redis Cluster (tests/cluster/conftest.py)."""

import pytest

from tests.timelines.conftest import active, built, store  # noqa: F401 (the fixtures those tests take)
from tests.timelines.test_store import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_cluster")]

# These point REDIS_URL at a dead server; a dead cluster is tests/cluster/test_cluster.py's.
del test_the_client_comes_from_a_function_not_import_time  # noqa: F821
