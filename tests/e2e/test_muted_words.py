"""A muted word hiding a post: Settings → Muted words in a real browser, then the home timeline without it."""

import re

import pytest
from playwright.sync_api import expect

from social.graph import services as social
from tests.e2e.conftest import assert_controls_labelled
from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_muted_word_hiding_a_post(page, live_server_url, sign_in, shoot, console_errors):
    me = UserFactory(username="ada", name="Ada Lovelace")
    friend = UserFactory(username="grace", name="Grace Hopper")
    social.follow_create(follower=me, followee=friend)
    post(friend, "Big SPOILERS for the finale: the butler did it")
    post(friend, "A quiet walk in the park this morning")
    sign_in(page.context, me)

    page.goto(live_server_url + "/")
    expect(page.get_by_text("A quiet walk in the park")).to_be_visible()
    expect(page.get_by_text("Big SPOILERS for the finale")).to_be_visible()

    page.goto(live_server_url + "/settings/privacy")
    page.get_by_role("link", name=re.compile("Muted words")).click()
    expect(page).to_have_url(re.compile(r"/settings/muted-words$"))
    assert_controls_labelled(page)
    page.get_by_label("Word, phrase or #hashtag").fill("spoilers")
    page.get_by_label("Mute in").select_option("home")
    page.get_by_label("For how long").select_option(label="7 days")
    page.get_by_role("button", name="Mute", exact=True).click()
    words = page.get_by_test_id("muted-words")
    expect(words).to_contain_text("spoilers")
    expect(words).to_contain_text("Home timeline")
    expect(page.get_by_role("status")).to_contain_text("Muted “spoilers”")
    expect(page.get_by_label("Word, phrase or #hashtag")).to_have_value("")  # the form is fresh for the next one

    page.get_by_label("Word, phrase or #hashtag").fill("SPOILERS")  # the same word again: refused, clearly
    page.get_by_role("button", name="Mute", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("You already muted “spoilers”")
    expect(words.get_by_role("listitem")).to_have_count(1)
    shoot(page, "90-muted-words-settings")

    page.goto(live_server_url + "/")
    expect(page.get_by_text("A quiet walk in the park")).to_be_visible()
    expect(page.get_by_text("Big SPOILERS for the finale")).to_have_count(0)
    shoot(page, "91-home-without-the-muted-post")

    page.goto(live_server_url + "/settings/muted-words")
    page.get_by_role("button", name=re.compile("Remove")).click()
    expect(page.get_by_test_id("muted-words")).to_contain_text("You haven't muted any words.")
    page.goto(live_server_url + "/")
    expect(page.get_by_text("Big SPOILERS for the finale")).to_be_visible()
    # The browser logs the refused duplicate (a 409 that htmx swaps in on purpose); nothing else.
    assert [e for e in console_errors if "status of 409" not in e] == []
