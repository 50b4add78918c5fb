"""The timeline outbox: graph changes and deletes reach Redis timelines even when their task never ran."""

from datetime import timedelta

import pytest

from config.kernel.api.pagination import PageRequest
from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post
from timelines import selectors, services
from timelines.models import TimelineChange
from tweets import services as tweet_services

pytestmark = pytest.mark.django_db

DOWN = "redis://127.0.0.1:1/0"


@pytest.fixture
def reader(db, active):
    user = UserFactory(username="reader")
    active(user)
    return user


@pytest.fixture
def home(reader):
    def read():
        items, _ = selectors.home_timeline(reader, PageRequest(cursor=None, limit=50))
        return [e.original.text for e in items]

    return read


@pytest.fixture
def now_run(django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def catch_up() -> int:
    applied, _ = services.apply_changes(older_than=timedelta(0))
    return applied


def test_changes_made_while_redis_was_down_are_applied_once_it_is_back(reader, home, now_run, settings, store):
    kept, left, muted = (UserFactory(username=n) for n in ("kept", "left", "muted"))
    for author in (left, muted):
        now_run(social.follow_create, follower=reader, followee=author)
        post(author, f"{author.username} wrote")
    doomed = post(reader, "my own, deleted later")
    post(kept, "kept wrote")
    assert sorted(home()) == ["left wrote", "muted wrote", "my own, deleted later"]  # built

    up, settings.REDIS_URL = settings.REDIS_URL, DOWN  # Redis goes away; the tasks fail, the writes commit
    now_run(social.follow_create, follower=reader, followee=kept)
    now_run(social.follow_delete, follower=reader, followee=left)
    now_run(social.mute_create, muter=reader, muted=muted)
    now_run(tweet_services.tweet_delete, actor=reader, tweet=doomed)
    assert TimelineChange.objects.count() == 4
    settings.REDIS_URL = up  # back, with the timeline as it was before
    assert store.home_page(reader.pk, None, 10)[0] != []

    assert catch_up() == 4
    assert home() == ["kept wrote"]
    assert sorted(store.home_page(reader.pk, None, 10)[0]) == [kept.tweets.get().pk]
    assert not TimelineChange.objects.exists()


def test_syncs_look_at_the_graph_now_so_order_and_repeats_do_not_matter(reader, home, now_run):
    author = UserFactory(username="author")
    post(author, "hello")
    assert home() == []
    social.follow_create(follower=reader, followee=author)  # tasks not run: rows only
    social.follow_delete(follower=reader, followee=author)
    social.follow_create(follower=reader, followee=author)
    rows = list(TimelineChange.objects.order_by("-id").values_list("id", flat=True))
    services.apply_changes(rows[:1])
    services.apply_changes(rows[1:])  # the older ones after the newest: still following
    assert home() == ["hello"]
    assert services.apply_changes(rows) == (0, 0)  # applied rows are gone


def test_a_sync_waits_while_the_timeline_is_being_rebuilt(reader, home, store):
    author = UserFactory(username="author")
    post(author, "hello")
    store.begin_rebuild(store.home_key(reader.pk))  # a rebuild read the graph before the follow...
    social.follow_create(follower=reader, followee=author)
    assert services.apply_changes(older_than=timedelta(0)) == (0, 1)  # ...so the row waits
    store.finish_rebuild(store.home_key(reader.pk), [], ttl=60)  # which wrote what it read: nothing
    assert store.home_page(reader.pk, None, 10)[0] == []
    assert catch_up() == 1
    assert home() == ["hello"]


def test_the_catch_up_leaves_young_rows_to_their_task(reader):
    social.follow_create(follower=reader, followee=UserFactory())
    assert services.apply_changes(older_than=services.CHANGES_CATCH_UP_AFTER) == (0, 0)
    assert TimelineChange.objects.count() == 1
