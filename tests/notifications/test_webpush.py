"""Web Push delivery, end to end against a real push service on loopback (tests/notifications/push_server.py):
what arrives (signed, encrypted, with TTL and Urgency), and what each answer of the service leads to."""

import email.utils
import time

import pytest
from celery import current_app as celery_app
from celery.signals import before_task_publish

from notifications import services as notifications
from notifications.models import Notification, PushSubscription
from notifications.webpush import delivery, keys, push, subscriptions
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
    assert [r.answered for r in push_server.received] == answers
    assert len(push_server.delivered(browser)) == 1
    assert PushSubscription.objects.filter(pk=row.pk).exists()


def test_nothing_is_tried_forever(push_server, ann, ben, settings, django_capture_on_commit_callbacks):
    settings.WEBPUSH_MAX_RETRIES = 3
    browser, row = subscribed(push_server, ann)
    push_server.script(browser, [500] * 10)
    reply_to(ann, ben, django_capture_on_commit_callbacks)
    assert [r.answered for r in push_server.received] == [500] * 4  # the first try and three more
    assert PushSubscription.objects.filter(pk=row.pk).exists()  # a sick service doesn't lose the browser


def test_no_retry_past_the_ttl(push_server, ann, ben, settings, django_capture_on_commit_callbacks):
    settings.WEBPUSH_TTL = 60
    push_server.retry_after = "120"  # later than the push may live
    browser, _ = subscribed(push_server, ann)
    push_server.script(browser, [429, 201])
    reply_to(ann, ben, django_capture_on_commit_callbacks)
    assert [r.answered for r in push_server.received] == [429]


def test_another_client_error_gives_up_at_once(push_server, ann, ben, django_capture_on_commit_callbacks):
    browser, row = subscribed(push_server, ann)
    push_server.script(browser, [413, 201])
    reply_to(ann, ben, django_capture_on_commit_callbacks)
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
    """Grouping: the first like opens a window (one task, due after it); the other nine join it."""
    browser, _ = subscribed(push_server, ann)
    tweet = post(ann, "the post everybody likes")
    fans = [UserFactory(username=f"fan{n}", name=f"Fan {n}") for n in range(10)]
    published = []

    def record(sender=None, headers=None, body=None, **kwargs):
        if sender == "notifications.tasks.webpush_group":
            published.append((body[0], headers.get("eta")))

    before_task_publish.connect(record)
    celery_app.conf.task_always_eager = False  # queued for real (on the test Redis), as in production
    try:
        for fan in fans:
            with django_capture_on_commit_callbacks(execute=True):
                tweets.like_create(user=fan, tweet_id=tweet.pk)
    finally:
        celery_app.conf.task_always_eager = True
        before_task_publish.disconnect(record)
    assert len(published) == 1, published
    (args, eta) = published[0]
    assert eta is not None  # due at the end of the window
    assert push_server.received == []  # nothing yet
    push.push_group(*args)  # the worker runs it when due
    [got] = push_server.delivered(browser)
    assert got.payload["body"] == "Fan 9 and 9 others liked your post: “the post everybody likes”"
    assert got.payload["tag"] == f"like:{tweet.pk}"
    assert got.payload["url"] == f"https://chirp.example/@{ann.username}/status/{tweet.pk}"
    assert got.headers["Urgency"] == "normal"
    push.push_group(*args)  # redelivered: nothing twice
    assert len(push_server.received) == 1
    with django_capture_on_commit_callbacks(execute=True):  # a like after the window opens a new one
        tweets.like_create(user=UserFactory(username="late", name="Late Comer"), tweet_id=tweet.pk)
    assert push_server.delivered()[-1].payload["body"] == "Late Comer liked your post: “the post everybody likes”"


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
