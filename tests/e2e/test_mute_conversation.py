"""Muting a thread from a post's "More options" menu, in a real browser."""

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from tests.e2e.conftest import PHONE
from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_mute_a_thread_from_the_menu(page, context, live_server_url, sign_in, shoot, console_errors):
    alice = UserFactory(username="alice", name="Alice Liddell")
    bob = UserFactory(username="bob", name="Bob Builder")
    root = post(alice, "Which way to the #tea party?")
    post(bob, "Follow the white rabbit", reply_to_id=root.pk)
    sign_in(context, alice)
    page.goto(f"{live_server_url}/@alice/status/{root.pk}")

    focus = page.locator("article.tweet-focus")
    focus.locator("summary[aria-label='More options']").click()  # the <summary> opens the menu
    focus.get_by_role("menuitem", name="Mute this conversation").click()
    expect(page.locator("#toasts")).to_contain_text("Conversation muted")
    focus.locator("summary[aria-label='More options']").click()
    expect(focus.get_by_role("menuitem", name="Unmute this conversation")).to_be_visible()
    shoot(page, "convmute-menu-unmute")
    page.emulate_media(color_scheme="dark")
    shoot(page, "convmute-menu-unmute-dark")
    page.emulate_media(color_scheme="light")

    # The thread is quiet now: a new reply doesn't reach Alice.
    post(UserFactory(username="cat"), "Curiouser and curiouser", reply_to_id=root.pk)
    assert not Notification.objects.filter(recipient=alice, actor__username="cat").exists()

    # Bob's reply has the same thread, so its menu says "Unmute" too, after a reload as well.
    page.reload()
    reply = page.locator("article.tweet", has_text="Follow the white rabbit").first
    reply.locator("summary[aria-label='More options']").click()
    expect(reply.get_by_role("menuitem", name="Unmute this conversation")).to_be_visible()
    reply.get_by_role("menuitem", name="Unmute this conversation").click()
    expect(page.locator("#toasts")).to_contain_text("Conversation unmuted")

    page.set_viewport_size(PHONE)  # the menu fits a small phone
    focus.locator("summary[aria-label='More options']").click()
    item = focus.get_by_role("menuitem", name="Mute this conversation")
    expect(item).to_be_visible()
    box = item.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert console_errors == []
