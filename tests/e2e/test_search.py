"""Search, trends and @mention autocomplete in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from search import trends
from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_mention_autocomplete_search_and_trends(page, live_server_url, sign_in, shoot, console_errors):
    from django.utils import timezone

    me = UserFactory(username="writer", name="Wren Writer")
    johanna = UserFactory(username="johanna", name="Johanna Berg", followers_count=90)
    UserFactory(username="john", name="John Carter", followers_count=10)
    UserFactory(username="jonas", name="Jonas Field", followers_count=40)
    social.follow_create(follower=me, followee=johanna)
    post(johanna, "Fresh sourdough from the market this morning #baking")
    post(johanna, "Another loaf, another lesson #Baking #bread")
    trends.record(["baking"], timezone.now(), delta=12)
    trends.refresh()

    sign_in(page.context, me)
    page.goto(live_server_url + "/")
    compose = page.get_by_role("combobox", name="Post text")
    compose.click()
    compose.press_sequentially("Lunch with @jo", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("@johanna")  # people you follow first
    expect(options).to_have_count(3)
    expect(compose).to_have_attribute("aria-expanded", "true")
    shoot(page, "50-mention-autocomplete")

    compose.press("ArrowDown")  # keyboard: move to the second suggestion and take it
    second = options.nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    chosen = second.get_attribute("data-username")
    compose.press("Enter")
    expect(listbox).to_be_hidden()
    expect(compose).to_have_value(f"Lunch with @{chosen} ")
    compose.press_sequentially("and @joh", delay=30)
    expect(options.first).to_contain_text("@johanna")
    compose.press("Escape")
    expect(listbox).to_be_hidden()
    expect(compose).to_have_value(f"Lunch with @{chosen} and @joh")

    page.get_by_role("search").get_by_label("Search Chirp").fill('"sourdough from"')
    page.get_by_role("search").get_by_label("Search Chirp").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q="))
    expect(page.get_by_text("Fresh sourdough from the market")).to_be_visible()
    expect(page.get_by_text("Another loaf")).to_have_count(0)
    trending = page.get_by_role("region", name="Trending")
    expect(trending.get_by_role("link", name=re.compile("#baking"))).to_be_visible()
    shoot(page, "51-search-results")

    page.get_by_role("link", name="People").click()
    page.get_by_label("Search Chirp").first.fill("jonh")
    page.get_by_label("Search Chirp").first.press("Enter")
    expect(page.get_by_role("link", name=re.compile("John Carter")).first).to_be_visible()
    shoot(page, "52-search-people")

    page.goto(live_server_url + "/explore")
    expect(page.get_by_role("link", name=re.compile("#baking"))).to_be_visible()
    page.get_by_role("link", name=re.compile("#baking")).click()
    expect(page.get_by_role("heading", name="#baking")).to_be_visible()
    expect(page.get_by_text("2 posts")).to_be_visible()
    shoot(page, "53-hashtag")
    assert console_errors == []
