"""Posting and threads in a real browser (issue 24): the compose box resets after a post and keeps Post
disabled while it is empty or too long, #tags autocomplete like @names, a self-thread reads as one on its
first post's page and says "Show this thread" in lists, and phones get a floating compose button."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, PHONE
from tests.factories import UserFactory
from tests.images import image_bytes
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def card(page, text):
    return page.locator("article.tweet", has_text=text).first


def test_compose_resets_and_a_self_thread_reads_as_one(
    page, context, live_server_url, sign_in, console_errors, tmp_path
):
    alice = UserFactory(username="alice", name="Alice Liddell")
    post(UserFactory(username="bob"), "Bob loves #teatime and #tealeaves, #teatime most")
    post(alice, "More #teatime")
    sign_in(context, alice)
    page.goto(live_server_url + "/")
    box = page.get_by_label("Post text")
    send = page.get_by_role("button", name="Post", exact=True)
    expect(send).to_be_disabled()  # empty
    box.fill("x" * 281)
    expect(send).to_be_disabled()  # over the limit
    box.fill("   ")
    expect(send).to_be_disabled()  # only spaces

    # A #tag suggests the tags in use, most used first; Enter takes the first.
    box.fill("Brewing now #tea")
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("#teatime")
    page.screenshot(path=ARTIFACTS / "compose-hashtag-suggestions.png", caret="initial")
    box.press("Enter")
    expect(box).to_have_value("Brewing now #teatime ")

    # Everything filled in: text, an image and its description, a warning, sensitive; then posted.
    picture = tmp_path / "pot.png"
    picture.write_bytes(image_bytes("PNG", (320, 200), color=(40, 120, 200)))
    page.locator("[data-compose-images]").first.set_input_files(str(picture))
    page.get_by_label("Description of image 1").fill("A blue teapot")
    page.locator("details.compose-cw summary").click()
    page.get_by_label("Content warning (shown before the post, up to 100 characters)").fill("hot drinks")
    page.get_by_label("Mark images as sensitive").check()
    send.click()
    expect(card(page, "hot drinks")).to_be_visible()
    # The box is empty again, and Post disabled until something is typed.
    expect(box).to_have_value("")
    expect(page.get_by_role("button", name="Post", exact=True)).to_be_disabled()
    expect(page.locator("[data-compose-previews] img")).to_have_count(0)
    expect(page.locator("[data-compose-alts]")).to_be_hidden()
    expect(page.locator("details.compose-cw")).not_to_have_attribute("open", re.compile(".*"))
    expect(page.get_by_label("Mark images as sensitive")).not_to_be_checked()
    assert page.locator("[data-compose-images]").first.evaluate("input => input.files.length") == 0

    # A poll resets too.
    box.fill("Tea or coffee?")
    page.locator("details.compose-poll summary").click()
    page.get_by_label("Choice 1").fill("Tea")
    page.get_by_label("Choice 2").fill("Coffee")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(card(page, "Tea or coffee?")).to_be_visible()
    expect(page.locator("details.compose-poll")).not_to_have_attribute("open", re.compile(".*"))
    page.locator("details.compose-poll summary").click()
    expect(page.get_by_label("Choice 1")).to_have_value("")
    expect(box).to_have_value("")

    # A thread: Alice replies to herself twice from the post's page; the reply box stays a reply box.
    first = post(alice, "A thread about tea, part one")
    page.goto(f"{live_server_url}/@alice/status/{first.pk}")
    for text in ("Part two: the water", "Part three: the wait"):
        if "three" in text:
            card(page, "Part two").locator("a.tweet-time").click()
        reply = page.get_by_label("Post your reply")
        reply.fill(text)
        page.get_by_role("button", name="Reply", exact=True).click()
        expect(card(page, text)).to_be_visible()
        expect(reply).to_have_value("")
        expect(page.get_by_role("button", name="Reply", exact=True)).to_be_disabled()

    # The first post's page: the whole thread in order, no "Replying to @alice" on its parts.
    page.goto(f"{live_server_url}/@alice/status/{first.pk}")
    thread = page.get_by_role("region", name="Conversation")
    expect(thread.locator("article.tweet")).to_have_count(3)
    expect(thread.locator("article.tweet .tweet-text")).to_have_text(
        ["A thread about tea, part one", "Part two: the water", "Part three: the wait"]
    )
    expect(thread).not_to_contain_text("Replying to")
    page.screenshot(path=ARTIFACTS / "self-thread-desktop.png", full_page=True)
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=ARTIFACTS / "self-thread-dark.png", full_page=True)
    page.emulate_media(color_scheme="light")

    # In a list, the first part offers the thread.
    page.goto(f"{live_server_url}/@alice")
    starter = card(page, "part one")
    starter.get_by_role("link", name="Show this thread").click()
    expect(page).to_have_url(f"{live_server_url}/@alice/status/{first.pk}")

    # On a phone, every page has a floating compose button (but the compose page itself).
    page.set_viewport_size({"width": 390, "height": PHONE["height"]})
    for path in ("/explore", "/notifications", f"/@alice/status/{first.pk}"):
        page.goto(live_server_url + path)
        expect(page.get_by_role("link", name="New post")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "compose-fab-phone.png")
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=ARTIFACTS / "compose-fab-phone-dark.png")
    page.emulate_media(color_scheme="light")
    page.get_by_role("link", name="New post").click()
    expect(page.get_by_role("heading", name="New post")).to_be_visible()
    expect(page.get_by_role("link", name="New post")).to_have_count(0)
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(live_server_url + "/explore")
    expect(page.get_by_role("link", name="New post")).to_be_hidden()  # wide screens have the box on Home
    assert console_errors == []
