"""Muted words: what matches, the rules for adding them, and every read path they hide posts from."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from config.kernel.api.pagination import PageRequest
from config.kernel.errors import Conflict, ServiceError
from notifications.models import Notification
from notifications.selectors import live_notification_event, notifications_page
from search import selectors as search_selectors
from search.query import parse
from social.graph import muted_words
from social.graph import services as social
from social.graph.models import MutedWord
from social.graph.muted_words import Matcher, hides
from social.graph.tasks import sweep_muted_words
from tests.factories import UserFactory
from tests.notifications.live import cookie_for, listening
from tests.tweets.helpers import post
from timelines import selectors as timelines
from tweets import services as tweets

pytestmark = pytest.mark.django_db


# --- matching ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "text", "hidden"),
    [
        ("coffee", "Morning COFFEE!", True),  # case
        ("coffee", "coffeehouse opens", False),  # whole words only
        ("coffee", "decaf-coffee", True),  # punctuation is a boundary
        ("café", "Un CAFE noir", True),  # accents, either side
        ("cafe", "un café", True),
        ("ﬁsh", "fish and chips", True),  # compatibility forms (NFKD)
        ("game of thrones", "Game  of\nThrones tonight", True),  # a phrase is a word sequence
        ("game of thrones", "game thrones", False),
        ("#rust", "learning #Rust", True),  # the hashtag...
        ("#rust", "rust on the bike", False),  # ...and only the hashtag
        ("rust", "learning #rust", True),  # the word also mutes the hashtag
        ("rust", "#rustlang", False),
        ("@bob", "hi @bob", True),
        ("🍕", "pizza time 🍕", True),
        ("straße", "STRASSE", True),  # casefold
    ],
)
def test_matching(phrase, text, hidden):
    assert Matcher([phrase]).hides(text) is hidden


def test_one_regex_holds_all_of_a_persons_words():
    matcher = Matcher(["alpha", "#beta", "gamma ray"])
    assert [matcher.hides(t) for t in ("Alpha!", "#beta", "a gamma-ray burst", "beta", "gamma")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert not Matcher([])


# --- adding, changing, removing: the rules ------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("", "Enter a word"),
        ("   \n ", "Enter a word"),
        ("x" * 101, "at most 100 characters"),
        ("a\x00b", "NUL"),
        (42, "must be text"),
        (None, "must be text"),
    ],
)
def test_bad_phrases_are_refused_and_change_nothing(user, phrase, message):
    with pytest.raises(ServiceError) as refused:
        social.muted_word_create(user=user, phrase=phrase)
    assert message in refused.value.message and refused.value.status == 400
    assert not MutedWord.objects.exists()


@pytest.mark.parametrize(("field", "kwargs"), [("context", {"context": "profile"}), ("expiresIn", {"expires_in": 60})])
def test_bad_context_or_expiry_is_refused(user, field, kwargs):
    with pytest.raises(ServiceError) as refused:
        social.muted_word_create(user=user, phrase="ok", **kwargs)
    assert field in refused.value.fields
    assert not MutedWord.objects.exists()


def test_100_characters_is_fine_and_spaces_are_collapsed(user):
    assert social.muted_word_create(user=user, phrase="x" * 100).phrase == "x" * 100
    assert social.muted_word_create(user=user, phrase="  game   of thrones ").phrase == "game of thrones"


def test_the_same_word_twice_is_a_conflict(user):
    social.muted_word_create(user=user, phrase="Café")
    with pytest.raises(Conflict):
        social.muted_word_create(user=user, phrase="cafe", context="home")
    assert MutedWord.objects.count() == 1
    social.muted_word_create(user=user, phrase="#cafe")  # the hashtag alone is another word


def test_at_most_200_words_a_person(user, other_user, settings):
    MutedWord.objects.bulk_create(MutedWord(user=user, phrase=f"w{i}") for i in range(200))
    with pytest.raises(Conflict, match="at most 200"):
        social.muted_word_create(user=user, phrase="one more")
    social.muted_word_create(user=other_user, phrase="one more")  # per person
    MutedWord.objects.filter(user=user, phrase="w0").update(expires_at=timezone.now() - timedelta(seconds=1))
    social.muted_word_create(user=user, phrase="one more")  # an expired word makes room


def test_expiry_choices(user):
    before = timezone.now()
    forever = social.muted_word_create(user=user, phrase="a")
    day = social.muted_word_create(user=user, phrase="b", expires_in=86400)
    month = social.muted_word_create(user=user, phrase="c", expires_in=30 * 86400)
    assert forever.expires_at is None
    assert timedelta(hours=23, minutes=59) < day.expires_at - before <= timedelta(days=1, seconds=5)
    assert timedelta(days=29) < month.expires_at - before <= timedelta(days=30, seconds=5)


# --- reading: the home timeline -----------------------------------------------------------------


@pytest.fixture
def reader(db):
    person = UserFactory(username="reader", last_seen_at=timezone.now())
    return person


@pytest.fixture
def author(reader, django_capture_on_commit_callbacks):
    person = UserFactory(username="writer", last_seen_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        social.follow_create(follower=reader, followee=person)
    return person


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def go(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return go


def home_texts(user):
    entries, _ = timelines.home_timeline(user, PageRequest(cursor=None, limit=50))
    return [(e.author.username, e.original.text) for e in entries]


def test_home_hides_matching_posts_retweets_and_quotes_but_not_your_own(reader, author, run):
    friend = UserFactory(username="friend")
    run(social.follow_create, follower=reader, followee=friend)
    spoiler = run(post, friend, "The butler did it: SPOILERS ahead")
    run(post, author, "a clean post")
    run(tweets.retweet_create, user=author, tweet_id=spoiler.pk)
    run(tweets.quote_create, author=author, tweet_id=spoiler.pk, comment="wow")
    run(post, reader, "my own spoilers")
    everything = [text for _, text in home_texts(reader)]
    assert spoiler.text in everything and "wow" in everything
    run(social.muted_word_create, user=reader, phrase="spoilers", context="home")
    assert home_texts(reader) == [("reader", "my own spoilers"), ("writer", "a clean post")]
    # Only for the person who muted it, and the SQL path agrees with Redis.
    assert "wow" in [text for _, text in home_texts(author)]
    rows, _ = timelines.home_from_sql(reader, PageRequest(cursor=None, limit=50))
    assert [e.original.text for e in rows] == ["my own spoilers", "a clean post"]


def test_context_decides_where_a_word_hides(reader, author, run):
    run(post, author, "crypto news")
    run(social.muted_word_create, user=reader, phrase="crypto", context="notifications")
    assert home_texts(reader) == [("writer", "crypto news")]
    word = MutedWord.objects.get(user=reader)
    run(social.muted_word_update, user=reader, word_id=word.pk, context="everywhere")
    assert home_texts(reader) == []
    run(social.muted_word_delete, user=reader, word_id=word.pk)
    assert home_texts(reader) == [("writer", "crypto news")]


def test_an_expired_word_stops_matching_at_once_and_the_sweep_deletes_it(reader, author, run, monkeypatch):
    run(post, author, "hot take incoming")
    run(social.muted_word_create, user=reader, phrase="hot take", expires_in=86400)
    run(social.muted_word_create, user=reader, phrase="forever")
    assert home_texts(reader) == []
    assert sweep_muted_words() == 0
    later = timezone.now() + timedelta(days=1, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)  # a day on: the cached words still say "until then"
    assert home_texts(reader) == [("writer", "hot take incoming")]
    assert sweep_muted_words() == 1
    assert list(MutedWord.objects.values_list("phrase", flat=True)) == ["forever"]
    monkeypatch.undo()


def test_the_new_posts_banner_leaves_muted_posts_out(reader, author, run):
    first = run(post, author, "first")
    run(social.muted_word_create, user=reader, phrase="second")
    run(post, author, "the second one")
    run(post, author, "third")
    assert [e.text for e in timelines.home_newer(reader, first.pk)] == ["third"]


def test_profiles_and_conversations_still_show_everything(reader, author, run, client):
    run(post, author, "spoilers on my profile")
    run(social.muted_word_create, user=reader, phrase="spoilers")
    client.force_login(reader)
    assert "spoilers on my profile" in client.get("/@writer").content.decode()
    assert home_texts(reader) == []


# --- search ---------------------------------------------------------------------------------------


def test_search_and_hashtag_pages_hide_muted_posts(reader, author, run):
    run(post, author, "#coffee is great")
    run(post, author, "tea is great")
    run(social.muted_word_create, user=reader, phrase="#coffee", context="search")

    def searched(q, sort="latest"):
        found, _ = search_selectors.search_tweets(reader, parse(q), PageRequest(cursor=None, limit=20), sort=sort)
        return [t.text for t in found]

    assert searched("great") == ["tea is great"]
    assert searched("great", sort="top") == ["tea is great"]
    found, _ = search_selectors.hashtag_timeline(reader, "coffee", PageRequest(cursor=None, limit=20))
    assert found == []
    assert home_texts(reader) == [("writer", "tea is great"), ("writer", "#coffee is great")]  # search only
    found, _ = search_selectors.search_tweets(author, parse("great"), PageRequest(cursor=None, limit=20))
    assert len(found) == 2  # others still find it


# --- notifications ------------------------------------------------------------------------------------


def test_a_muted_word_makes_no_notification(reader, author, run):
    run(social.muted_word_create, user=reader, phrase="spoilers", context="notifications")
    run(post, author, "@reader spoilers for you")
    run(post, author, "@reader nothing to hide")
    mine = run(post, reader, "my spoilers")
    run(tweets.like_create, user=author, tweet_id=mine.pk)  # your own post still notifies you of likes
    verbs = list(Notification.objects.filter(recipient=reader).values_list("verb", "tweet__text"))
    assert sorted(verbs) == [("like", "my spoilers"), ("mention", "@reader nothing to hide")]


def test_notifications_made_before_the_word_are_hidden_from_the_list_and_live(reader, author, run):
    run(post, author, "@reader the finale spoilers")
    run(post, author, "@reader hello")
    notification = Notification.objects.get(recipient=reader, tweet__text__contains="finale")
    run(social.muted_word_create, user=reader, phrase="finale")
    rows, _ = notifications_page(reader, PageRequest(cursor=None, limit=20))
    assert [r.card.text for r in rows] == ["@reader hello"]
    assert live_notification_event(reader, notification.pk) is None


def test_hides_is_the_one_call_for_other_read_paths(reader, author, run):
    muted = run(post, author, "Spoilers!")
    mine = run(post, reader, "spoilers by me")
    run(social.muted_word_create, user=reader, phrase="spoilers", context="home")
    assert hides(muted, reader, "home") and hides("spoilers", reader, "home")
    assert not hides(muted, reader, "search") and not hides(mine, reader, "home")
    assert not hides(muted, author, "home")


def test_writes_drop_the_cached_words(reader, author, run):
    run(post, author, "apples")
    assert home_texts(reader) == [("writer", "apples")]  # caches "no words"
    other_copy = type(reader).objects.get(pk=reader.pk)  # another request's object
    run(social.muted_word_create, user=other_copy, phrase="apples")
    fresh = type(reader).objects.get(pk=reader.pk)
    assert home_texts(fresh) == []
    assert muted_words.cache_key(reader.pk)


# --- live events --------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("close_thread_connections")
async def test_no_timeline_new_event_for_a_muted_post():
    from notifications.tasks import announce_entry

    alice, bob = await sync_to_async(lambda: (UserFactory(), UserFactory()))()
    await sync_to_async(social.muted_word_create)(user=alice, phrase="spoilers", context="home")
    muted = await sync_to_async(post)(bob, "big SPOILERS")
    fine = await sync_to_async(post)(bob, "a fine day")
    socket = await listening(cookie=await cookie_for(alice))
    await sync_to_async(announce_entry)(muted.pk, bob.pk, [alice.pk])
    await sync_to_async(announce_entry)(fine.pk, bob.pk, [alice.pk])
    event = await socket.receive_json_from(timeout=3)
    assert event["id"] == f"timeline.new:{fine.pk}"  # the muted one never came
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


# --- the account's data ---------------------------------------------------------------------------


def test_export_holds_the_words_and_erasure_removes_them(user, other_user):
    from social.graph import account_data

    social.muted_word_create(user=user, phrase="spoilers", context="home", expires_in=86400)
    social.muted_word_create(user=other_user, phrase="not hers")
    files = dict(account_data.export_user(user=user, files=None))
    [word] = files["muted_words.json"]
    assert word["phrase"] == "spoilers" and word["context"] == "home" and word["expiresAt"].endswith("Z")
    account_data.erase_user(user=user)
    assert list(MutedWord.objects.values_list("phrase", flat=True)) == ["not hers"]


def test_the_user_row_says_whether_there_are_words_to_look_up(user, client):
    """`mutes_words` spares everyone who mutes nothing a cache lookup on every read; it follows the words."""
    from accounts.models import User

    def flag():
        return User.objects.get(pk=user.pk).mutes_words

    assert flag() is False
    first = social.muted_word_create(user=user, phrase="spoilers")
    second = social.muted_word_create(user=user, phrase="crypto", expires_in=86400)
    assert flag() is True
    social.muted_word_delete(user=user, word_id=first.pk)
    assert flag() is True  # one is left
    MutedWord.objects.filter(pk=second.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    social.muted_words_sweep()
    assert flag() is False
    from django.core.cache import cache

    # The flag is what is asked: with it false, not even a (here planted) cached list is read.
    cache.set(muted_words.cache_key(user.pk), [("planted", "everywhere", None)])
    assert muted_words.words_of(User.objects.get(pk=user.pk)) == []
    post(UserFactory(), "planted seeds today")
    client.force_login(user)  # a page's request.user is a lazy object: the flag is read through it
    assert "planted seeds today" in client.get("/search", {"q": "planted", "tab": "latest"}).content.decode()
