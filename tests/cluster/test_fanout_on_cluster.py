"""tests/timelines/test_fanout.py again, on a real Redis Cluster (tests/cluster/conftest.py)."""

import pytest

from tests.timelines.conftest import active, built, store  # noqa: F401 (the fixtures those tests take)
from tests.timelines.test_fanout import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_cluster")]
