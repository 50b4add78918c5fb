"""Bookmarks, Copy link, Share and the Quotes tab, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_controls_labelled
from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def card(page, text):
    return page.locator("article.tweet", has_text=text).first


def open_menu(tweet):
    tweet.get_by_label("More options").click()
    return tweet.get_by_role("menu")


def test_bookmark_copy_link_share_and_quotes(page, context, live_server_url, sign_in, shoot, console_errors):
    alice = UserFactory(username="alice", name="Alice Liddell")
    bob = UserFactory(username="bob", name="Bob Builder")
    carol = UserFactory(username="carol", name="Carol Quoter")
    bread = post(bob, "Bob's recipe for sourdough bread")
    post(bob, "Bob's other post")
    post(carol, "Carol says: everyone bake this", quote_of_id=bread.pk)
    sign_in(context, alice)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server_url)

    # Bookmark from the menu: htmx swaps the actions, and the menu now offers to remove it.
    page.goto(live_server_url + "/@bob")
    menu = open_menu(card(page, "sourdough"))
    menu.get_by_role("menuitem", name="Bookmark").click()
    expect(card(page, "sourdough").locator("[data-bookmark]")).to_have_text("Remove bookmark")
    toast = page.locator("[data-toast]", has_text="Added to your Bookmarks.")
    expect(toast).to_be_visible()
    expect(toast).to_have_count(0, timeout=8000)  # it goes away by itself
    menu = open_menu(card(page, "sourdough"))
    expect(menu.get_by_role("menuitem", name="Remove bookmark")).to_be_visible()
    assert page.url == live_server_url + "/@bob"

    shoot(page, "post-menu")

    # Copy link: the post's absolute address, with a visible "Copied".
    menu.get_by_role("menuitem", name="Copy link").click()
    expect(menu.locator("[data-copy-link]")).to_have_text("Copied")  # then back to "Copy link"
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == f"{live_server_url}/@bob/status/{bread.pk}"
    # Share shows only where the browser has a share sheet.
    has_share = page.evaluate("() => typeof navigator.share === 'function'")
    share = card(page, "sourdough").locator("[data-share]")
    expect(share).to_be_visible() if has_share else expect(share).to_be_hidden()

    # The Bookmarks page, from the left nav: only the saved post.
    page.get_by_role("navigation", name="Primary").get_by_role("link", name="Bookmarks").click()
    expect(page.get_by_role("heading", name="Bookmarks")).to_be_visible()
    expect(card(page, "sourdough")).to_be_visible()
    expect(page.locator("article.tweet", has_text="Bob's other post")).to_have_count(0)
    assert_controls_labelled(page)
    shoot(page, "bookmarks")

    # The Quotes tab of the post lists Carol's quote.
    card(page, "sourdough").locator("a.tweet-time").click()
    page.get_by_role("navigation", name="Post sections").get_by_role("link", name="Quotes").click()
    expect(page).to_have_url(re.compile(rf"/@bob/status/{bread.pk}/quotes$"))
    expect(card(page, "everyone bake this")).to_be_visible()
    shoot(page, "post-quotes")

    # Remove the bookmark from the Bookmarks page: gone after a reload.
    page.goto(live_server_url + "/bookmarks")
    open_menu(card(page, "sourdough")).get_by_role("menuitem", name="Remove bookmark").click()
    expect(card(page, "sourdough").locator("[data-bookmark]")).to_have_text("Bookmark")
    page.reload()
    expect(page.get_by_text("Save posts for later")).to_be_visible()
    assert console_errors == []


def test_own_post_menu_has_edit_with_a_pencil_and_quote_keeps_its_own_icon(page, context, live_server_url, sign_in):
    alice = UserFactory(username="alice")
    mine = post(alice, "my post")
    sign_in(context, alice)
    page.goto(f"{live_server_url}/@alice/status/{mine.pk}")
    tweet = card(page, "my post")
    menu = open_menu(tweet)
    expect(menu.get_by_role("menuitem", name="Edit")).to_be_visible()
    expect(menu.get_by_role("menuitem", name="Delete")).to_be_visible()
    expect(menu.get_by_role("menuitem", name="Report post")).to_have_count(0)
    edit_icon = menu.get_by_role("menuitem", name="Edit").locator("svg").inner_html()
    quote_icon = tweet.locator("a.action-quote svg").inner_html()
    assert edit_icon != quote_icon
