"""Mastodon.py's streams (server-sent events) against the live server: a post and a like arrive within 1 s on
`stream_user`; a direct message on `stream_direct`, and a filter change on `stream_user`, parse as Mastodon's."""

import threading
import time

import pytest
from django.utils import timezone
from mastodon import Mastodon, StreamListener

from social.graph import services as graph
from social.messages import services as dm
from tests.factories import UserFactory
from tests.mastodon.helpers import mastodon_app
from tests.oauth.tokens import make_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Collector(StreamListener):
    def __init__(self):
        super().__init__()
        self.updates, self.notifications = [], []
        self.arrived = threading.Event()

    def on_update(self, status):
        self.updates.append((time.monotonic(), status))
        self.arrived.set()

    def on_notification(self, notification):
        self.notifications.append((time.monotonic(), notification))
        self.arrived.set()


def wait_for(found, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found():
            return True
        time.sleep(0.02)
    return False


def test_stream_user_gets_update_and_notification_within_a_second(live_server_url):
    reader, author = UserFactory(last_seen_at=timezone.now()), UserFactory()
    graph.follow_create(follower=reader, followee=author)
    app = mastodon_app()
    as_reader = Mastodon(access_token=make_token(reader, "read write", app=app), api_base_url=live_server_url)
    as_author = Mastodon(access_token=make_token(author, "read write", app=app), api_base_url=live_server_url)
    assert as_reader.stream_healthy()

    listener = Collector()
    handle = as_reader.stream_user(listener, run_async=True, reconnect_async=False)
    try:
        assert wait_for(lambda: handle.is_receiving() or handle.is_alive())
        time.sleep(0.5)  # the stream has joined the person's group
        sent = time.monotonic()
        posted = as_author.status_post("Live to Mastodon.py")
        assert wait_for(lambda: listener.updates)
        arrived, status = listener.updates[0]
        assert str(status.id) == str(posted.id) and arrived - sent < 1.0

        own = as_reader.status_post("Like this")
        sent = time.monotonic()
        as_author.status_favourite(own.id)
        assert wait_for(lambda: listener.notifications)
        arrived, notification = listener.notifications[0]
        assert notification.type == "favourite" and str(notification.status.id) == str(own.id)
        assert arrived - sent < 1.0
    finally:
        handle.close()


class Direct(StreamListener):
    def __init__(self):
        super().__init__()
        self.conversations, self.filter_changes = [], []

    def on_conversation(self, conversation):
        self.conversations.append(conversation)

    def on_filters_changed(self):
        self.filter_changes.append(time.monotonic())


def test_stream_direct_gets_conversation_and_stream_user_filters_changed(live_server_url):
    alice, bob = UserFactory(), UserFactory()
    as_bob = Mastodon(access_token=make_token(bob, "read write", app=mastodon_app()), api_base_url=live_server_url)
    listener = Direct()
    direct = as_bob.stream_direct(listener, run_async=True, reconnect_async=False)
    user = as_bob.stream_user(listener, run_async=True, reconnect_async=False)
    try:
        time.sleep(0.5)  # both streams have joined the person's group
        sent = dm.message_send(sender=alice, recipient_id=bob.pk, text="Hello from Chirp")
        assert wait_for(lambda: listener.conversations)
        conversation = listener.conversations[0]
        assert str(conversation.id) == str(sent.conversation_id) and conversation.unread is True
        assert str(conversation.last_status.id) == str(sent.pk) and conversation.accounts[0].acct == alice.username

        as_bob.create_filter_v2(
            "crypto", context=["home"], filter_action="hide"
        )  # `data: undefined`: Mastodon.py takes it as no payload
        assert wait_for(lambda: listener.filter_changes)
    finally:
        direct.close()
        user.close()
