"""Content warnings, sensitive images and pinned posts, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_controls_labelled
from tests.factories import UserFactory
from tests.images import image_bytes
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def card(page, text):
    return page.locator("article.tweet", has_text=text).first


def test_open_a_content_warning_reveal_a_sensitive_image_and_pin(
    page, context, live_server_url, sign_in, shoot, console_errors, tmp_path
):
    alice = UserFactory(username="alice", name="Alice Liddell")
    post(alice, "An older post to pin")
    sign_in(context, alice)
    page.goto(live_server_url + "/")
    assert_controls_labelled(page)

    # Compose: a warning (behind its toggle), a picture marked sensitive.
    picture = tmp_path / "spider.png"
    picture.write_bytes(image_bytes("PNG", (1200, 800), color=(60, 120, 200)))
    page.get_by_label("Post text").fill("The huntsman in the shed, up close")
    page.locator(".compose-cw > summary").first.click()
    page.get_by_label(re.compile(r"^Content warning")).fill("Spiders (close-up photo)")
    page.locator("[data-compose-images]").first.set_input_files(str(picture))
    page.get_by_label("Description of image 1").fill("A blue spider")
    page.get_by_label("Mark images as sensitive").check()
    page.get_by_role("button", name="Post", exact=True).click()
    expect(card(page, "Spiders (close-up photo)")).to_be_visible()

    # A reader sees the warning, not the text, and a blurred cover, not the picture.
    page.goto(live_server_url + "/@alice")
    mine = card(page, "Spiders (close-up photo)")
    expect(mine.locator("details.tweet-cw > summary")).to_contain_text("Spiders (close-up photo)")
    expect(mine.get_by_text("The huntsman in the shed")).to_be_hidden()
    shoot(page, "cw-1-folded")

    # Open the warning (a click): the text and the still-blurred images show.
    mine.locator("details.tweet-cw > summary").click()
    expect(mine.get_by_text("The huntsman in the shed")).to_be_visible()
    cover = mine.locator("details.sensitive-media > summary")
    expect(cover).to_contain_text("Sensitive content — show")
    expect(mine.get_by_role("img", name="A blue spider")).to_be_hidden()
    shoot(page, "cw-2-opened-blurred")

    # Reveal the image from the keyboard.
    cover.focus()
    page.keyboard.press("Enter")
    expect(mine.get_by_role("img", name="A blue spider")).to_be_visible()
    expect(cover).to_be_hidden()
    shoot(page, "cw-3-revealed")

    # Pin the older post from its menu: it comes first, labelled.
    older = card(page, "An older post to pin")
    older.get_by_label("More options").click()
    older.get_by_role("menuitem", name="Pin to profile").click()
    expect(page.get_by_text("Your post was pinned to your profile.")).to_be_visible()
    first = page.locator("article.tweet").first
    expect(first).to_contain_text("Pinned")
    expect(first).to_contain_text("An older post to pin")
    expect(page.locator("article.tweet", has_text="An older post to pin")).to_have_count(1)
    page.emulate_media(color_scheme="dark")
    shoot(page, "cw-4-pinned-dark")
    page.emulate_media(color_scheme="light")

    # The reader setting: sensitive images show without the cover.
    page.goto(live_server_url + "/settings/display")
    page.get_by_label("Always show sensitive media").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your display settings were saved.")).to_be_visible()
    page.goto(live_server_url + "/@alice")
    mine = card(page, "Spiders (close-up photo)")
    mine.locator("details.tweet-cw > summary").click()
    expect(mine.get_by_role("img", name="A blue spider")).to_be_visible()
    expect(mine.locator("details.sensitive-media")).to_have_count(0)
    assert console_errors == []
