"""Reading the home timeline: contents after every kind of change, paging, rebuilds, degraded mode."""

import pytest
from django.conf import settings as django_settings

from accounts import services as account_services
from config.kernel.api.pagination import PageRequest
from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post
from timelines import selectors, services
from timelines.store import TimelineStore
from tweets import services as tweet_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(db, active):
    user = UserFactory(username="reader")
    active(user)
    return user


@pytest.fixture
def home(reader):
    """The texts on the reader's first home page (read through Redis)."""

    def read(limit=50, kind=None, rank="latest"):
        items, _ = selectors.home_timeline(reader, PageRequest(cursor=None, limit=limit), kind=kind, rank=rank)
        return [(e.original.text, e.retweet_of_id is not None) for e in items]

    return read


def texts(found):
    return [text for text, _ in found]


@pytest.fixture
def now_run(django_capture_on_commit_callbacks):
    """Run a write and the timeline tasks it schedules after commit, as production does."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def test_post_follow_unfollow(reader, home, now_run, active, store):
    author = UserFactory(username="author")
    active(author)
    post(author, "before the follow")
    assert home() == []  # built now, empty
    now_run(social.follow_create, follower=reader, followee=author)
    assert texts(home()) == ["before the follow"]  # merged on follow
    now_run(post, author, "after the follow")
    assert texts(home()) == ["after the follow", "before the follow"]
    now_run(post, reader, "my own")
    assert texts(home())[0] == "my own"
    now_run(social.follow_delete, follower=reader, followee=author)
    assert texts(home()) == ["my own"]
    assert store.home_exists(reader.pk)  # changed in place, not rebuilt


def test_block_and_mute_and_unmute(reader, home, now_run):
    loud, rude = UserFactory(username="loud"), UserFactory(username="rude")
    for other in (loud, rude):
        now_run(social.follow_create, follower=reader, followee=other)
        now_run(post, other, f"{other.username} says hi")
    assert sorted(texts(home())) == ["loud says hi", "rude says hi"]
    now_run(social.block_create, blocker=reader, blocked=rude)
    now_run(social.mute_create, muter=reader, muted=loud)
    assert home() == []
    now_run(social.mute_delete, muter=reader, muted=loud)
    assert texts(home()) == ["loud says hi"]


def test_retweets_and_delete(reader, home, now_run):
    friend, stranger = UserFactory(username="friend"), UserFactory(username="stranger")
    now_run(social.follow_create, follower=reader, followee=friend)
    original = post(stranger, "worth spreading")
    now_run(tweet_services.retweet_create, user=friend, tweet_id=original.pk)
    assert home() == [("worth spreading", True)]
    mine = now_run(post, friend, "soon deleted")
    assert texts(home()) == ["soon deleted", "worth spreading"]
    now_run(tweet_services.tweet_delete, actor=friend, tweet=mine)
    assert texts(home()) == ["worth spreading"]
    assert mine.pk not in TimelineStore().home_page(reader.pk, None, 10)[0]  # removed, not just hidden


def test_several_retweets_of_one_post_show_once(reader, now_run):
    a, b, author = UserFactory(username="a"), UserFactory(username="b"), UserFactory(username="author")
    for friend in (a, b):
        now_run(social.follow_create, follower=reader, followee=friend)
    original = post(author, "popular")
    now_run(tweet_services.retweet_create, user=a, tweet_id=original.pk)
    now_run(tweet_services.retweet_create, user=b, tweet_id=original.pk)
    items, _ = selectors.home_timeline(reader, PageRequest(cursor=None, limit=20))
    assert len(items) == 1
    assert [p.username for p in items[0].retweeters] == ["b", "a"]


def test_turning_private_keeps_followers_and_hides_from_others(reader, home, now_run, active):
    author, relay = UserFactory(username="author"), UserFactory(username="relay")
    now_run(social.follow_create, follower=reader, followee=author)
    other_reader = UserFactory(username="other")
    active(other_reader)
    now_run(social.follow_create, follower=other_reader, followee=relay)
    tweet = now_run(post, author, "going private soon")
    now_run(tweet_services.retweet_create, user=relay, tweet_id=tweet.pk)
    now_run(account_services.privacy_update, user=author, is_private=True)
    assert texts(home()) == ["going private soon"]  # a follower keeps seeing it
    items, _ = selectors.home_timeline(other_reader, PageRequest(cursor=None, limit=20))
    assert items == []  # the relay's retweet no longer shows to a non-follower


def test_celebrity_posts_are_merged_at_read_time(reader, home, now_run, settings):
    settings.TIMELINE_FANOUT_MAX_FOLLOWERS = 1
    star, friend = UserFactory(username="star"), UserFactory(username="friend")
    now_run(social.follow_create, follower=reader, followee=friend)
    now_run(social.follow_create, follower=reader, followee=star)
    now_run(social.follow_create, follower=friend, followee=star)  # now above the threshold
    now_run(post, friend, "friend 1")
    now_run(post, star, "star 1")
    now_run(post, friend, "friend 2")
    now_run(post, star, "star 2")
    assert texts(home()) == ["star 2", "friend 2", "star 1", "friend 1"]
    store = TimelineStore()
    assert all(e not in store.home_page(reader.pk, None, 10)[0] for e in store.recent_pages([star.pk], None, 10))


def test_cursor_paging_across_the_merge_has_no_gaps_or_duplicates(reader, now_run, settings):
    settings.TIMELINE_FANOUT_MAX_FOLLOWERS = 1
    star, friend = UserFactory(username="star"), UserFactory(username="friend")
    for author in (friend, star):
        now_run(social.follow_create, follower=reader, followee=author)
    now_run(social.follow_create, follower=friend, followee=star)
    expected = []
    for i in range(13):
        author = star if i % 3 == 0 else friend
        expected.append(now_run(post, author, f"post {i}").pk)
    seen, cursor = [], None
    while True:
        items, cursor = selectors.home_timeline(reader, PageRequest(cursor=cursor, limit=4))
        seen += [e.pk for e in items]
        if cursor is None:
            break
    assert seen == sorted(expected, reverse=True)


def test_rebuild_after_the_key_is_deleted(reader, home, now_run, store):
    author = UserFactory(username="author")
    now_run(social.follow_create, follower=reader, followee=author)
    now_run(post, author, "remember me")
    assert texts(home()) == ["remember me"]
    store.drop_home(reader.pk)
    assert texts(home()) == ["remember me"]
    assert store.home_exists(reader.pk)
    assert store.stats()["miss"] == 2 and "hit" not in store.stats()  # built on first read, rebuilt after delete
    home()
    assert store.stats()["hit"] == 1


def test_a_locked_rebuild_serves_sql_meanwhile(reader, now_run, store):
    author = UserFactory(username="author")
    now_run(social.follow_create, follower=reader, followee=author)
    now_run(post, author, "from sql")
    store.drop_home(reader.pk)
    assert store.acquire_rebuild_lock(reader.pk)  # another request is building it
    items, _ = selectors.home_timeline(reader, PageRequest(cursor=None, limit=10))
    assert [e.text for e in items] == ["from sql"]
    assert not store.home_exists(reader.pk)


def test_filters_and_top(reader, home, now_run):
    from tests import images

    friend = UserFactory(username="friend")
    now_run(social.follow_create, follower=reader, followee=friend)
    plain = now_run(post, friend, "plain")
    now_run(post, friend, "picture", uploads=[(images.png_upload(), "")])
    now_run(post, friend, "a reply", reply_to_id=plain.pk)
    other = post(UserFactory(), "someone else's")
    now_run(tweet_services.retweet_create, user=friend, tweet_id=other.pk)
    assert texts(home(kind="media")) == ["picture"]
    assert texts(home(kind="replies")) == ["a reply"]
    assert home(kind="retweets") == [("someone else's", True)]
    for fan in [UserFactory() for _ in range(3)]:
        tweet_services.like_create(user=fan, tweet_id=plain.pk)
    assert texts(home(rank="top"))[0] == "plain"  # most liked, all of the same age


def test_redis_unreachable_then_back(reader, home, now_run, settings, user_api, active):
    author = UserFactory(username="author")
    active(author)
    now_run(social.follow_create, follower=reader, followee=author)
    assert home() == []  # built while Redis is up
    up = settings.REDIS_URL
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # Redis goes away
    tweet = now_run(post, author, "written while Redis was down")
    assert texts(home()) == ["written while Redis was down"]  # read from SQL
    tweet.refresh_from_db()
    assert tweet.fanned_out is False
    settings.REDIS_URL = up  # Redis is back; the periodic catch-up finishes the fan-out
    from datetime import timedelta

    assert services.fan_out_pending(older_than=timedelta(0)) == 1
    assert tweet.pk in TimelineStore().home_page(reader.pk, None, 10)[0]
    tweet.refresh_from_db()
    assert tweet.fanned_out


def test_older_pages_continue_in_sql_past_the_800(reader, now_run, settings, store):
    settings.TIMELINE_MAX_ENTRIES = 3
    settings.TIMELINE_TRIM_SLACK = 0
    author = UserFactory(username="author")
    now_run(social.follow_create, follower=reader, followee=author)
    selectors.home_timeline(reader, PageRequest(cursor=None, limit=2))  # built now, then fed by fan-out
    made = [now_run(post, author, f"p{i}").pk for i in range(6)]
    assert len(store.home_page(reader.pk, None, 10)[0]) == 3  # only the newest three stay in Redis
    seen, cursor = [], None
    while True:
        items, cursor = selectors.home_timeline(reader, PageRequest(cursor=cursor, limit=2))
        seen += [e.pk for e in items]
        if cursor is None:
            break
    assert seen == sorted(made, reverse=True)


def test_returning_after_a_long_absence_rebuilds(reader, store, now_run):
    from datetime import timedelta

    from django.utils import timezone

    store.replace_home(reader.pk, [])
    reader.last_seen_at = timezone.now() - django_settings.TIMELINE_INACTIVE_AFTER - timedelta(days=1)
    reader.save()
    services.note_visit(reader)
    assert not store.home_exists(reader.pk)
    reader.refresh_from_db()
    assert timezone.now() - reader.last_seen_at < timedelta(minutes=1)
