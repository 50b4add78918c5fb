"""A video in a real browser: upload it in the compose box, post, and watch it play (muted)."""

import pytest
from playwright.sync_api import expect

from tests import videos
from tests.e2e.conftest import assert_controls_labelled
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PLAYED = """async (video) => {
  video.muted = true;
  await video.play();
  await new Promise((resolve) => setTimeout(resolve, 800));
  return {time: video.currentTime, muted: video.muted, width: video.videoWidth};
}"""


def card(page, text):
    return page.locator("article.tweet", has_text=text).first


def test_post_a_video_and_play_it(page, context, live_server_url, sign_in, shoot, console_errors, tmp_path):
    alice = UserFactory(username="alice", name="Alice Liddell")
    sign_in(context, alice)
    page.emulate_media(reduced_motion="reduce")  # nothing starts by itself while we look at the player
    page.goto(live_server_url + "/")
    assert_controls_labelled(page)

    clip = tmp_path / "square.mp4"
    clip.write_bytes(videos.clip(seconds=2, size=(640, 360)))
    page.get_by_label("Post text").fill("A square on the move")
    page.locator("[data-compose-images]").first.set_input_files(str(clip))
    expect(page.locator("[data-compose-previews] video")).to_have_count(1)  # the preview is a muted video
    page.get_by_label("Description of image 1").fill("A white square slides to the right")
    page.get_by_role("button", name="Post", exact=True).click()

    # The tests run tasks in place: the server transcoded it while answering (else the card polls until ready).
    mine = card(page, "A square on the move")
    player = mine.locator("video.media-video")
    expect(player).to_be_visible(timeout=20_000)
    expect(player).to_have_attribute("aria-label", "A white square slides to the right")
    expect(player).to_have_attribute("preload", "none")
    expect(mine.locator(".media-alt")).to_have_text("ALT")
    assert player.get_attribute("poster").endswith(".webp")
    page.wait_for_timeout(300)
    assert player.evaluate("video => video.paused")  # reduced motion: no autoplay
    shoot(page, "video-1-posted")

    played = player.evaluate(PLAYED)
    assert played["time"] > 0 and played["muted"] and played["width"] == 640
    shoot(page, "video-2-playing")
    page.emulate_media(color_scheme="dark")
    shoot(page, "video-3-dark")
    page.emulate_media(color_scheme="light")

    # The expand button opens the uploaded video in the lightbox: controls, never started by itself.
    player.evaluate("video => video.pause()")
    expand = mine.get_by_role("button", name="Open video in the viewer")
    expand.focus()
    page.keyboard.press("Enter")
    viewer = page.get_by_role("dialog", name="Media viewer")
    big = viewer.locator("video")
    expect(big).to_have_attribute("aria-label", "A white square slides to the right")
    assert big.evaluate("video => video.controls && video.paused")
    assert big.get_attribute("poster").endswith(".webp")
    shoot(page, "video-4-lightbox")
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    assert expand.evaluate("button => document.activeElement === button")
    page.emulate_media(reduced_motion="no-preference")

    # Muted autoplay when in view, if the reader allows it (the default)...
    page.goto(live_server_url + "/@alice")
    player = card(page, "A square on the move").locator("video.media-video")
    page.wait_for_function("() => { const v = document.querySelector('video.media-video'); return v && !v.paused; }")
    assert player.evaluate("video => video.muted")  # never with sound

    # ...and nothing moves once they turn it off.
    page.goto(live_server_url + "/settings/display")
    page.get_by_label("Autoplay videos and GIFs").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your display settings were saved.")).to_be_visible()
    page.goto(live_server_url + "/@alice")
    page.wait_for_timeout(800)
    assert page.locator("video.media-video").first.evaluate("video => video.paused")
    assert console_errors == []
