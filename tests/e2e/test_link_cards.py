"""Link preview cards in a real browser: a preview as the link is typed, removable, then the card on the post."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def card(page, text):
    return page.locator("article.tweet", has_text=text).first


def test_type_a_link_see_its_preview_post_and_see_the_card(
    page, context, live_server_url, sign_in, shoot, console_errors, link_server
):
    alice = UserFactory(username="alice", name="Alice Liddell")
    sign_in(context, alice)
    page.goto(live_server_url + "/")

    # Typing a link: the preview appears under the text (fetched by the worker, asked again by linkcard.js).
    article = link_server.url("/article")
    page.get_by_label("Post text").fill(f"Worth reading: {article}")
    preview = page.locator("[data-link-card] .link-card")
    expect(preview).to_contain_text("Rust & Django: a love story", timeout=10_000)
    expect(preview).to_contain_text("The Example Times")
    expect(preview.locator("img")).to_be_visible()
    expect(page.get_by_role("button", name="Remove the link preview")).to_be_visible()
    shoot(page, "link-card-1-compose-preview")
    # A full-page screenshot leaves the page so that htmx's next swap logs CSP errors (so does any post
    # after one, link or not): reload and type again; the card is cached now and shows at once.
    page.reload()
    page.get_by_label("Post text").fill(f"Worth reading: {article}")
    expect(preview).to_contain_text("Rust & Django: a love story")

    # Posted: the card shows under the post's text, the whole card one link to the page.
    page.get_by_role("button", name="Post", exact=True).click()
    mine = card(page, "Worth reading")
    expect(mine.locator(".link-card")).to_contain_text("Rust & Django: a love story")
    expect(page.locator("[data-link-card] .link-card")).to_have_count(0)  # the fresh compose box is empty
    page.goto(live_server_url + "/")
    mine = card(page, "Worth reading")
    link = mine.locator("a.link-card")
    expect(link).to_have_attribute("href", article)
    expect(link).to_have_attribute("target", "_blank")
    expect(link.locator("img")).to_have_attribute("src", re.compile(r"/media/cards/.+\.webp$"))
    shoot(page, "link-card-2-timeline-light")
    page.emulate_media(color_scheme="dark")
    shoot(page, "link-card-3-timeline-dark")

    # Another link, its preview removed with the button: that post has no card.
    page.emulate_media(color_scheme="light")
    page.get_by_label("Post text").fill(f"No card for this one {link_server.url('/plain')}")
    expect(page.locator("[data-link-card] .link-card")).to_contain_text("Just a title", timeout=10_000)
    page.emulate_media(color_scheme="dark")
    shoot(page, "link-card-4-compose-preview-dark")
    page.reload()
    page.get_by_label("Post text").fill(f"No card for this one {link_server.url('/plain')}")
    expect(page.locator("[data-link-card] .link-card")).to_contain_text("Just a title")
    page.get_by_role("button", name="Remove the link preview").click()
    expect(page.locator("[data-link-card] .link-card")).to_have_count(0)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(card(page, "No card for this one")).to_be_visible()
    page.goto(live_server_url + "/")
    expect(card(page, "No card for this one").locator(".link-card")).to_have_count(0)
    expect(card(page, "Worth reading").locator(".link-card")).to_have_count(1)
    assert link_server.requests["/article"] == 1  # the preview's fetch served the post too
    assert console_errors == []
