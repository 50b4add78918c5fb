"""Smaller things from issue 24 in a real browser: the phone landing page shows the brand, Explore shows
popular posts and trends (never staff accounts to follow), and Block asks first in a dialog."""

import re

import pytest
from playwright.sync_api import expect

from search import trends
from social.graph.models import Block
from tests.e2e.conftest import ARTIFACTS
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets.models import Tweet

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def both_themes(page, name: str, full_page: bool = True) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=ARTIFACTS / f"{name}-{scheme}.png", full_page=full_page)
    page.emulate_media(color_scheme="light")


def test_landing_explore_and_block(page, context, live_server_url, sign_in, console_errors):
    # A visitor on a phone: the bottom bar has no room for the logo, so the landing page shows it.
    page.set_viewport_size(PHONE)
    page.goto(live_server_url + "/")
    brand = page.locator(".hero-brand")
    expect(brand).to_be_visible()
    expect(brand).to_have_text("Chirp")
    expect(page.get_by_role("heading", name="Happening now")).to_be_visible()
    both_themes(page, "landing-phone")

    alice = UserFactory(username="alice", name="Alice Liddell")
    bob = UserFactory(username="bob", name="Bob Builder", followers_count=3)
    UserFactory(username="root", name="Root", is_staff=True, is_superuser=True, followers_count=99)
    UserFactory(username="moderator", name="Moderator", is_staff=True, followers_count=98)
    hot = post(bob, "Pancakes at dawn are the best #breakfast")
    Tweet.objects.filter(pk=hot.pk).update(like_count=12, retweet_count=4)
    for text in ("Waffles, though? #breakfast", "Porridge wins #breakfast"):  # three uses: a trend
        post(bob, text)
    trends.refresh()  # what the beat task does once a minute
    sign_in(context, alice)

    # Explore: popular posts and trends as well as people; staff never suggested.
    page.goto(live_server_url + "/explore")
    expect(page.get_by_role("heading", name="Popular posts")).to_be_visible()
    expect(page.locator("article.tweet", has_text="Pancakes at dawn")).to_be_visible()
    expect(page.get_by_role("heading", name="Trends for you")).to_be_visible()
    trending = page.get_by_role("region", name="Trends for you")
    expect(trending.get_by_role("link", name=re.compile("#breakfast"))).to_be_visible()
    expect(page.get_by_role("heading", name="Who to follow")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("@root")
    expect(page.locator("main")).not_to_contain_text("@moderator")
    both_themes(page, "explore-phone")
    page.set_viewport_size({"width": 1280, "height": 860})
    both_themes(page, "explore-desktop")

    # Block asks first, in a dialog that says what blocking does; Esc and Cancel change nothing.
    page.goto(live_server_url + "/@bob")
    menu = page.get_by_label("More actions for @bob")
    menu.click()
    page.get_by_role("menuitem", name="Block @bob").click()
    dialog = page.get_by_role("dialog", name="Block @bob?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("won't be able to follow you, see your posts or message you")
    both_themes(page, "block-dialog", full_page=False)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(menu).to_be_focused()  # back where the person was
    menu.click()
    page.get_by_role("menuitem", name="Block @bob").click()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert not Block.objects.exists()
    menu.click()
    page.get_by_role("menuitem", name="Block @bob").click()
    dialog.get_by_role("button", name="Block", exact=True).click()
    expect(page.get_by_role("heading", name="You blocked @bob")).to_be_visible()
    expect(page.get_by_text("You blocked @bob.")).to_be_visible()
    assert console_errors == []
