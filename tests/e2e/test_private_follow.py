"""Following a private account, seen from both sides in two browsers."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_request_approve_and_see_the_posts(browser, live_server_url, sign_in, shoot):
    alice = UserFactory(username="alice", name="Alice Liddell")
    priv = UserFactory(username="priv", name="Private Person", is_private=True, bio="I keep to myself.")
    post(priv, "A thought for my followers only")

    alice_context, priv_context = browser.new_context(), browser.new_context()
    sign_in(alice_context, alice)
    sign_in(priv_context, priv)
    alice_page, priv_page = alice_context.new_page(), priv_context.new_page()

    alice_page.goto(live_server_url + "/@priv")
    expect(alice_page.get_by_role("heading", name="These posts are protected")).to_be_visible()
    expect(alice_page.get_by_text("A thought for my followers only")).to_have_count(0)
    profile = alice_page.get_by_role("region", name="Profile")
    profile.get_by_role("button", name=re.compile(r"^Follow")).click()
    expect(profile.get_by_role("button", name=re.compile(r"^Requested"))).to_be_visible()
    shoot(alice_page, "20-private-profile-requested")

    priv_page.goto(live_server_url + "/@priv")
    priv_page.get_by_role("link", name=re.compile(r"Requests")).click()
    expect(priv_page.get_by_role("heading", name="Follow requests")).to_be_visible()
    shoot(priv_page, "21-follow-requests")
    priv_page.get_by_role("button", name="Approve @alice").click()
    expect(priv_page.get_by_text("@alice now follows you.")).to_be_visible()

    alice_page.reload()
    expect(alice_page.get_by_text("A thought for my followers only")).to_be_visible()
    expect(
        alice_page.get_by_role("region", name="Profile").get_by_role("button", name=re.compile(r"^Following"))
    ).to_be_visible()
    shoot(alice_page, "22-private-profile-approved")
    alice_page.goto(live_server_url + "/")
    expect(alice_page.get_by_text("A thought for my followers only")).to_be_visible()
    alice_context.close()
    priv_context.close()
