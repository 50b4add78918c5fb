"""Live updates between two people's browsers, over a real WebSocket."""

import re

import pytest
from playwright.sync_api import expect

from social.graph.models import Follow
from tests.e2e.waits import SOCKET_CLOSED, SOCKET_OPEN, wait_for_js
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets.services import like_create

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
    wait_for_js(ann_page, SOCKET_OPEN)
    ben_page.goto(live_server_url + f"/@ann/status/{tweet.pk}")
    ben_page.locator("article.tweet-focus").get_by_role("button", name=re.compile(r"^Like")).click()

    badge = ann_page.locator('[data-badge="notifications"]').first
    expect(badge).to_have_text("1", timeout=2000)
    expect(ann_page.locator("#notification-list").get_by_text("liked your post")).to_be_visible(timeout=2000)
    assert ann_page.url.endswith("/notifications")  # no reload happened
    # Read out to screen readers by the live region, focus left where it was.
    expect(ann_page.locator("#announcer")).to_have_text(re.compile(r"^New notification: .*liked your post"))
    shoot(ann_page, "30-notifications-live")
    # The item that came over the socket works like a rendered one: its form carries this page's CSRF token.
    ann_page.locator("#notification-list").get_by_role("button", name="Mark as read").first.click()
    expect(ann_page.locator("#notification-list .is-unread")).to_have_count(0)
    expect(badge).to_be_hidden()

    # Ann reads her home timeline; Ben posts; a banner offers the new post.
    ann_page.goto(live_server_url + "/")
    wait_for_js(ann_page, SOCKET_OPEN)
    ben_page.goto(live_server_url + "/")
    ben_page.get_by_label("Post text").fill("Ben says hello, live")
    ben_page.get_by_role("button", name="Post", exact=True).click()
    expect(ben_page.get_by_text("Ben says hello, live")).to_be_visible()

    banner = ann_page.get_by_role("button", name=re.compile(r"Show 1 new post"))
    expect(banner).to_be_visible(timeout=2000)
    expect(ann_page.locator("#announcer")).to_have_text("1 new post")
    shoot(ann_page, "31-new-posts-banner")
    banner.click()
    expect(ann_page.locator("#feed article.tweet").first).to_contain_text("Ben says hello, live")
    expect(banner).to_be_hidden()
    ann_context.close()
    ben_context.close()


def test_after_a_dropped_connection_the_badge_and_banner_catch_up(browser, live_server_url, sign_in):
    ann = UserFactory(username="ann", name="Ann Reader")
    ben = UserFactory(username="ben", name="Ben Author")
    Follow.objects.create(follower=ann, followee=ben)
    ann_post = post(ann, "Ann's post")

    context = browser.new_context()
    sign_in(context, ann)
    page = context.new_page()
    network = {"up": True}

    def socket_route(ws):
        # While "down" every reconnect attempt fails, as with a server restarting.
        if network["up"]:
            ws.connect_to_server()
        else:
            ws.close(code=1001, reason="down")

    page.route_web_socket(re.compile(r"/ws/$"), socket_route)
    page.goto(live_server_url + "/")
    wait_for_js(page, SOCKET_OPEN)

    network["up"] = False
    page.evaluate("window.chirpSocket().close()")
    wait_for_js(page, SOCKET_CLOSED)
    # While the page is away: a like of Ann's post, and a new post from someone she follows.
    like_create(user=ben, tweet_id=ann_post.pk)
    post(ben, "Posted while Ann was away")
    page.wait_for_timeout(500)
    badge = page.locator('[data-badge="notifications"]').first
    expect(badge).to_be_hidden()

    network["up"] = True
    expect(badge).to_have_text("1", timeout=15000)
    banner = page.get_by_role("button", name=re.compile(r"Show 1 new post"))
    expect(banner).to_be_visible(timeout=5000)
    banner.click()
    expect(page.locator("#feed article.tweet").first).to_contain_text("Posted while Ann was away")
    context.close()


def test_a_notification_delivered_three_times_shows_once(browser, live_server_url, sign_in):
    from notifications.events import send_event_on_commit
    from notifications.models import Notification
    from notifications.selectors import live_notification_event

    ann = UserFactory(username="ann", name="Ann Author")
    ben = UserFactory(username="ben", name="Ben Reader")
    tweet = post(ann, "Ann's post")

    context = browser.new_context()
    sign_in(context, ann)
    page = context.new_page()
    page.goto(live_server_url + "/notifications")
    wait_for_js(page, SOCKET_OPEN)

    like_create(user=ben, tweet_id=tweet.pk)  # delivered once, live
    items = page.locator("#notification-list").get_by_text("liked your post")
    expect(items).to_have_count(1, timeout=3000)
    event = live_notification_event(ann, Notification.objects.get(recipient=ann).pk)
    send_event_on_commit([ann.pk], event)  # and twice more, as a redelivered task would
    send_event_on_commit([ann.pk], event)
    send_event_on_commit([ann.pk], {"type": "unread", "id": "unread:after", "notifications": 7, "messages": 0})
    expect(page.locator('[data-badge="notifications"]').first).to_have_text("7", timeout=3000)  # past the repeats
    expect(items).to_have_count(1)
    context.close()


def test_logging_out_closes_the_other_tabs_sockets_and_they_stop_retrying(browser, live_server_url, sign_in):
    ann = UserFactory(username="ann", name="Ann Reader")
    context = browser.new_context()
    sign_in(context, ann)
    page = context.new_page()
    opened = []
    page.on("websocket", lambda socket: opened.append(socket))
    page.goto(live_server_url + "/")
    wait_for_js(page, SOCKET_OPEN)

    other_tab = context.new_page()
    other_tab.goto(live_server_url + "/")
    other_tab.get_by_role("button", name="Log out").click()
    expect(other_tab).to_have_url(re.compile(r"/accounts/login/"))

    wait_for_js(page, SOCKET_CLOSED, timeout=3000)  # closed at once (4401)
    page.wait_for_timeout(2500)  # a retry would have come within 2 s
    assert len(opened) == 1
    context.close()
