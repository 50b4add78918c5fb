"""The list-timeline row (bench/lists.py): one list of followees per reader, warmed, read over the API."""

import pytest

from bench import lists as bench_lists
from social.graph.models import Follow
from tests.factories import UserFactory
from tests.tweets.helpers import post
from timelines import list_timelines
from timelines.models import List, ListMember
from timelines.store import TimelineStore

pytestmark = pytest.mark.django_db


def test_each_reader_gets_a_warmed_list_of_followees_the_row_reads(token_for, client):
    readers, people = UserFactory.create_batch(2), UserFactory.create_batch(4)
    for reader in readers:
        Follow.objects.bulk_create([Follow(follower=reader, followee=p) for p in people[:3]])
    posted = post(people[0], "in the list")

    bench_lists.make_lists([r.pk for r in readers], size=2)
    again = bench_lists.make_lists([r.pk for r in readers], size=2)  # a rerun replaces, never piles up
    assert List.objects.count() == 2 and set(again) == {r.pk for r in readers}
    for lst in List.objects.all():
        assert lst.member_count == ListMember.objects.filter(list=lst).count() == 2

    assert bench_lists.warm(list(again.values())) == 2
    for lst in List.objects.all():
        assert list_timelines.read_page(TimelineStore(), lst, None, 20) is not None  # built

    tokens = {r.pk: token_for(r) for r in readers}
    plan = bench_lists.requests(again, tokens)
    assert len(plan) == 2
    for request in plan:
        response = client.get(request["path"], HTTP_AUTHORIZATION=request["headers"]["Authorization"])
        assert response.status_code == 200
        assert [t["id"] for t in response.json()["tweets"]] == [str(posted.pk)]


def test_the_row_is_in_the_table():
    from bench import run

    assert "list_api" in run.TABLE and "list_api" in run.TARGETS
