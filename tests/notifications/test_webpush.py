"""Web Push delivery, end to end against a real push service on loopback (tests/notifications/push_server.py):
what arrives (signed, encrypted, with TTL and Urgency), and what each answer of the service leads to."""

import email.utils
import time

import pytest

from notifications import services as notifications
from notifications.models import Notification, PushSubscription
from notifications.webpush import delivery, due, keys, push, subscriptions
from notifications.webpush.schedule import schedule
from tests.factories import UserFactory
from tests.notifications.push_server import PushServer
from tests.tweets.helpers import post
from tweets import services as tweets

pytestmark = pytest.mark.django_db


@pytest.fixture
def push_server(settings):
    settings.LINK_PREVIEW_ALLOW_LOOPBACK = True  # the test service is on 127.0.0.1, over http
    settings.SITE_URL = "https://chirp.example"
    settings.WEBPUSH_TIMEOUT = 0.5
    server = PushServer(hang_seconds=1.5).start()
    yield server
    server.stop()


def subscribed(server, user):
    browser = server.browser()
    found, _ = subscriptions.subscribe(user=user, endpoint=browser.endpoint, keys_given=browser.subscription()["keys"])
    return browser, found


def later(seconds: float) -> int:
    """What the beat task would queue `seconds` from now, run (tasks are eager here); how many, until none."""
    ran = 0
    for _ in range(20):
        found = push.run_due(now=time.time() + seconds)
        if not found:
            return ran
        ran += found
    raise AssertionError("jobs keep coming")


def reply_to(
    ann,
    ben,
    capture,
    text="First words of a reply that goes on and on and on, longer than any lock screen would ever show it",
):
    original = post(ann, "my post")
    with capture(execute=True):
        return post(ben, text, reply_to_id=original.pk)


def test_a_reply_arrives_signed_encrypted_and_says_who_and_what(
    push_server, ann, ben, settings, django_capture_on_commit_callbacks
):
    browser, row = subscribed(push_server, ann)
    reply = reply_to(ann, ben, django_capture_on_commit_callbacks)
    [got] = push_server.delivered(browser)
    assert push_server.errors == []
    body = got.payload
    assert body["title"] == "Chirp"
    assert body["body"].startswith(f"{ben.display_name} replied to your post: “First words of a reply")
    assert body["body"].endswith("…”") and len(body["body"]) < 140
    assert body["url"] == f"https://chirp.example/@ben/status/{reply.pk}"
    assert body["icon"].startswith("https://chirp.example/") and body["icon"].endswith(".png")
    assert body["tag"].startswith("notification:")
    assert got.headers["Urgency"] == "high"  # addressed to the person
    assert 86_000 < int(got.headers["TTL"]) <= 86_400
    assert got.claims["sub"] == settings.VAPID_SUBJECT and got.claims["aud"] == push_server.origin
    assert got.claims["k"] == keys.public_key()
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_every_browser_of_the_person_gets_it_and_turning_push_off_for_the_type_stops_it(
    push_server, ann, ben, django_capture_on_commit_callbacks
):
    phone, _ = subscribed(push_server, ann)
    laptop, _ = subscribed(push_server, ann)
    reply_to(ann, ben, django_capture_on_commit_callbacks)
    assert len(push_server.delivered(phone)) == 1 and len(push_server.delivered(laptop)) == 1
    notifications.update_settings(user=ann, changes={"types": {"reply": {"push": False}}})
    reply_to(ann, ben, django_capture_on_commit_callbacks, text="Another reply")
    assert len(push_server.delivered()) == 2  # nothing more
    assert Notification.objects.filter(recipient=ann, verb="reply").count() == 2  # still in the app


@pytest.mark.parametrize("status", [410, 404])
def test_a_browser_the_service_says_is_gone_is_removed(
    push_server, ann, ben, status, django_capture_on_commit_callbacks
):
    browser, row = subscribed(push_server, ann)
    push_server.script(browser, [status])
    reply_to(ann, ben, django_capture_on_commit_callbacks)
    assert [r.answered for r in push_server.received] == [status]
    assert not PushSubscription.objects.filter(pk=row.pk).exists()
    assert subscriptions.has_any(ann.pk) is False


@pytest.mark.parametrize("answers", [[429, 201], [500, 503, 201], ["hang", 201]])
def test_busy_failing_or_silent_services_are_tried_again_and_it_arrives(
    push_server, ann, ben, answers, django_capture_on_commit_callbacks
):
    browser, row = subscribed(push_server, ann)
    push_server.script(browser, answers)
    reply_to(ann, ben, django_capture_on_commit_callbacks)
    assert [r.answered for r in push_server.received] == answers[:1]  # the next try waits
    later(3600)
    assert [r.answered for r in push_server.received] == answers
    assert len(push_server.delivered(browser)) == 1
    assert PushSubscription.objects.filter(pk=row.pk).exists()


def test_nothing_is_tried_forever(push_server, ann, ben, settings, django_capture_on_commit_callbacks):
    settings.WEBPUSH_MAX_RETRIES = 3
    browser, row = subscribed(push_server, ann)
    push_server.script(browser, [500] * 10)
    reply_to(ann, ben, django_capture_on_commit_callbacks)
    later(3600)
    assert [r.answered for r in push_server.received] == [500] * 4  # the first try and three more
    assert PushSubscription.objects.filter(pk=row.pk).exists()  # a sick service doesn't lose the browser


def test_no_retry_past_the_ttl(push_server, ann, ben, settings, django_capture_on_commit_callbacks):
    settings.WEBPUSH_TTL = 60
    push_server.retry_after = "120"  # later than the push may live
    browser, _ = subscribed(push_server, ann)
    push_server.script(browser, [429, 201])
    reply_to(ann, ben, django_capture_on_commit_callbacks)
    assert due.waiting() == []  # no next try: it would be past the push's life
    later(3600)
    assert [r.answered for r in push_server.received] == [429]


def test_retry_after_is_waited_for(push_server, ann, ben, django_capture_on_commit_callbacks):
    push_server.retry_after = "30"
    browser, _ = subscribed(push_server, ann)
    push_server.script(browser, [429, 201])
    reply_to(ann, ben, django_capture_on_commit_callbacks)
    [(job, at)] = due.waiting()
    assert job["kind"] == "send" and job["tries"] == 1 and 28 <= at - time.time() <= 30
    assert later(20) == 0 and len(push_server.received) == 1  # not yet
    assert later(31) == 1
    assert len(push_server.delivered(browser)) == 1


def test_another_client_error_gives_up_at_once(push_server, ann, ben, django_capture_on_commit_callbacks):
    browser, row = subscribed(push_server, ann)
    push_server.script(browser, [413, 201])
    reply_to(ann, ben, django_capture_on_commit_callbacks)
    later(3600)
    assert [r.answered for r in push_server.received] == [413]
    assert PushSubscription.objects.filter(pk=row.pk).exists()


def test_retry_after_is_honoured_in_seconds_or_as_a_date_else_backoff():
    now = time.time()
    assert delivery.retry_delay(delivery.Outcome("retry", 429, "30"), 0, now=now) == 30
    date = email.utils.formatdate(now + 90, usegmt=True)
    assert 88 <= delivery.retry_delay(delivery.Outcome("retry", 503, date), 0, now=now) <= 91
    assert [delivery.retry_delay(delivery.Outcome("retry", 500), n) for n in range(8)] == [
        10, 20, 40, 80, 160, 320, 600, 600,
    ]  # fmt: skip
    assert delivery.retry_delay(delivery.Outcome("retry"), 1) == 20  # no answer at all


def test_an_endpoint_that_now_resolves_privately_is_not_sent_to(
    push_server, ann, ben, settings, django_capture_on_commit_callbacks
):
    _browser, row = subscribed(push_server, ann)
    settings.LINK_PREVIEW_ALLOW_LOOPBACK = False  # as in production: 127.0.0.1 is private
    reply_to(ann, ben, django_capture_on_commit_callbacks)
    assert push_server.received == []
    assert PushSubscription.objects.filter(pk=row.pk).exists()


def test_ten_likes_make_one_push_that_says_so(push_server, ann, settings, django_capture_on_commit_callbacks):
    """Grouping: the first like opens a window (one job, due at its end); the other nine join it."""
    browser, _ = subscribed(push_server, ann)
    tweet = post(ann, "the post everybody likes")
    for n in range(10):
        fan = UserFactory(username=f"fan{n}", name=f"Fan {n}")
        with django_capture_on_commit_callbacks(execute=True):
            tweets.like_create(user=fan, tweet_id=tweet.pk)
    [(job, at)] = due.waiting()
    assert job["kind"] == "group" and 58 <= at - time.time() <= 60  # WEBPUSH_GROUP_WINDOW
    assert later(30) == 0 and push_server.received == []  # nothing yet
    assert later(61) == 1
    [got] = push_server.delivered(browser)
    assert got.payload["body"] == "Fan 9 and 9 others liked your post: “the post everybody likes”"  # newest first
    assert got.payload["tag"] == f"like:{tweet.pk}"
    assert got.payload["url"] == f"https://chirp.example/@{ann.username}/status/{tweet.pk}"
    assert got.headers["Urgency"] == "normal"
    push.push_group(ann.pk, "like", job["first"])  # the same job again (a redelivered task): nothing twice
    assert len(push_server.received) == 1
    with django_capture_on_commit_callbacks(execute=True):  # a like after the window opens a new one
        tweets.like_create(user=UserFactory(username="late", name="Late Comer"), tweet_id=tweet.pk)
    later(61)
    assert push_server.delivered()[-1].payload["body"] == "Late Comer liked your post: “the post everybody likes”"
    assert len(push_server.received) == 2


def test_due_jobs_are_claimed_once():
    due.add({"kind": "group", "recipient": 1, "verb": "like", "first": 5}, time.time() - 1)
    due.add({"kind": "group", "recipient": 1, "verb": "like", "first": 5}, time.time() + 50)
    assert due.take() == [{"kind": "group", "recipient": 1, "verb": "like", "first": 5}]
    assert due.take() == []  # taken: another sweeper gets nothing
    assert len(due.waiting()) == 1  # the later one waits


def test_likes_already_read_are_not_pushed(push_server, ann, ben):
    subscribed(push_server, ann)
    tweet = post(ann, "hello")
    tweets.like_create(user=ben, tweet_id=tweet.pk)
    like = Notification.objects.get(recipient=ann, verb="like")
    notifications.mark_all_read(recipient=ann)
    assert push.push_group(ann.pk, "like", like.pk) == 0
    assert push_server.received == []


def test_deciding_costs_no_query_once_known(ann, django_assert_num_queries):
    assert subscriptions.has_any(ann.pk) is False  # asks PostgreSQL once, then Redis knows
    with django_assert_num_queries(0):
        assert schedule(ann, 1, "like") == "none"
        assert schedule(ann, 2, "reply") == "none"
