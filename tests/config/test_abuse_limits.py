"""Abuse limits (config/kernel/abuse.py): every limit refuses at its edge and not before, on the page and in the API.

The limits' clock is frozen (config.kernel.ratelimit.now) at 06:10 UTC, so the
windows and `Retry-After` are exact: an hour's window has 50 minutes left.
"""

from __future__ import annotations

import html
import uuid
from datetime import timedelta

import pytest
import redis
from django.test import Client
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from accounts.models import User
from config.kernel import abuse, ratelimit
from notifications.models import Notification
from social.graph import services as social_services
from social.graph.models import Follow, FollowRequest
from social.messages import services as dm_services
from social.messages.models import Message
from tests.factories import UserFactory
from tweets import services as tweet_services
from tweets.models import Like, Tweet

pytestmark = pytest.mark.django_db

START = 1_900_000_000 // 86400 * 86400 + 6 * 3600 + 10 * 60  # a day at 06:10 UTC
LEFT_IN_HOUR = 50 * 60


class Clock:
    def __init__(self) -> None:
        self.at = float(START)

    def __call__(self) -> float:
        return self.at

    def move(self, seconds: float) -> None:
        self.at += seconds


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    frozen = Clock()
    monkeypatch.setattr(ratelimit, "now", frozen)
    return frozen


def limit_to(settings, **rates) -> None:
    """Per-account limits for this test; the rest keep their defaults."""
    settings.ABUSE_LIMITS = {**settings.ABUSE_LIMITS, **rates}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def token() -> str:
    return str(uuid.uuid4())


# --- the message, and the defaults --------------------------------------------------------


def test_the_message_says_what_the_limit_is_and_when_to_come_back():
    rate = ratelimit.Rate.parse("300/3h")
    assert abuse.limit_message("post", rate, 42 * 60) == (
        "You've reached the limit of 300 posts in 3 hours. Try again in 42 minutes."
    )
    assert abuse.limit_message("like", ratelimit.Rate.parse("1000/d"), 2 * 3600 + 9 * 60 + 30) == (
        "You've reached the limit of 1,000 likes in a day. Try again in 2 hours 10 minutes."
    )
    assert abuse.limit_message("follow", ratelimit.Rate.parse("3/h"), 40, per_address=True) == (
        "Too many follows from your network: the limit is 3 in an hour. Try again in 40 seconds."
    )


def test_the_defaults_are_twitters(settings):
    assert settings.ABUSE_LIMITS == {"post": "300/3h", "follow": "400/d", "like": "1000/d", "message": "500/d",
                                     "upload": "100/h"}  # fmt: skip
    assert settings.ABUSE_LIMITS_PER_IP == {"post": "1500/3h", "follow": "2000/d", "like": "5000/d",
                                            "message": "2500/d", "upload": "300/h"}  # fmt: skip
    assert settings.ABUSE_DUPLICATE_TEXT == "3/10m"
    assert settings.ACCOUNT_RATE_LIMITS["signup"] == "20/h/ip"
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["signup"] == "20/hour"


# --- each limit at its edge, through the API and the page -----------------------------------

NOUNS = {"post": "posts", "like": "likes", "follow": "follows", "message": "messages"}


def _scenario(action: str, door: str, user, client, api):
    """(do the i-th action, what a refusal must not change, what success answers)."""
    if action == "post":
        rows = Tweet.objects.filter(author=user).count
        if door == "api":
            return (lambda i: api.post("/api/v1/tweets", {"text": f"post number {i}"}, format="json")), rows, 201
        return (lambda i: client.post("/compose", {"text": f"post number {i}", "form_token": token()})), rows, 302
    if action == "like":
        author = UserFactory()
        targets = [tweet_services.tweet_create(author=author, text_input=f"likeable {i}") for i in range(5)]
        rows = Like.objects.filter(user=user).count
        if door == "api":
            return (lambda i: api.post(f"/api/v1/tweets/{targets[i].pk}/like")), rows, 200
        return (lambda i: client.post(f"/tweets/{targets[i].pk}/like", HTTP_HX_REQUEST="true")), rows, 200
    if action == "follow":
        people = [UserFactory() for _ in range(5)]
        rows = Follow.objects.filter(follower=user).count
        if door == "api":
            return (lambda i: api.post(f"/api/v1/users/{people[i].username}/follow")), rows, 200
        return (lambda i: client.post(f"/@{people[i].username}/follow", HTTP_HX_REQUEST="true")), rows, 200
    if action == "message":
        ben = UserFactory(username="ben")
        rows = Message.objects.filter(sender=user).count
        if door == "api":
            body = lambda i: {"recipientId": str(ben.pk), "messageText": f"message number {i}"}  # noqa: E731
            return (lambda i: api.post("/api/v1/messages", body(i), format="json")), rows, 201
        conversation, _ = dm_services.conversation_start(creator=user, participant_ids=[ben.pk])
        url = f"/messages/{conversation.pk}/send"
        return (lambda i: client.post(url, {"text": f"message number {i}", "form_token": token()})), rows, 302
    raise AssertionError(action)


@pytest.mark.parametrize("door", ["api", "page"])
@pytest.mark.parametrize("action", ["post", "like", "follow", "message"])
def test_each_limit_refuses_the_next_action_at_its_edge_and_not_before(
    settings, client_logged_in, user_api, user, action, door
):
    act, rows, success = _scenario(action, door, user, client_logged_in, user_api)
    limit_to(settings, **{action: "3/h"})

    for i in range(3):
        assert act(i).status_code == success, f"attempt {i + 1} of 3 was refused"
    assert rows() == 3

    refused = act(3)
    message = f"You've reached the limit of 3 {NOUNS[action]} in an hour. Try again in 50 minutes."
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(LEFT_IN_HOUR)
    if door == "api":
        assert refused.json() == {"error": message}
    else:
        assert message in page_text(refused)
    assert rows() == 3  # the refused action changed nothing


def test_the_page_and_the_api_share_one_budget(settings, client_logged_in, user_api, user):
    limit_to(settings, post="3/h")
    assert user_api.post("/api/v1/tweets", {"text": "one"}, format="json").status_code == 201
    assert client_logged_in.post("/compose", {"text": "two", "form_token": token()}).status_code == 302
    assert user_api.post("/api/v1/tweets", {"text": "three"}, format="json").status_code == 201
    page = client_logged_in.post("/compose", {"text": "four", "form_token": token()}, HTTP_HX_REQUEST="true")
    assert page.status_code == 429 and "You've reached the limit of 3 posts" in page_text(page)
    assert 'class="compose"' in page_text(page)  # htmx swaps the form back in, with the message and the text
    assert ">four</textarea>" in page_text(page)
    assert Tweet.objects.filter(author=user).count() == 3


def test_a_refused_like_without_javascript_comes_back_as_a_flash_message(settings, client_logged_in, other_user):
    tweets = [tweet_services.tweet_create(author=other_user, text_input=f"post {i}") for i in range(2)]
    limit_to(settings, like="1/h")
    assert client_logged_in.post(f"/tweets/{tweets[0].pk}/like").status_code == 302
    page = client_logged_in.post(f"/tweets/{tweets[1].pk}/like", {"next": "/"}, follow=True)
    assert "You've reached the limit of 1 like in an hour. Try again in 50 minutes." in page_text(page)
    assert Like.objects.filter(tweet=tweets[1]).count() == 0


# --- what counts, and what doesn't --------------------------------------------------------------


def test_retweets_and_quotes_count_as_posts_and_a_repeat_costs_nothing(settings, user_api, user, other_user):
    originals = [tweet_services.tweet_create(author=other_user, text_input=f"original {i}") for i in range(3)]
    limit_to(settings, post="3/h")
    assert user_api.post("/api/v1/tweets", {"text": "my own"}, format="json").status_code == 201
    assert user_api.post(f"/api/v1/tweets/{originals[0].pk}/retweet").status_code == 200
    assert user_api.post(f"/api/v1/tweets/{originals[1].pk}/retweet", {"comment": "a quote"}).status_code == 200

    again = user_api.post(f"/api/v1/tweets/{originals[0].pk}/retweet")  # already retweeted: idempotent, free
    assert again.status_code == 200 and again.json()["retweeted"] is True

    refused = user_api.post(f"/api/v1/tweets/{originals[2].pk}/retweet")
    assert refused.status_code == 429 and refused["Retry-After"] == str(LEFT_IN_HOUR)
    reply = user_api.post("/api/v1/tweets", {"text": "a reply", "replyToTweetId": str(originals[2].pk)})
    assert reply.status_code == 429
    originals[2].refresh_from_db()
    assert (originals[2].retweet_count, originals[2].reply_count) == (0, 0)
    assert Tweet.objects.filter(author=user).count() == 3


def test_a_refused_like_or_follow_moves_no_count_and_notifies_nobody(settings, user_api, user, other_user):
    tweets = [tweet_services.tweet_create(author=other_user, text_input=f"post {i}") for i in range(2)]
    private = UserFactory(username="wren", is_private=True)
    limit_to(settings, like="1/h", follow="1/h")

    assert user_api.post(f"/api/v1/tweets/{tweets[0].pk}/like").status_code == 200
    assert user_api.post(f"/api/v1/tweets/{tweets[0].pk}/like").json()["liked"] is True  # a repeat is free
    assert user_api.post(f"/api/v1/tweets/{tweets[1].pk}/like").status_code == 429

    assert user_api.post("/api/v1/users/wren/follow").json() == {"state": "requested"}  # a request is a follow
    assert user_api.post("/api/v1/users/wren/follow").json() == {"state": "requested"}
    assert user_api.post(f"/api/v1/users/{other_user.username}/follow").status_code == 429

    tweets[1].refresh_from_db()
    other_user.refresh_from_db()
    user.refresh_from_db()
    assert tweets[1].like_count == 0 and other_user.followers_count == 0 and user.following_count == 0
    assert not Follow.objects.filter(follower=user).exists()
    assert list(FollowRequest.objects.filter(requester=user).values_list("target", flat=True)) == [private.pk]
    told = Notification.objects.filter(recipient=other_user, actor=user)
    assert list(told.values_list("verb", "tweet")) == [("like", tweets[0].pk)]  # the first like only


def test_a_refused_message_to_someone_new_starts_no_conversation(settings, user_api, user):
    ben, cleo = UserFactory(username="ben"), UserFactory(username="cleo")
    limit_to(settings, message="1/h")
    assert user_api.post("/api/v1/messages", {"recipientId": str(ben.pk), "messageText": "hi Ben"}).status_code == 201
    refused = user_api.post("/api/v1/messages", {"recipientId": str(cleo.pk), "messageText": "hi Cleo"})
    assert refused.status_code == 429
    assert not cleo.conversations.exists()


def test_backdated_imports_are_not_limited(settings, user):
    limit_to(settings, post="1/h")
    settings.ABUSE_DUPLICATE_TEXT = "1/10m"
    when = timezone.now() - timedelta(days=1)
    for _ in range(3):  # the demo data's way in
        tweet_services.tweet_create(author=user, text_input="Thank you!", created_at=when)
    assert Tweet.objects.filter(author=user).count() == 3


def test_an_empty_setting_turns_a_limit_off(settings, user_api, other_user):
    tweets = [tweet_services.tweet_create(author=other_user, text_input=f"post {i}") for i in range(3)]
    limit_to(settings, like="")
    settings.ABUSE_LIMITS_PER_IP = {**settings.ABUSE_LIMITS_PER_IP, "like": ""}
    assert all(user_api.post(f"/api/v1/tweets/{t.pk}/like").status_code == 200 for t in tweets)


# --- per address ------------------------------------------------------------------------------


def test_two_accounts_at_one_address_share_its_budget(settings, api_as, user, other_user):
    limit_to(settings, post="100/h")
    settings.ABUSE_LIMITS_PER_IP = {**settings.ABUSE_LIMITS_PER_IP, "post": "3/h"}
    alice, bob = api_as(user), api_as(other_user)
    assert alice.post("/api/v1/tweets", {"text": "alice 1"}).status_code == 201
    assert alice.post("/api/v1/tweets", {"text": "alice 2"}).status_code == 201
    assert bob.post("/api/v1/tweets", {"text": "bob 1"}).status_code == 201

    refused = bob.post("/api/v1/tweets", {"text": "bob 2"})
    assert refused.status_code == 429 and refused["Retry-After"] == str(LEFT_IN_HOUR)
    assert refused.json()["error"] == (
        "Too many posts from your network: the limit is 3 in an hour. Try again in 50 minutes."
    )
    assert not Tweet.objects.filter(text="bob 2").exists()

    assert bob.post("/api/v1/tweets", {"text": "bob 2"}, REMOTE_ADDR="203.0.113.5").status_code == 201
    tweet_services.tweet_create(author=other_user, text_input="bob 3")  # outside a request: the account's limit only


def test_the_page_counts_the_address_too(settings, client, user, other_user):
    settings.ABUSE_LIMITS_PER_IP = {**settings.ABUSE_LIMITS_PER_IP, "follow": "1/h"}
    carol = UserFactory(username="carol")
    client.force_login(user)
    assert client.post("/@carol/follow", HTTP_HX_REQUEST="true").status_code == 200
    client.force_login(other_user)
    refused = client.post("/@carol/follow", HTTP_HX_REQUEST="true")
    assert refused.status_code == 429 and refused["HX-Retarget"] == "#toasts"
    assert "Too many follows from your network: the limit is 1 in an hour." in page_text(refused)
    assert Follow.objects.filter(followee=carol).count() == 1


def test_ipv6_addresses_count_by_their_64(settings, api_as, user, other_user):
    settings.ABUSE_LIMITS_PER_IP = {**settings.ABUSE_LIMITS_PER_IP, "post": "1/h"}
    assert abuse.network_of("2001:db8:1:2:aaaa::1") == abuse.network_of("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert abuse.network_of("198.51.100.7") == "198.51.100.7"
    first = api_as(user).post("/api/v1/tweets", {"text": "one"}, REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    second = api_as(other_user).post("/api/v1/tweets", {"text": "two"}, REMOTE_ADDR="2001:db8:1:2:bbbb::9")
    elsewhere = api_as(other_user).post("/api/v1/tweets", {"text": "three"}, REMOTE_ADDR="2001:db8:1:3::1")
    assert (first.status_code, second.status_code, elsewhere.status_code) == (201, 429, 201)


def test_refused_attempts_use_up_no_budget(settings, api_as, user, other_user):
    limit_to(settings, post="2/h")
    settings.ABUSE_LIMITS_PER_IP = {**settings.ABUSE_LIMITS_PER_IP, "post": "3/h"}
    alice, bob = api_as(user), api_as(other_user)
    for i in range(2):
        assert alice.post("/api/v1/tweets", {"text": f"alice {i}"}).status_code == 201
    for i in range(5):  # alice hammers at her own limit: the address's budget doesn't move
        assert alice.post("/api/v1/tweets", {"text": f"more {i}"}).status_code == 429
    assert alice.post("/api/v1/tweets", {"text": "no"}).json()["error"].startswith("You've reached the limit of 2")
    assert bob.post("/api/v1/tweets", {"text": "bob"}).status_code == 201
    assert bob.post("/api/v1/tweets", {"text": "bob again"}).json()["error"].startswith("Too many posts from your")


def test_a_new_window_opens_the_budget_again(settings, clock, user_api):
    limit_to(settings, post="1/h")
    assert user_api.post("/api/v1/tweets", {"text": "one"}).status_code == 201
    assert user_api.post("/api/v1/tweets", {"text": "two"}).status_code == 429
    clock.move(LEFT_IN_HOUR)
    assert user_api.post("/api/v1/tweets", {"text": "two"}).status_code == 201


# --- sign-ups per address an hour ----------------------------------------------------------------


def signup_data(n: int) -> dict:
    return {"name": f"New {n}", "email": f"new{n}@example.com", "username": f"new_{n}",
            "password1": "a-long-unusual-passphrase"}  # fmt: skip


def test_page_signups_are_limited_per_address_an_hour(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/h/ip"}
    for n in range(3):
        assert Client().post("/accounts/signup/", signup_data(n)).status_code == 302
    refused = Client().post("/accounts/signup/", signup_data(3))
    assert refused.status_code == 429
    assert "Too many sign-ups from your network in the last hour. Try again later." in page_text(refused)
    assert not User.objects.filter(username="new_3").exists()
    other_address = Client(REMOTE_ADDR="203.0.113.5").post("/accounts/signup/", signup_data(3))
    assert other_address.status_code == 302 and User.objects.filter(username="new_3").exists()


def test_page_signups_behind_a_proxy_count_the_address_it_saw(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/h/ip"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7").post("/accounts/signup/", signup_data(0))
    second = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.8").post("/accounts/signup/", signup_data(1))
    again = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7").post("/accounts/signup/", signup_data(2))
    assert (first.status_code, second.status_code, again.status_code) == (302, 302, 429)


def test_api_signups_are_limited_per_address_an_hour(settings, api_client):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "signup": "3/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    def body(n):
        return {**signup_data(n), "password": "a-long-unusual-passphrase"}

    for n in range(3):
        assert api_client.post("/api/v1/signup", body(n), format="json").status_code == 201
    refused = api_client.post("/api/v1/signup", body(3), format="json")
    assert refused.status_code == 429 and refused["Retry-After"] == str(LEFT_IN_HOUR)
    assert not User.objects.filter(username="new_3").exists()
    elsewhere = api_client.post("/api/v1/signup", body(3), format="json", REMOTE_ADDR="203.0.113.5")
    assert elsewhere.status_code == 201


# --- the flood check ------------------------------------------------------------------------------


def test_the_same_text_a_fourth_time_in_ten_minutes_is_refused(clock, user_api, user, other_user):
    original = tweet_services.tweet_create(author=other_user, text_input="An original thought")
    # Case and spacing don't make a text new; replies and quotes are posts too.
    assert user_api.post("/api/v1/tweets", {"text": "Buy cheap followers!"}).status_code == 201
    assert user_api.post("/api/v1/tweets", {"text": "buy  CHEAP\nfollowers!"}).status_code == 201
    reply = {"text": "Buy cheap followers! ", "replyToTweetId": str(original.pk)}
    assert user_api.post("/api/v1/tweets", reply).status_code == 201

    clock.move(60)
    refused = user_api.post(f"/api/v1/tweets/{original.pk}/retweet", {"comment": "BUY cheap followers!"})
    assert refused.status_code == 429 and refused["Retry-After"] == str(540)
    assert refused.json() == {
        "error": "You've already posted that 3 times in the last 10 minutes. Write something new, or try again in "
        "9 minutes.",
        "fields": {"text": [refused.json()["error"]]},
    }
    assert Tweet.objects.filter(author=user).count() == 3
    original.refresh_from_db()
    assert original.quote_count == 0

    assert user_api.post("/api/v1/tweets", {"text": "Something else entirely"}).status_code == 201
    clock.move(540)
    # (Not character for character the first: that would be taken for a retry of it.)
    assert user_api.post("/api/v1/tweets", {"text": "BUY cheap followers!"}).status_code == 201


# The flood check takes "same" and "SAME" for one text; a retry is only the very same text
# (tweets.services.tweet_create), so these tests vary the case to post the "same" text anew.


def test_the_flood_window_slides(clock, user_api):
    assert user_api.post("/api/v1/tweets", {"text": "same"}).status_code == 201
    clock.move(300)
    assert user_api.post("/api/v1/tweets", {"text": "Same"}).status_code == 201
    assert user_api.post("/api/v1/tweets", {"text": "sAme"}).status_code == 201
    clock.move(301)  # the first has left the last ten minutes; the other two haven't
    assert user_api.post("/api/v1/tweets", {"text": "saMe"}).status_code == 201
    refused = user_api.post("/api/v1/tweets", {"text": "samE"})
    assert refused.status_code == 429 and refused["Retry-After"] == "299"


def test_the_compose_page_shows_the_flood_refusal_on_the_text(client_logged_in, user):
    for text in ("Hello world", "hello world", "HELLO world"):
        assert client_logged_in.post("/compose", {"text": text, "form_token": token()}).status_code == 302
    page = client_logged_in.post("/compose", {"text": "hello   WORLD", "form_token": token()})
    assert page.status_code == 429 and page["Retry-After"] == "600"
    assert 'class="field-error"' in page.content.decode()
    assert "You've already posted that 3 times in the last 10 minutes." in page_text(page)
    assert Tweet.objects.filter(author=user).count() == 3


def test_a_refused_duplicate_uses_no_posting_budget(settings, user_api):
    limit_to(settings, post="4/h")
    for text in ("again", "Again", "AGAIN"):
        assert user_api.post("/api/v1/tweets", {"text": text}).status_code == 201
    assert user_api.post("/api/v1/tweets", {"text": "aGain"}).status_code == 429  # the flood check
    assert user_api.post("/api/v1/tweets", {"text": "fresh"}).status_code == 201  # still the 4th post
    limited = user_api.post("/api/v1/tweets", {"text": "fresher"})
    assert limited.status_code == 429 and limited.json()["error"].startswith("You've reached the limit of 4 posts")


def test_a_post_refused_by_the_limit_is_not_counted_as_a_repeat(settings, user_api):
    limit_to(settings, post="2/h")
    assert user_api.post("/api/v1/tweets", {"text": "same"}).status_code == 201
    assert user_api.post("/api/v1/tweets", {"text": "Same"}).status_code == 201
    for _ in range(3):
        assert user_api.post("/api/v1/tweets", {"text": "SAME"}).json()["error"].startswith("You've reached the limit")
    limit_to(settings, post="10/h")
    assert user_api.post("/api/v1/tweets", {"text": "SAME"}).status_code == 201  # the third in ten minutes
    assert user_api.post("/api/v1/tweets", {"text": "sAME"}).json()["error"].startswith("You've already posted that")


def test_direct_messages_have_their_own_flood_check(api_as, client_logged_in, user):
    people = [UserFactory() for _ in range(4)]
    for person in people[:3]:
        sent = api_as(user).post(
            "/api/v1/messages", {"recipientId": str(person.pk), "messageText": "Check my profile!"}
        )
        assert sent.status_code == 201
    refused = api_as(user).post(
        "/api/v1/messages", {"recipientId": str(people[3].pk), "messageText": "check my profile!"}
    )
    assert refused.status_code == 429 and refused["Retry-After"] == "600"
    assert refused.json()["fields"] == {"messageText": [refused.json()["error"]]}
    assert "You've already sent that message 3 times in the last 10 minutes." in refused.json()["error"]
    assert Message.objects.filter(sender=user).count() == 3 and not people[3].conversations.exists()

    # The page shows it on the form; a post with the same text is a different thing.
    conversation, _ = dm_services.conversation_start(creator=user, participant_ids=[people[0].pk])
    page = client_logged_in.post(
        f"/messages/{conversation.pk}/send",
        {"text": "Check my profile!", "form_token": token()},
        HTTP_HX_REQUEST="true",
    )
    assert page.status_code == 429 and page["HX-Retarget"] == "#send-form"
    assert "You've already sent that message 3 times" in page_text(page)
    assert api_as(user).post("/api/v1/tweets", {"text": "Check my profile!"}).status_code == 201


# --- when Redis is away ------------------------------------------------------------------------------


def test_a_broken_redis_lets_people_post(settings, monkeypatch, user, caplog):
    broken = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0))
    monkeypatch.setattr(ratelimit, "get_redis", lambda: broken)
    limit_to(settings, post="1/h")
    for text in ("same", "Same", "sAme", "saMe", "samE"):  # one text to the flood check, five posts
        tweet_services.tweet_create(author=user, text_input=text)
    social_services.follow_create(follower=user, followee=UserFactory())
    assert Tweet.objects.filter(author=user).count() == 5
    assert "unavailable; allowing" in caplog.text
