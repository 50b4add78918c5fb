"""Live updates between two people's browsers, over a real WebSocket."""

import re

import pytest
from playwright.sync_api import expect

from social.models import Follow
from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_badge_list_and_new_posts_banner_update_without_reload(browser, live_server_url, sign_in, shoot):
    ann = UserFactory(username="ann", name="Ann Author")
    ben = UserFactory(username="ben", name="Ben Reader")
    Follow.objects.create(follower=ann, followee=ben)
    tweet = post(ann, "Ann's first post")

    ann_context, ben_context = browser.new_context(), browser.new_context()
    sign_in(ann_context, ann)
    sign_in(ben_context, ben)
    ann_page, ben_page = ann_context.new_page(), ben_context.new_page()

    # Ann watches her notifications; Ben likes her post from his side.
    ann_page.goto(live_server_url + "/notifications")
    expect(ann_page.get_by_role("heading", name="Nothing to see here — yet")).to_be_visible()
    ann_page.wait_for_function("window.chirpSocket && window.chirpSocket().readyState === 1")
    ben_page.goto(live_server_url + f"/@ann/status/{tweet.pk}")
    ben_page.locator("article.tweet-focus").get_by_role("button", name=re.compile(r"^Like")).click()

    badge = ann_page.locator('[data-badge="notifications"]').first
    expect(badge).to_have_text("1", timeout=2000)
    expect(ann_page.locator("#notification-list").get_by_text("liked your post")).to_be_visible(timeout=2000)
    assert ann_page.url.endswith("/notifications")  # no reload happened
    shoot(ann_page, "30-notifications-live")
    # The item that came over the socket works like a rendered one: its form carries this page's CSRF token.
    ann_page.locator("#notification-list").get_by_role("button", name="Mark as read").first.click()
    expect(ann_page.locator("#notification-list .is-unread")).to_have_count(0)
    expect(badge).to_be_hidden()

    # Ann reads her home timeline; Ben posts; a banner offers the new post.
    ann_page.goto(live_server_url + "/")
    ann_page.wait_for_function("window.chirpSocket && window.chirpSocket().readyState === 1")
    ben_page.goto(live_server_url + "/")
    ben_page.get_by_label("Post text").fill("Ben says hello, live")
    ben_page.get_by_role("button", name="Post", exact=True).click()
    expect(ben_page.get_by_text("Ben says hello, live")).to_be_visible()

    banner = ann_page.get_by_role("button", name=re.compile(r"Show 1 new post"))
    expect(banner).to_be_visible(timeout=2000)
    shoot(ann_page, "31-new-posts-banner")
    banner.click()
    expect(ann_page.locator("#feed article.tweet").first).to_contain_text("Ben says hello, live")
    expect(banner).to_be_hidden()
    ann_context.close()
    ben_context.close()
