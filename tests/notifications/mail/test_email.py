"""Email notifications end to end: notifications made by the services, mail received by a real SMTP server."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import presence, services
from notifications.mail import tasks
from notifications.mail.compose import unsubscribe_url
from notifications.models import EmailState, Notification
from social.graph import services as social
from social.messages import services as messages
from tests.factories import UserFactory
from tests.notifications.mail.conftest import parts, verify
from tests.tweets.helpers import post
from tweets import services as tweets

pytestmark = pytest.mark.django_db


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Run an action as a request would: its after-commit work (the mail's task, eager here) runs too."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


def reply(act, author, to, text="nice one"):
    return act(post, author, text, reply_to_id=to.pk)


def close_window(user, kind):
    """As if the window opened by the last mail had run its time."""
    past = timezone.now() - timedelta(minutes=16)
    EmailState.objects.filter(user=user, kind=kind).update(last_sent_at=past, follow_up_at=past + timedelta(minutes=15))


def test_a_reply_is_mailed_at_once_with_both_parts_and_the_unsubscribe_headers(smtp, act, ann, ben):
    address = verify(ann)
    original = post(ann, "my first post")
    reply(act, ben, original, "what a post")
    [mail] = smtp.messages
    assert mail["To"] == address and mail["From"] == "Chirp <no-reply@chirp.local>"
    assert mail["Subject"] == f"{ben.display_name} replied to your post"
    assert mail["List-Unsubscribe"].startswith("<https://chirp.example/unsubscribe/")
    assert mail["List-Unsubscribe"].endswith(">")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = smtp.envelopes[0].original_content.decode()
    assert f"List-Unsubscribe: {mail['List-Unsubscribe']}\r\n" in raw  # as is: not folded into encoded words
    body = parts(mail)
    assert set(body) == {"text/plain", "text/html"}
    for text in body.values():
        assert "what a post" in text  # a reply's text is quoted (a message's never is)
        assert "https://chirp.example/settings/notifications" in text  # the footer: how to change it
        assert "you chose to get an email right away about new replies" in text
        assert mail["List-Unsubscribe"][1:-1] in text  # the same link in the body
    assert 'style="' in body["text/html"] and "Chirp</a>" in body["text/html"]  # inline CSS, the brand
    assert smtp.envelopes[0].rcpt_tos == [address]


def test_only_the_primary_verified_address_gets_mail(smtp, act, ann, ben):
    verify(ann, verified=False)
    reply(act, ben, post(ann))
    assert smtp.messages == []
    verify(ann, "second@example.com", verified=True, primary=False)
    close_window(ann, "reply")
    reply(act, ben, post(ann))
    assert smtp.messages == []  # verified, but not the primary one


def test_a_direct_message_names_the_sender_and_links_the_conversation_but_never_its_text(smtp, act, ann, ben):
    verify(ann)
    sent = act(messages.message_send, sender=ben, recipient_id=ann.pk, text="the secret is 42")
    [mail] = smtp.messages
    assert mail["Subject"] == f"{ben.display_name} sent you a message"
    for text in parts(mail).values():
        assert "the secret is 42" not in text
        assert f"https://chirp.example/messages/{sent.conversation_id}" in text


def test_no_mail_while_the_person_is_online(smtp, act, ann, ben):
    verify(ann)
    presence.connected(ann.pk, "tab-1")
    reply(act, ben, post(ann))
    assert smtp.messages == []
    presence.disconnected(ann.pk, "tab-1")
    cat = UserFactory(username="cat")
    reply(act, cat, post(ann), "later one")
    [mail] = smtp.messages  # only what came after: the first was seen in the site
    assert "later one" in parts(mail)["text/plain"] and "nice one" not in parts(mail)["text/plain"]


def test_inside_the_window_one_follow_up_lists_the_rest(smtp, act, ann, ben):
    verify(ann)
    original = post(ann, "hello")
    cat, dan = UserFactory(username="cat"), UserFactory(username="dan")
    reply(act, ben, original, "first reply")
    reply(act, cat, original, "second reply")
    reply(act, dan, original, "third reply")
    assert len(smtp.messages) == 1  # the first at once; the others wait for the window's end
    tasks.sweep_email.delay()
    assert len(smtp.messages) == 1  # the window is still open
    close_window(ann, "reply")
    tasks.sweep_email.delay()
    assert len(smtp.messages) == 2
    follow_up = smtp.messages[1]
    assert follow_up["Subject"] == "2 new replies"
    text = parts(follow_up)["text/plain"]
    assert "second reply" in text and "third reply" in text and "first reply" not in text
    tasks.sweep_email.delay()
    assert len(smtp.messages) == 2  # nothing twice


def test_read_or_withdrawn_notifications_are_left_out_of_the_follow_up(smtp, act, ann, ben):
    verify(ann)
    original = post(ann, "hello")
    cat, dan, eve = UserFactory(username="cat"), UserFactory(username="dan"), UserFactory(username="eve")
    reply(act, ben, original, "first")
    reply(act, cat, original, "read in the app")
    withdrawn = reply(act, dan, original, "deleted by its author")
    reply(act, eve, original, "still waiting")
    read = Notification.objects.filter(actor=cat).values_list("pk", flat=True)
    services.mark_read(recipient=ann, notification_ids=read)
    act(tweets.tweet_delete, actor=dan, tweet=withdrawn)
    close_window(ann, "reply")
    tasks.sweep_email.delay()
    assert len(smtp.messages) == 2
    follow_up = smtp.messages[1]
    assert follow_up["Subject"] == f"{eve.display_name} replied to your post"
    text = parts(follow_up)["text/plain"]
    assert "still waiting" in text and "read in the app" not in text and "deleted by its author" not in text


def test_hourly_digest_collects_the_types_chosen_and_says_nothing_when_nothing_happened(smtp, act, ann, ben):
    verify(ann)
    services.update_settings(user=ann, changes={"types": {"reply": {"email": "hourly"}, "like": {"email": "hourly"}}})
    original = post(ann, "digest me")
    reply(act, ben, original, "a reply for the digest")
    act(tweets.like_create, user=ben, tweet_id=original.pk)
    cat = UserFactory(username="cat")
    act(tweets.like_create, user=cat, tweet_id=original.pk)
    act(social.follow_create, follower=cat, followee=ann)  # still mailed at once (the default)
    assert [m["Subject"] for m in smtp.messages] == [f"{cat.display_name} followed you"]
    smtp.clear()
    tasks.sweep_email.delay()
    [digest] = smtp.messages
    assert digest["Subject"] == "Your hourly Chirp digest: 3 new notifications"
    text = parts(digest)["text/plain"]
    assert "a reply for the digest" in text
    assert f"{cat.display_name} and {ben.display_name} liked your post" in text  # grouped as on the page
    assert "you chose an hourly digest for likes, replies" in text
    tasks.sweep_email.delay()
    assert len(smtp.messages) == 1  # not due again for an hour
    EmailState.objects.filter(user=ann, kind="hourly").update(due_at=timezone.now() - timedelta(seconds=1))
    tasks.sweep_email.delay()
    assert len(smtp.messages) == 1  # due, but nothing new: no mail


def test_daily_digest(smtp, act, ann, ben):
    verify(ann)
    services.update_settings(user=ann, changes={"types": {"mention": {"email": "daily"}}})
    act(post, ben, f"hey @{ann.username} look")
    assert smtp.messages == []
    tasks.sweep_email.delay()
    [digest] = smtp.messages
    assert digest["Subject"] == "Your daily Chirp digest: 1 new notification"
    assert "look" in parts(digest)["text/html"]
    state = EmailState.objects.get(user=ann, kind="daily")
    assert state.due_at > timezone.now() + timedelta(hours=23)


def test_weekly_digest_is_off_by_default_and_lists_the_most_liked_posts_when_chosen(smtp, act, ann, ben):
    verify(ann)
    cat, dan = UserFactory(username="cat"), UserFactory(username="dan")
    for author in (ben, cat, dan):
        social.follow_create(follower=ann, followee=author)
    popular, quiet = post(ben, "the popular one"), post(ben, "the quiet one")
    blocked_post, muted_post = post(cat, "by someone blocked"), post(dan, "about spoilers")
    stranger = post(UserFactory(username="eve"), "not followed")
    for liker in (UserFactory(), UserFactory()):
        for tweet in (popular, blocked_post, muted_post, stranger):
            tweets.like_create(user=liker, tweet_id=tweet.pk)
    tweets.like_create(user=UserFactory(), tweet_id=quiet.pk)
    social.block_create(blocker=ann, blocked=cat)
    social.muted_word_create(user=ann, phrase="spoilers")
    smtp.clear()
    tasks.sweep_email.delay()
    assert smtp.messages == []  # off by default
    services.update_settings(user=ann, changes={"weeklyDigest": True})
    tasks.sweep_email.delay()
    [weekly] = smtp.messages
    assert weekly["Subject"] == "What you missed on Chirp this week"
    text = parts(weekly)["text/plain"]
    assert text.index("the popular one") < text.index("the quiet one")
    for hidden in ("by someone blocked", "about spoilers", "not followed"):
        assert hidden not in text
    assert "you turned on the weekly" in text


def retry_now(user, kind):
    """As if the time of the next try had come."""
    past = timezone.now() - timedelta(seconds=1)
    EmailState.objects.filter(user=user, kind=kind).update(follow_up_at=past, due_at=past)


def test_a_refusing_server_is_retried_with_backoff_then_given_up_and_logged_and_the_notification_stays(
    smtp, act, ann, ben, settings, caplog
):
    settings.EMAIL_SEND_RETRIES, settings.EMAIL_RETRY_BACKOFF = 2, 60
    verify(ann)
    smtp.refuse = "451 4.3.0 Try again later"
    with caplog.at_level(logging.WARNING, logger="notifications.mail.delivery"):
        reply(act, ben, post(ann))
        assert smtp.attempts == 1
        state = EmailState.objects.get(user=ann, kind="reply")
        assert state.failures == 1 and state.last_sent_at is None  # not counted as sent
        assert timedelta(seconds=55) < state.follow_up_at - timezone.now() <= timedelta(seconds=60)
        reply(act, UserFactory(username="cat"), post(ann))  # meanwhile: waits for the retry
        tasks.sweep_email.delay()  # the retry isn't due yet
        assert smtp.attempts == 1
        retry_now(ann, "reply")
        tasks.sweep_email.delay()
        assert smtp.attempts == 2
        state.refresh_from_db()
        assert state.failures == 2
        assert timedelta(seconds=115) < state.follow_up_at - timezone.now() <= timedelta(seconds=120)  # doubled
        retry_now(ann, "reply")
        tasks.sweep_email.delay()
    assert smtp.attempts == 3  # the first try and two retries
    assert any("given up after 3 tries" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    state.refresh_from_db()
    assert state.failures == 0 and state.follow_up_at is None
    tasks.sweep_email.delay()
    assert smtp.attempts == 3  # given up: not tried again
    assert Notification.objects.filter(recipient=ann, verb="reply", read_at__isnull=True).count() == 2  # in the app
    smtp.refuse = None
    reply(act, UserFactory(username="dan"), post(ann), "after the outage")
    [mail] = smtp.messages  # the next one goes out, alone
    assert "after the outage" in parts(mail)["text/plain"]


def test_a_refused_digest_is_retried_by_the_sweep(smtp, ann, ben, settings):
    settings.EMAIL_SEND_RETRIES, settings.EMAIL_RETRY_BACKOFF = 1, 60
    verify(ann)
    services.update_settings(user=ann, changes={"types": {"reply": {"email": "daily"}}})
    post(ben, "hi", reply_to_id=post(ann).pk)
    smtp.refuse = "550 5.1.1 No such mailbox"
    assert tasks.mail_notifications.delay(ann.pk, "daily").get() == "refused"
    tasks.sweep_email.delay()
    assert smtp.attempts == 1  # not yet
    smtp.refuse = None
    retry_now(ann, "daily")
    tasks.sweep_email.delay()
    assert [m["Subject"] for m in smtp.messages] == ["Your daily Chirp digest: 1 new notification"]


def test_an_unreachable_server_counts_as_a_refusal(act, ann, ben, settings):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed once the block ends: nothing listens there
    settings.MAILERS = {"default": {"OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 2}}}
    verify(ann)
    reply(act, ben, post(ann))
    assert EmailState.objects.get(user=ann, kind="reply").failures == 1


def test_inactive_people_get_no_mail(smtp, act, ann, ben):
    verify(ann)
    original = post(ann)
    ann.is_active = False
    ann.save()
    assert tasks.mail_notifications.delay(ann.pk, "reply").get() == "off"
    assert smtp.messages == [] and original


# --- the unsubscribe link --------------------------------------------------------------------


def test_the_unsubscribe_link_works_once_without_login_for_that_kind_only(smtp, act, client, ann, ben):
    verify(ann)
    reply(act, ben, post(ann))
    url = smtp.messages[0]["List-Unsubscribe"][1:-1].removeprefix("https://chirp.example")
    page = client.get(url)
    assert page.status_code == 200 and "Stop emails about new replies?" in page.content.decode()
    ann.refresh_from_db()
    assert ann.notification_prefs == {}  # a GET (a link scanner) changes nothing
    done = client.post(url, {"List-Unsubscribe": "One-Click"})  # what a mail client sends (RFC 8058)
    assert done.status_code == 200 and "unsubscribed from emails about new replies" in done.content.decode()
    ann.refresh_from_db()
    assert ann.notification_prefs == {"email": {"reply": "never"}}
    again = client.post(url)
    assert again.status_code == 200 and "already unsubscribed" in again.content.decode()
    ann.refresh_from_db()
    assert ann.notification_prefs == {"email": {"reply": "never"}}
    smtp.clear()
    close_window(ann, "reply")
    reply(act, ben, post(ann))
    act(social.follow_create, follower=ben, followee=ann)
    assert [m["Subject"] for m in smtp.messages] == [f"{ben.display_name} followed you"]  # follows still mailed


def test_unsubscribing_from_a_digest_turns_off_that_frequency_only(client, ann):
    changes = {"types": {"like": {"email": "hourly"}, "retweet": {"email": "hourly"}, "quote": {"email": "daily"}}}
    services.update_settings(user=ann, changes=changes)
    client.post(unsubscribe_url(ann.pk, "hourly"))
    ann.refresh_from_db()
    assert ann.notification_prefs == {"email": {"quote": "daily"}}


def test_unsubscribing_from_the_weekly_digest(client, ann):
    services.update_settings(user=ann, changes={"weeklyDigest": True, "types": {"like": {"email": "daily"}}})
    client.post(unsubscribe_url(ann.pk, "weekly"))
    ann.refresh_from_db()
    assert ann.notification_prefs == {"email": {"like": "daily"}}


def test_a_tampered_token_is_refused(client, ann):
    url = unsubscribe_url(ann.pk, "reply").removeprefix("https://chirp.example")
    tampered = url[:-1] + ("A" if url[-1] != "A" else "B")
    page = client.post(tampered)
    assert page.status_code == 400 and "This unsubscribe link isn&#x27;t valid" in page.content.decode()
    ann.refresh_from_db()
    assert ann.notification_prefs == {}


def test_a_poll_ending_says_whose_poll(smtp, ann, ben):
    from notifications.mail import content

    verify(ann)
    poll = post(ann, "tea or coffee?")
    services.notify_poll_ended(tweet=poll, voter_ids=[ben.pk])
    batch = content.pending(ann, ["poll_ended"], timezone.now() - timedelta(hours=1))
    assert [(line.who, line.what) for line in batch.lines] == [("", "Your poll has ended")]
