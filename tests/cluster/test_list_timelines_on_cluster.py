"""tests/timelines/test_list_timelines.py again, on a real Redis Cluster (tests/cluster/conftest.py):
a post fans out to many lists' sets, one script per slot."""

import pytest

from tests.timelines.test_list_timelines import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_cluster")]
