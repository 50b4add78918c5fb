"""Direct messages between two people's browsers, live over a real WebSocket."""

import pytest
from playwright.sync_api import expect

from tests.e2e.waits import SOCKET_OPEN, wait_for_js
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_conversation_live_between_two_browsers(browser, live_server_url, sign_in, shoot):
    ann = UserFactory(username="ann", name="Ann Author")
    ben = UserFactory(username="ben", name="Ben Reader")
    UserFactory(username="cat", name="Cat Quiet")
    ann_context, ben_context = browser.new_context(), browser.new_context()
    sign_in(ann_context, ann)
    sign_in(ben_context, ben)
    ann_page, ben_page = ann_context.new_page(), ben_context.new_page()

    # Ben is on his home page; Ann opens his profile and starts a conversation.
    ben_page.goto(live_server_url + "/")
    wait_for_js(ben_page, SOCKET_OPEN)
    ann_page.goto(live_server_url + "/@ben")
    ann_page.get_by_role("button", name="Message @ben").click()
    expect(ann_page.get_by_role("heading", name="Ben Reader")).to_be_visible()
    wait_for_js(ann_page, SOCKET_OPEN)
    ann_page.get_by_label("Message", exact=True).fill("Hi Ben! Coffee at 4?")
    ann_page.keyboard.press("Enter")
    mine = ann_page.locator("#chat-messages .chat-message.is-mine")
    expect(mine).to_have_count(1)
    expect(mine.first).to_contain_text("Hi Ben! Coffee at 4?")
    expect(ann_page.get_by_label("Message", exact=True)).to_have_value("")  # a fresh box for the next one

    # Ben's badge rises without a reload.
    badge = ben_page.locator('[data-badge="messages"]').first
    expect(badge).to_have_text("1", timeout=2000)
    assert ben_page.url.rstrip("/") == live_server_url

    # Ben opens his inbox and the conversation; Ann sees it was read.
    ben_page.goto(live_server_url + "/messages")
    item = ben_page.locator(".conversation-item").first
    expect(item).to_contain_text("Ann Author")
    expect(item).to_contain_text("Hi Ben! Coffee at 4?")
    shoot(ben_page, "40-messages-inbox")
    item.get_by_role("link").click()
    expect(ben_page.locator("#chat-messages")).to_contain_text("Hi Ben! Coffee at 4?")
    expect(mine.first.locator("[data-seen]")).to_have_text("Seen", timeout=2000)

    # Ben answers; it appears in Ann's open conversation, and Ann's reading shows on Ben's side.
    wait_for_js(ben_page, SOCKET_OPEN)
    ben_page.get_by_label("Message", exact=True).fill("Make it 4:30 and you're on ☕")
    ben_page.get_by_role("button", name="Send").click()
    theirs = ann_page.locator("#chat-messages .chat-message:not(.is-mine)")
    expect(theirs).to_have_count(1, timeout=2000)
    expect(theirs.first).to_contain_text("Make it 4:30 and you're on ☕")
    ben_mine = ben_page.locator("#chat-messages .chat-message.is-mine")
    expect(ben_mine.first.locator("[data-seen]")).to_have_text("Seen", timeout=2000)
    expect(ann_page.locator("#chat-messages .chat-message")).to_have_count(2)  # nothing doubled
    shoot(ann_page, "41-conversation")
    shoot(ben_page, "42-conversation-other-side")
    ann_context.close()
    ben_context.close()


def test_a_group_and_the_new_message_form(page, live_server_url, sign_in, shoot):
    ann = UserFactory(username="ann", name="Ann Author")
    UserFactory(username="ben", name="Ben Reader")
    UserFactory(username="cat", name="Cat Quiet", who_can_message="following")
    sign_in(page.context, ann)
    page.goto(live_server_url + "/messages")
    expect(page.get_by_role("heading", name="Welcome to your inbox")).to_be_visible()
    page.get_by_role("link", name="New message").click()
    page.get_by_label("To", exact=True).fill("@ben @cat")
    page.get_by_label("Group name (optional)").fill("Book club")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("alert")).to_contain_text("@cat doesn't accept messages from")
    page.get_by_label("To", exact=True).fill("@ben")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Book club")).to_be_visible()
    page.get_by_label("Message", exact=True).fill("First chapter by Friday?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#chat-messages .chat-message.is-mine")).to_contain_text("First chapter by Friday?")
    expect(page.locator("#chat-empty")).to_have_count(0)
    shoot(page, "43-group-conversation")
