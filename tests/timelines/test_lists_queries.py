"""Query caps: the lists page, a list's timeline (page and API) and the list APIs, for 2 items and for 40."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.tweets.helpers import post
from timelines import lists_services
from timelines.models import List, ListMember
from tweets import services as tweet_services

pytestmark = pytest.mark.django_db


def _grow(owner, lst, size):
    """`size` more lists for the owner, members on `lst`, and posts of each kind by them."""
    List.objects.bulk_create([List(owner=owner, name=f"l{len(owner.lists.all())}-{i}") for i in range(size)])
    people = UserFactory.create_batch(size)
    for person in people:
        lists_services.list_member_add(actor=owner, lst=lst, member=person)
    for i, person in enumerate(people):
        if i % 3 == 0:
            post(person, f"post {i}", reply_to_id=post(people[0], "parent").pk)
        elif i % 3 == 1:
            tweet_services.retweet_create(user=person, tweet_id=post(people[-1], f"rt {i}").pk)
        else:
            post(person, f"quote {i}", quote_of_id=post(people[0], f"q {i}").pk)


@pytest.mark.parametrize(
    ("path", "cap"),
    [
        ("/lists?limit=50", 10),
        ("/lists/{id}?limit=50", 12),
        ("/lists/{id}/members?limit=50", 14),
        ("/api/v1/lists?limit=50", 10),
        ("/api/v1/lists/{id}/timeline?limit=50", 10),
        ("/api/v1/lists/{id}/members?limit=50", 12),
    ],
)
def test_list_reads_do_not_grow(user, path, cap, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    lst = lists_services.list_create(owner=user, name="Big")
    client = APIClient()
    client.force_login(user)
    counts = []
    for size in (2, 38):
        with django_capture_on_commit_callbacks(execute=True):
            _grow(user, lst, size)
        url = path.format(id=lst.pk)
        client.get(url)  # builds and warms the timeline
        with django_assert_max_num_queries(cap), CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    if "/lists/{id}?" in path or "timeline" in path:
        # A page refills when retweets fold into their post's card: at most MAX_ROUNDS rounds of
        # the same few queries, whatever the size (the cap above holds for three).
        assert counts[1] - counts[0] <= 4, counts
    else:
        assert counts[0] == counts[1], counts
    assert ListMember.objects.count() == 40
