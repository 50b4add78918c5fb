"""People lists cost the same number of queries for 1 person or 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from social.graph.models import Follow
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LISTS = {
    "api followers": "/api/v1/users/{u}/followers?limit=50",
    "api following": "/api/v1/users/{u}/following?limit=50",
    "page followers": "/@{u}/followers?limit=50",
    "page following": "/@{u}/following?limit=50",
    "api follow requests": "/api/v1/follow-requests?limit=50",
    "page follow requests": "/follow-requests?limit=50",
}


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", list(LISTS))
def test_people_lists_do_not_grow(client, user, name, django_assert_max_num_queries):
    from social.graph.models import FollowRequest

    client.force_login(user)
    url = LISTS[name].format(u=user.username)
    counts = []
    for size in (1, 49):
        for _ in range(size):
            person = UserFactory()
            Follow.objects.create(follower=person, followee=user)
            Follow.objects.create(follower=user, followee=person)
            FollowRequest.objects.create(requester=UserFactory(), target=user)
        with django_assert_max_num_queries(12):
            counts.append(count(client, url))
    assert counts[0] == counts[1], f"{name}: {counts[0]} queries for 1, {counts[1]} for 50"
