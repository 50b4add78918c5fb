"""The lightbox (static/js/lightbox.js): a post's images full size, by mouse, keyboard and touch; a DM's image too."""

import io
import re
from pathlib import Path

import av
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.waits import wait_for_js
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_390 = {"width": 390, "height": 844}
ALTS = ["A red kite over the hill", "A blue lake at dawn, mist on the water", "Green ferns in the shade"]
COLOURS = [(200, 70, 50), (40, 110, 190), (50, 150, 80)]
SIZE = (2400, 1600)  # larger than the window, so "natural size" is bigger than "fit"


def photo(colour, size=SIZE) -> bytes:
    """A JPEG that looks like something: a vertical gradient with a sun."""
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(size[1]):
        shade = y / size[1]
        draw.line([(0, y), (size[0], y)], fill=tuple(min(255, int(c * (0.4 + shade))) for c in colour))
    r = size[1] // 6
    draw.ellipse([size[0] * 0.65 - r, size[1] * 0.3 - r, size[0] * 0.65 + r, size[1] * 0.3 + r], fill=(250, 230, 150))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def snap(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"lightbox-{name}.png", animations="disabled")  # past the fade-in


def active(page) -> str:
    """The focused element, described: its class and, for a media link, its image's alt."""
    return page.evaluate(
        "() => { const a = document.activeElement; const img = a.querySelector && a.querySelector('img');"
        " return a.className + (img ? ':' + img.alt : ''); }"
    )


def stage_image(page):
    return page.locator("dialog.lightbox .lightbox-image")


def image_width(page) -> list[int]:
    return page.evaluate(
        "() => { const i = document.querySelector('dialog.lightbox .lightbox-image');"
        " return [Math.round(i.getBoundingClientRect().width), i.naturalWidth]; }"
    )


def compose(page, text: str, files: list[Path], alts: list[str], *, sensitive=False) -> None:
    """Post with images through the compose box, as a person does: the server stores and processes them."""
    page.get_by_label("Post text").fill(text)
    page.locator("[data-compose-images]").first.set_input_files([str(f) for f in files])
    for i, alt in enumerate(alts, start=1):
        page.get_by_label(f"Description of image {i}").fill(alt)
    if sensitive:
        page.get_by_label("Mark images as sensitive").check()
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("article.tweet", has_text=text).locator("a.media-item")).to_have_count(len(files))


def photo_files(tmp_path, colours, size=SIZE) -> list[Path]:
    files = []
    for i, colour in enumerate(colours):
        files.append(tmp_path / f"photo{i}.jpg")
        files[-1].write_bytes(photo(colour, size))
    return files


@pytest.fixture
def gallery(browser, live_server_url, sign_in, tmp_path):
    """Alice's post of three photos, uploaded from her browser; Bob will look at them."""
    alice = UserFactory(username="alice", name="Alice Liddell")
    bob = UserFactory(username="bob", name="Bob Builder")
    context = browser.new_context()
    sign_in(context, alice)
    page = context.new_page()
    page.goto(live_server_url + "/")
    compose(page, "Three from the walk", photo_files(tmp_path, COLOURS), ALTS)
    context.close()
    return bob


def test_a_posts_images_in_the_lightbox_by_mouse_and_keyboard(
    page, context, live_server_url, sign_in, gallery, console_errors
):
    bob = gallery
    sign_in(context, bob)
    page.goto(live_server_url + "/@alice")
    links = page.locator("article.tweet a.media-item")
    expect(links).to_have_count(3)
    dialog = page.get_by_role("dialog", name="Media viewer")

    # A click opens the first image, its description shown, 1 of 3.
    links.nth(0).click()
    expect(dialog).to_be_visible()
    expect(dialog.locator(".lightbox-caption")).to_have_text(ALTS[0])
    expect(dialog.get_by_role("img", name=ALTS[0])).to_be_visible()
    expect(dialog.locator(".lightbox-counter")).to_have_text("1 of 3")
    assert page.evaluate("() => getComputedStyle(document.querySelector('dialog.lightbox')).animationName") != "none"
    expect(stage_image(page)).to_have_attribute("src", re.compile(r"/media/.+\.jpg$"))  # the full file, not the thumb
    snap(page, "1-desktop-light")

    # → and ← step through the post; the buttons do too.
    page.keyboard.press("ArrowRight")
    expect(dialog.locator(".lightbox-counter")).to_have_text("2 of 3")
    expect(dialog.locator(".lightbox-caption")).to_have_text(ALTS[1])
    page.keyboard.press("ArrowLeft")
    expect(dialog.locator(".lightbox-counter")).to_have_text("1 of 3")
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_role("button", name="Next").click()
    expect(dialog.locator(".lightbox-counter")).to_have_text("3 of 3")
    dialog.get_by_role("button", name="Previous").click()
    expect(dialog.locator(".lightbox-counter")).to_have_text("2 of 3")

    # Zoom: the button shows the natural size (scrollable), again fits it; a click on the image does the same.
    expect(stage_image(page)).to_have_js_property("naturalWidth", SIZE[0])  # the full file has replaced the thumbnail
    shown, natural = image_width(page)
    assert natural == SIZE[0] and shown < 1280
    zoom = dialog.get_by_role("button", name="Zoom to full size")
    zoom.click()
    expect(dialog.get_by_role("button", name="Fit to screen")).to_have_attribute("aria-pressed", "true")
    assert image_width(page) == [SIZE[0], SIZE[0]]
    assert page.evaluate("() => document.querySelector('.lightbox-stage').scrollWidth") >= SIZE[0]
    dialog.get_by_role("button", name="Fit to screen").click()
    assert image_width(page)[0] == shown
    stage_image(page).click()
    assert image_width(page)[0] == SIZE[0]
    stage_image(page).click()
    assert image_width(page)[0] == shown

    page.emulate_media(color_scheme="dark")
    snap(page, "2-desktop-dark")
    page.emulate_media(color_scheme="light")

    # Esc closes; focus is back on the link that opened it.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert active(page) == f"media-item:{ALTS[0]}"

    # Keyboard only: Tab to the second image, Enter opens it; the close button closes it.
    for _ in range(3):
        if active(page) == f"media-item:{ALTS[1]}":
            break
        page.keyboard.press("Tab")
    assert active(page) == f"media-item:{ALTS[1]}"
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".lightbox-counter")).to_have_text("2 of 3")
    assert "lightbox-close" in active(page)  # focus starts inside the dialog
    # The zoom button shows once the full image is known to be larger than the screen: wait for it,
    # or the keys below race the image's load (the button appearing between them takes the Enter).
    expect(dialog.get_by_role("button", name="Zoom to full size")).to_be_visible()
    page.keyboard.press("Shift+Tab")  # the focus ring shows on the dark, then back to Close
    snap(page, "7-keyboard-focus")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert active(page) == f"media-item:{ALTS[1]}"
    assert page.url == live_server_url + "/@alice"  # the links' own navigation never happened

    assert console_errors == []  # nothing refused by the CSP either


def test_a_swipe_on_a_phone_moves_to_the_next_image(browser, live_server_url, sign_in, gallery):
    bob = gallery
    context = browser.new_context(viewport=PHONE_390, has_touch=True, is_mobile=True)
    sign_in(context, bob)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server_url + "/@alice")
    page.locator("article.tweet a.media-item").nth(0).tap()
    dialog = page.get_by_role("dialog", name="Media viewer")
    expect(dialog.locator(".lightbox-counter")).to_have_text("1 of 3")
    expect(stage_image(page)).to_have_js_property("complete", True)
    snap(page, "3-phone-390-light")

    # A real touch, right to left across the picture, through the DevTools protocol.
    cdp = context.new_cdp_session(page)
    y = PHONE_390["height"] // 2

    def swipe(*xs):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": xs[0], "y": y}]})
        for x in xs[1:]:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + 4}]})
        page.wait_for_timeout(120)  # the finger rests before it lifts: no fling, whose end would eat the next tap
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": xs[-1], "y": y + 4}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    swipe(320, 280, 220, 160, 100)
    expect(dialog.locator(".lightbox-counter")).to_have_text("2 of 3")
    expect(dialog.locator(".lightbox-caption")).to_have_text(ALTS[1])
    assert not page.evaluate("() => document.querySelector('.lightbox').classList.contains('is-zoomed')")  # not a tap

    # And back, left to right.
    swipe(60, 120, 200, 300)
    expect(dialog.locator(".lightbox-counter")).to_have_text("1 of 3")
    expect(stage_image(page)).to_have_js_property("complete", True)
    page.emulate_media(color_scheme="dark")
    snap(page, "4-phone-390-dark")
    dialog.get_by_role("button", name="Close").tap()
    expect(dialog).to_be_hidden()
    assert errors == []
    context.close()


def test_sensitive_images_open_only_once_revealed(page, context, live_server_url, sign_in, tmp_path):
    alice = UserFactory(username="alice", name="Alice Liddell")
    sign_in(context, alice)
    page.goto(live_server_url + "/")
    compose(page, "Careful", photo_files(tmp_path, COLOURS[:1], (800, 600)), ["A wound"], sensitive=True)
    page.goto(live_server_url + "/@alice")
    dialog = page.locator("dialog.lightbox")
    page.locator("details.sensitive-media > summary").click()  # reveals; no lightbox yet
    expect(page.get_by_role("img", name="A wound")).to_be_visible()
    expect(dialog).to_have_count(0)
    page.emulate_media(reduced_motion="reduce")
    page.locator("article.tweet a.media-item").click()
    expect(dialog).to_be_visible()
    assert page.evaluate("() => getComputedStyle(document.querySelector('dialog.lightbox')).animationName") == "none"
    expect(dialog.locator(".lightbox-caption")).to_have_text("A wound")
    expect(dialog.locator(".lightbox-counter")).to_be_hidden()  # one image: no counter, no steps
    expect(dialog.get_by_role("button", name="Next")).to_be_hidden()
    expect(stage_image(page)).to_have_js_property("naturalWidth", 800)
    page.wait_for_timeout(100)  # its load event has run
    expect(dialog.get_by_role("button", name="Zoom to full size")).to_be_hidden()  # already shown at its natural size


def test_a_direct_message_image_opens_in_the_lightbox(page, context, live_server_url, sign_in, tmp_path):
    UserFactory(username="ann", name="Ann Author")
    ben = UserFactory(username="ben", name="Ben Reader")
    sign_in(context, ben)
    page.goto(live_server_url + "/@ann")
    page.get_by_role("button", name="Message @ann").click()
    expect(page.get_by_role("heading", name="Ann Author")).to_be_visible()
    picture = tmp_path / "view.jpg"
    picture.write_bytes(photo(COLOURS[1], (1600, 1200)))
    page.locator("[data-chat-image]").set_input_files(str(picture))
    page.get_by_label("Image or video description").fill("Harbour at night")
    page.get_by_label("Message", exact=True).fill("The view from here")
    page.get_by_role("button", name="Send").click()
    link = page.locator("a.chat-image")
    expect(link).to_be_visible()
    page.reload()  # processed by now (the worker runs eagerly in tests): the ready picture, not "Processing…"
    link.click()
    dialog = page.get_by_role("dialog", name="Media viewer")
    expect(dialog.locator(".lightbox-caption")).to_have_text("Harbour at night")
    # The full file, through the access-checked view.
    expect(stage_image(page)).to_have_attribute("src", re.compile(r"/api/v1/messages/media/\d+$"))
    expect(stage_image(page)).to_have_js_property("naturalWidth", 1600)
    snap(page, "5-message-desktop")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert "chat-image" in active(page)


def clip_webm(frames=10, size=(320, 240)) -> bytes:
    """A one-second VP9 clip, made here with PyAV (FFmpeg in its wheel)."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="webm") as out:
        stream = out.add_stream("libvpx-vp9", rate=10)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for i in range(frames):
            frame = av.VideoFrame.from_image(Image.new("RGB", size, (200, 25 * i, 60)))
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buffer.getvalue()


# What the video work will render (a poster-only preview in a .media-item); the merger wires the attribute.
VIDEO_ITEM = """(url) => {
  const box = document.createElement('div');
  box.className = 'tweet-media media-1';
  box.innerHTML = '<a class="media-item" id="clip" href="' + url + '" data-lightbox-video="' + url + '">'
    + '<video class="media-video" muted playsinline preload="none" poster="' + url + '.jpg"'
    + ' aria-label="A red square turning orange"></video></a>';
  document.querySelector('article.tweet').append(box);
}"""


def test_an_item_marked_as_video_opens_as_a_player_that_does_not_start_by_itself(
    page, context, live_server_url, sign_in, gallery, console_errors
):
    sign_in(context, gallery)
    clip = clip_webm()
    poster = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 0, 60)).save(poster, format="JPEG")
    page.route(f"{live_server_url}/e2e/clip.webm", lambda route: route.fulfill(body=clip, content_type="video/webm"))
    page.route(
        f"{live_server_url}/e2e/clip.webm.jpg",
        lambda route: route.fulfill(body=poster.getvalue(), content_type="image/jpeg"),
    )
    page.goto(live_server_url + "/@alice")
    page.evaluate(VIDEO_ITEM, "/e2e/clip.webm")
    page.locator("#clip").click()
    dialog = page.get_by_role("dialog", name="Media viewer")
    video = dialog.locator("video")
    expect(video).to_be_visible()
    expect(video).to_have_js_property("controls", True)
    expect(video).to_have_js_property("autoplay", False)
    expect(video).to_have_attribute("poster", re.compile(r"/e2e/clip\.webm\.jpg$"))
    expect(dialog.locator(".lightbox-caption")).to_have_text("A red square turning orange")
    expect(dialog.get_by_role("button", name="Zoom to full size")).to_be_hidden()
    expect(dialog.locator(".lightbox-counter")).to_be_hidden()  # alone in its box
    # The clip is really there and playable, yet nothing plays until the reader asks.
    wait_for_js(page, "document.querySelector('dialog.lightbox video').readyState >= 1")
    assert page.evaluate("() => document.querySelector('dialog.lightbox video').duration") == pytest.approx(1, abs=0.2)
    assert page.evaluate("() => document.querySelector('dialog.lightbox video').paused") is True
    snap(page, "6-video-desktop")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(dialog.locator("video")).to_have_count(0)  # gone with the dialog: it can't go on playing
    assert page.evaluate("() => document.activeElement.id") == "clip"
    assert console_errors == []
