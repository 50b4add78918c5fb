"""Lists in the browser: create one, add someone from their profile's menu, read the list, and watch it update live."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_controls_labelled
from tests.e2e.waits import SOCKET_OPEN, wait_for_js
from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_create_a_list_add_someone_and_read_it_live(browser, live_server_url, sign_in, shoot):
    ann = UserFactory(username="ann", name="Ann Lister")
    ben = UserFactory(username="ben", name="Ben Birder")
    post(ben, "Ben's older post about herons")
    post(UserFactory(username="cat", name="Cat Elsewhere"), "Not on the list")

    ann_context, ben_context = browser.new_context(), browser.new_context()
    sign_in(ann_context, ann)
    sign_in(ben_context, ben)
    page, ben_page = ann_context.new_page(), ben_context.new_page()

    page.goto(live_server_url + "/lists")
    assert_controls_labelled(page)
    page.get_by_label("Name").fill("Birders")
    page.get_by_label("Description (optional)").fill("People who watch birds")
    page.get_by_role("button", name="Create list").click()
    expect(page.get_by_role("heading", name="Birders")).to_be_visible()
    list_url = page.url

    # From Ben's profile menu: Add to/remove from lists, then Add.
    page.goto(live_server_url + "/@ben")
    page.get_by_label("More actions for @ben").click()
    page.get_by_role("menuitem", name="Add to/remove from lists").click()
    page.get_by_role("button", name="Add @ben to Birders").click()
    expect(page.get_by_role("button", name="Remove @ben from Birders")).to_be_visible()
    assert_controls_labelled(page)
    shoot(page, "62-add-to-lists")

    page.goto(list_url)
    expect(page.get_by_text("Ben's older post about herons")).to_be_visible()
    expect(page.get_by_text("Not on the list")).to_have_count(0)
    expect(page.get_by_text("1 member", exact=True)).to_be_visible()
    wait_for_js(page, SOCKET_OPEN)

    # Ann doesn't follow Ben: the live update comes from the list alone.
    ben_page.goto(live_server_url + "/")
    ben_page.get_by_label("Post text").fill("A kingfisher, live")
    ben_page.get_by_role("button", name="Post", exact=True).click()
    expect(ben_page.get_by_text("A kingfisher, live")).to_be_visible()

    banner = page.get_by_role("button", name=re.compile(r"Show 1 new post"))
    expect(banner).to_be_visible(timeout=3000)
    banner.click()
    expect(page.locator("#feed article.tweet").first).to_contain_text("A kingfisher, live")
    shoot(page, "60-list-timeline")

    page.goto(live_server_url + "/lists")
    expect(page.get_by_role("link", name=re.compile("Birders"))).to_be_visible()
    shoot(page, "61-lists")
    ann_context.close()
    ben_context.close()
