"""A list's timeline: Redis like home (fan-out, rebuild on a miss, SQL when Redis is down), membership
changes, and only what the reader may see."""

import pytest

from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post
from timelines import list_timelines, lists_selectors, lists_services
from timelines.store import TimelineStore
from tweets import services as tweet_services

pytestmark = pytest.mark.django_db

REFUSED = "redis://127.0.0.1:1/0"


@pytest.fixture
def birds(user, ann):
    lst = lists_services.list_create(owner=user, name="Birds")
    lists_services.list_member_add(actor=user, lst=lst, member=ann)
    return lst


def texts(viewer, lst, **page):
    from config.kernel.api.pagination import PageRequest

    entries, _ = lists_selectors.list_timeline(viewer, lst, PageRequest(page.get("cursor"), page.get("limit", 20)))
    return [e.original.text for e in entries]


def cached(lst):
    lst.refresh_from_db()
    found = list_timelines.read_page(TimelineStore(), lst, None, 1000)
    return None if found is None else found[0]


def test_a_miss_rebuilds_from_postgresql_and_fan_out_adds_to_the_built_set(
    user, ann, birds, django_capture_on_commit_callbacks
):
    old = post(ann, "before the list was read")
    assert cached(birds) is None
    assert texts(user, birds) == ["before the list was read"]
    assert cached(birds) == [old.pk]  # the read built it
    with django_capture_on_commit_callbacks(execute=True):
        new = post(ann, "fanned out")
    assert cached(birds) == [new.pk, old.pk]  # the fan-out task pushed it
    assert texts(user, birds) == ["fanned out", "before the list was read"]


def test_fan_out_never_starts_a_list_set_nobody_read(ann, birds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(ann, "into nothing")
    assert cached(birds) is None


def test_retweets_by_members_show_and_deletes_leave(user, ann, ben, birds, django_capture_on_commit_callbacks):
    theirs = post(ben, "ben's post")
    assert texts(user, birds) == []
    with django_capture_on_commit_callbacks(execute=True):
        tweet_services.retweet_create(user=ann, tweet_id=theirs.pk)
        mine = post(ann, "to delete")
    assert texts(user, birds) == ["to delete", "ben's post"]
    with django_capture_on_commit_callbacks(execute=True):
        tweet_services.tweet_delete(actor=ann, tweet=mine)
    assert texts(user, birds) == ["ben's post"]
    assert mine.pk not in cached(birds)


def test_adding_and_removing_members_changes_the_timeline_at_once(user, ann, ben, birds):
    post(ann, "ann")
    post(ben, "ben, posted before being added")
    assert texts(user, birds) == ["ann"]
    lists_services.list_member_add(actor=user, lst=birds, member=ben)
    assert texts(user, birds) == ["ben, posted before being added", "ann"]
    lists_services.list_member_remove(actor=user, lst=birds, member_id=ann.pk)
    assert texts(user, birds) == ["ben, posted before being added"]


def test_pages_continue_by_cursor(user, ann, birds):
    for i in range(5):
        post(ann, f"p{i}")
    from config.kernel.api.pagination import PageRequest

    first, cursor = lists_selectors.list_timeline(user, birds, PageRequest(None, 2))
    second, cursor2 = lists_selectors.list_timeline(user, birds, PageRequest(cursor, 2))
    third, end = lists_selectors.list_timeline(user, birds, PageRequest(cursor2, 2))
    assert [e.text for e in first + second + third] == ["p4", "p3", "p2", "p1", "p0"] and end is None


def test_sql_serves_the_same_page_when_redis_is_down(user, ann, birds, settings):
    post(ann, "one")
    post(ann, "two")
    settings.REDIS_URL = REFUSED
    assert texts(user, birds) == ["two", "one"]
    assert [t.text for t in lists_selectors.list_newer(user, birds, 1)] == ["two", "one"]


def test_sql_serves_the_page_when_asked_to(user, ann, birds, settings):
    post(ann, "from sql")
    settings.TIMELINE_READ_FROM_SQL = True
    assert texts(user, birds) == ["from sql"]
    assert cached(birds) is None


def test_a_page_past_the_trimmed_set_continues_in_sql(user, ann, birds, settings):
    settings.TIMELINE_MAX_ENTRIES = 3
    for i in range(6):
        post(ann, f"p{i}")
    assert texts(user, birds, limit=10) == ["p5", "p4", "p3", "p2", "p1", "p0"]


def test_the_reader_sees_only_what_they_may(user, ann, birds, django_capture_on_commit_callbacks):
    """The set holds every member's posts; the read drops what this reader may not see."""
    locked = UserFactory(username="locked", is_private=True)
    lists_services.list_member_add(actor=user, lst=birds, member=locked)
    post(locked, "protected")
    post(ann, "open")
    assert texts(user, birds) == ["open"]  # a private member the owner doesn't follow
    with django_capture_on_commit_callbacks(execute=True):
        social.follow_create(follower=user, followee=locked)  # a request: still not visible
    assert texts(user, birds) == ["open"]
    with django_capture_on_commit_callbacks(execute=True):
        social.block_create(blocker=ann, blocked=user)
    assert texts(user, birds) == []


def test_mutes_do_not_hide_list_members(user, ann, birds, django_capture_on_commit_callbacks):
    post(ann, "still here")
    with django_capture_on_commit_callbacks(execute=True):
        social.mute_create(muter=user, muted=ann)
    assert texts(user, birds) == ["still here"]


def test_a_public_list_read_by_someone_else_is_filtered_for_them(ann, birds, django_capture_on_commit_callbacks):
    stranger = UserFactory()
    post(ann, "hello")
    with django_capture_on_commit_callbacks(execute=True):
        social.block_create(blocker=stranger, blocked=ann)
    assert texts(stranger, birds) == []


def test_newer_entries_come_from_the_built_set(user, ann, birds, django_capture_on_commit_callbacks):
    first = post(ann, "seen")
    assert texts(user, birds) == ["seen"]  # builds the set
    with django_capture_on_commit_callbacks(execute=True):
        post(ann, "new one")
        post(ann, "newest")
    assert len(cached(birds)) == 3  # fanned out into the built set
    assert [t.text for t in lists_selectors.list_newer(user, birds, first.pk)] == ["newest", "new one"]


def test_a_deleted_list_is_no_longer_fanned_out_to(user, ann, birds, django_capture_on_commit_callbacks):
    texts(user, birds)
    lists_services.list_delete(actor=user, lst=birds)
    with django_capture_on_commit_callbacks(execute=True):
        post(ann, "after the list went")  # no list holds Ann now: nothing to do, nothing fails
    assert ann.list_memberships.count() == 0


def test_the_old_set_goes_after_a_membership_change_and_a_delete(user, ben, birds, django_capture_on_commit_callbacks):
    texts(user, birds)
    old_key = list_timelines.key_of(TimelineStore(), birds)
    assert TimelineStore().redis.exists(old_key)
    with django_capture_on_commit_callbacks(execute=True):
        lists_services.list_member_add(actor=user, lst=birds, member=ben)
    assert not TimelineStore().redis.exists(old_key)
    texts(user, birds)
    new_key = list_timelines.key_of(TimelineStore(), birds)
    with django_capture_on_commit_callbacks(execute=True):
        lists_services.list_delete(actor=user, lst=birds)
    assert not TimelineStore().redis.exists(new_key)


def test_muted_words_hide_posts_in_lists_as_on_home(user, ann, birds, settings, django_capture_on_commit_callbacks):
    from social.graph.services import muted_word_create

    with django_capture_on_commit_callbacks(execute=True):
        post(ann, "the finale SPOILERS inside")
        post(ann, "a quiet post")
    muted_word_create(user=user, phrase="spoilers", context="home")
    assert texts(user, birds) == ["a quiet post"]  # from Redis
    settings.TIMELINE_READ_FROM_SQL = True
    assert texts(user, birds) == ["a quiet post"]  # and from SQL
    assert texts(ann, birds) == ["a quiet post", "the finale SPOILERS inside"]  # her words, not his
