"""Times in the reader's zone, in a real browser: relative times that move on by themselves, full dates on hover
and for screen readers, the browser's zone passed to the server, and the reader's own setting over it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from social.graph.models import Follow
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets.models import Tweet

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_relative_times_move_on_and_dates_follow_the_readers_zone(browser, live_server_url, sign_in, shoot):
    ada = UserFactory(username="ada", name="Ada Tokyo")
    bob = UserFactory(username="bob", name="Bob Writer")
    Follow.objects.create(follower=ada, followee=bob)
    fresh = post(bob, "Posted a moment ago")
    old = post(bob, "Posted on a winter evening")
    winter_noon = timezone.now().replace(year=2025, month=1, day=15, hour=12, minute=0)  # UTC
    Tweet.objects.filter(pk=old.pk).update(created_at=winter_noon)
    Tweet.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(seconds=20))

    context = browser.new_context(timezone_id="Asia/Tokyo", locale="en-US", viewport={"width": 1280, "height": 860})
    sign_in(context, ada)
    page = context.new_page()
    page.clock.install()
    page.goto(live_server_url + "/")
    fresh_time = page.locator(f"#tweet-{fresh.pk} time [aria-hidden=true]")  # what the eye reads
    expect(fresh_time).to_have_text("now")

    # Two minutes on, with no reload: "2m". The old post shows its date with the year, in Tokyo (9 p.m.).
    page.clock.run_for(120_000)
    expect(fresh_time).to_have_text("2m")
    old_time = page.locator(f"#tweet-{old.pk} time")
    expect(old_time).to_have_attribute("title", "January 15, 2025 at 9:00 PM GMT+9")
    # A screen reader gets the full date instead of the short form.
    expect(old_time.locator(".visually-hidden")).to_have_text("January 15, 2025 at 9:00 PM GMT+9")
    expect(old_time.locator("[aria-hidden=true]")).to_have_text("Jan 15, 2025")
    shoot(page, "time-zone-tokyo")

    # The browser told the server its zone: the post's own page writes its date in Tokyo time.
    assert {c["name"]: c["value"] for c in context.cookies()}["tz"] == "Asia/Tokyo"
    page.goto(f"{live_server_url}/@bob/status/{old.pk}")
    expect(page.locator(".tweet-stats time")).to_contain_text("9 p.m. · Jan. 15, 2025")

    # Ada chooses New York in Settings: pages and the script use it over the browser's.
    page.goto(live_server_url + "/settings/display")
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your display settings were saved.")).to_be_visible()
    page.goto(live_server_url + "/")
    expect(page.locator(f"#tweet-{old.pk} time")).to_have_attribute("title", "January 15, 2025 at 7:00 AM EST")
    context.close()
