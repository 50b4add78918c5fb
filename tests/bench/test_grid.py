"""The scale grid (bench/grid.py) and the experiments' helpers, on a handful of accounts in the real stores."""

import pytest

from accounts.models import User
from bench import experiment, grid
from social.graph.models import Follow
from tests.factories import UserFactory
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    users = UserFactory.create_batch(12)
    for n, person in enumerate(users):
        for i in range(3):
            Tweet.objects.create(author=person, text=f"post {i} by {n}")
    return [u.pk for u in users]


def test_following_exactly_keeps_the_counters_right(people):
    reader, first, second = people[0], people[1:4], people[4:6]
    experiment.follow_exactly(reader, first)
    experiment.follow_exactly(reader, second)
    assert set(Follow.objects.filter(follower_id=reader).values_list("followee_id", flat=True)) == set(second)
    assert User.objects.get(pk=reader).following_count == 2
    assert [User.objects.get(pk=pk).followers_count for pk in first + second] == [0, 0, 0, 1, 1]


def test_each_reader_follows_its_count_and_both_paths_are_measured(people):
    readers = grid.set_up_readers((2, 5))
    assert [User.objects.get(pk=readers[n]).following_count for n in (2, 5)] == [2, 5]

    found = grid.measure(readers, rounds=4)

    for row in found.values():
        assert row["sql_page_within_redis"]
        for path in ("redis", "sql"):
            assert row[path]["p95_ms"] >= row[path]["p50_ms"] > 0
            assert set(row[path]["cpu_ms"]) == {"web", "db", "redis", "total"}


def test_turns_combine_into_the_worse_p95_and_the_mean_cpu():
    runs = [
        {"p50_ms": 1.0, "p95_ms": 2.0, "cpu_ms": {"web": 1.0, "db": 0.5, "redis": 0.1, "total": 1.6}},
        {"p50_ms": 3.0, "p95_ms": 5.0, "cpu_ms": {"web": 2.0, "db": 0.5, "redis": None, "total": None}},
    ]
    assert grid.combine(runs) == {
        "p50_ms": 2.0,
        "p95_ms": 5.0,
        "cpu_ms": {"web": 1.5, "db": 0.5, "redis": None, "total": None},
    }
