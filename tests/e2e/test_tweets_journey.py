"""Everything a person does with a post, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.images import image_bytes, png_upload
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def card(page, text):
    return page.locator("article.tweet", has_text=text).first


def test_post_reply_like_retweet_quote_edit_delete(
    page, context, live_server_url, sign_in, shoot, console_errors, tmp_path
):
    alice = UserFactory(username="alice", name="Alice Liddell")
    bob = UserFactory(username="bob", name="Bob Builder")
    post(bob, "Bob says hello to #Chirp")
    sign_in(context, alice)
    page.goto(live_server_url + "/")

    # The counter warns before the server has to.
    box = page.get_by_label("Post text")
    box.fill("x" * 281)
    expect(page.locator("[data-compose-count]").first).to_have_text("-1 (too long)")
    expect(page.get_by_role("button", name="Post", exact=True)).to_be_disabled()

    # Post with an image and its description.
    picture = tmp_path / "sunset.png"
    picture.write_bytes(image_bytes("PNG", (1600, 900), color=(240, 120, 60)))
    box.fill("Sunset over the bay #photo")
    page.locator("[data-compose-images]").first.set_input_files(str(picture))
    page.get_by_label("Description of image 1").fill("An orange sunset")
    page.get_by_role("button", name="Post", exact=True).click()
    mine = card(page, "Sunset over the bay")
    expect(mine).to_be_visible()
    expect(mine.get_by_role("img", name="An orange sunset")).to_be_visible()
    expect(box).to_have_value("")

    # After a reload the WebP thumbnail, made by the task, is what the card shows.
    page.reload()
    expect(card(page, "Sunset over the bay").locator("img[data-thumbnail]")).to_have_attribute(
        "src", re.compile(r"/thumbs/.+\.webp$")
    )

    # Reply from the post's own page.
    card(page, "Sunset over the bay").locator("a.tweet-time").click()
    expect(page.get_by_role("heading", name="Post")).to_be_visible()
    page.get_by_label("Post your reply").fill("Taken from the pier, by the way")
    page.get_by_role("button", name="Reply").click()
    expect(card(page, "Taken from the pier")).to_be_visible()

    # Like: the count changes in place, without a reload.
    url = page.url
    focus = page.locator("article.tweet-focus")
    focus.get_by_role("button", name=re.compile(r"^Like")).click()
    expect(focus.get_by_role("button", name=re.compile(r"^Unlike"))).to_have_attribute("aria-pressed", "true")
    expect(focus.get_by_test_id("like-count")).to_have_text("1")
    assert page.url == url

    # Retweet Bob's post from the home timeline, then quote it.
    page.goto(live_server_url + "/@bob")
    bobs = card(page, "Bob says hello")
    bobs.get_by_role("button", name=re.compile(r"^Retweet")).click()
    expect(bobs.get_by_role("button", name=re.compile(r"^Undo retweet"))).to_be_visible()
    bobs.get_by_role("link", name=re.compile(r"^Quote")).click()
    expect(page.get_by_role("heading", name="Quote post")).to_be_visible()
    page.get_by_label("Post text").fill("Say hi back!")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("article.tweet-focus .quoted")).to_contain_text("Bob says hello")

    page.goto(live_server_url + "/@alice")
    shoot(page, "10-profile-timeline")
    page.goto(live_server_url + "/")
    shoot(page, "11-home-with-image")

    # Edit within the window: the card says "Edited".
    page.goto(live_server_url + "/@alice")
    sunset = card(page, "Sunset over the bay")
    sunset.get_by_label("More options").click()
    sunset.get_by_role("menuitem", name="Edit").click()
    page.get_by_label("Post text").fill("Sunset over the bay, edited #photo")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your post was edited.")).to_be_visible()
    expect(page.locator("article.tweet-focus .tweet-edited")).to_be_visible()
    shoot(page, "12-tweet-page-edited")

    # Delete it: gone from the profile; its reply stays and says what happened.
    page.locator("article.tweet-focus").get_by_label("More options").click()
    page.locator("article.tweet-focus").get_by_role("menuitem", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete post?")).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Your post was deleted.")).to_be_visible()
    expect(page.locator("article.tweet", has_text="Sunset over the bay")).to_have_count(0)
    page.goto(live_server_url + "/@alice/replies")
    card(page, "Taken from the pier").locator("a.tweet-time").click()
    expect(page.get_by_text("This post was deleted")).to_be_visible()
    assert console_errors == []


def test_no_script_in_user_content_runs(page, context, live_server_url, sign_in, shoot):
    mallory = UserFactory(username="mallory", name="<img src=x onerror=\"window.__pwned='name'\">")
    hostile = "<script>window.__pwned='text'</script> <img src=x onerror=\"window.__pwned='img'\">"
    post(mallory, hostile + " javascript:window.__pwned='link'")
    post(mallory, "alt", uploads=[(png_upload(), "\"><script>window.__pwned='alt'</script>")])
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(context, UserFactory(username="viewer"))
    for path in ("/@mallory", "/explore", "/@mallory/media"):
        page.goto(live_server_url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned") is None, path
    assert dialogs == []
    page.goto(live_server_url + "/@mallory")
    expect(page.get_by_text("<script>window.__pwned='text'</script>", exact=False).first).to_be_visible()
    shoot(page, "13-inert-user-content")
