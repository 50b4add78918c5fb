"""Scheduling a post from the compose form, in the browser's time zone, then seeing it go out."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, assert_controls_labelled
from tests.factories import UserFactory
from tweets.models import Draft
from tweets.tasks import publish_scheduled_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ZONE = "Asia/Tokyo"


def test_schedule_a_post_that_then_appears(browser, live_server_url, sign_in, shoot):
    alice = UserFactory(username="alice", name="Alice Liddell")
    context = browser.new_context(timezone_id=ZONE, viewport=DESKTOP)
    sign_in(context, alice)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # A draft first, from the home page's compose box (htmx).
    page.goto(live_server_url + "/")
    page.get_by_label("Post text").fill("An idea for later")
    page.get_by_text("Save for later").click()
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(live_server_url + "/drafts")
    expect(page.locator("[data-draft]", has_text="An idea for later")).to_be_visible()

    # Then a scheduled post: the picker is in Tokyo time, as this browser's clock.
    page.goto(live_server_url + "/")
    page.get_by_label("Post text").fill("Good morning from the future #scheduled")
    page.get_by_text("Save for later").click()
    when = (timezone.now() + timedelta(hours=2)).astimezone(zoneinfo.ZoneInfo(ZONE)).replace(second=0, microsecond=0)
    page.get_by_label("Schedule for (your time)").fill(when.strftime("%Y-%m-%dT%H:%M"))
    assert_controls_labelled(page)
    shoot(page, "scheduled-compose")
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(live_server_url + "/scheduled")
    item = page.locator("[data-draft]", has_text="Good morning from the future")
    expect(item).to_contain_text(f"{when:%H:%M} (Asia/Tokyo)")
    draft = Draft.objects.get(text__startswith="Good morning")
    assert draft.time_zone == ZONE and draft.scheduled_at == when
    shoot(page, "scheduled-list")

    # Nothing is on the profile yet.
    page.goto(live_server_url + "/@alice")
    expect(page.locator("article.tweet", has_text="Good morning from the future")).to_have_count(0)

    # The clock moves on: the due time is now in the past, and the beat task runs.
    Draft.objects.filter(pk=draft.pk).update(scheduled_at=datetime.now(tz=UTC) - timedelta(seconds=1))
    assert publish_scheduled_posts() == 1
    page.reload()
    expect(page.locator("article.tweet", has_text="Good morning from the future")).to_be_visible()
    page.goto(live_server_url + "/scheduled")
    expect(page.get_by_role("heading", name="Nothing scheduled")).to_be_visible()

    # The draft opens back in a form, and goes out from there.
    page.goto(live_server_url + "/drafts")
    shoot(page, "drafts-list")
    page.locator("[data-draft]", has_text="An idea for later").get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit draft")).to_be_visible()
    expect(page.get_by_label("Post text")).to_have_value("An idea for later")
    assert_controls_labelled(page)
    page.get_by_label("Post text").fill("An idea, finished")
    page.get_by_role("button", name="Post now").click()
    expect(page.locator("article.tweet-focus")).to_contain_text("An idea, finished")
    assert errors == []
    context.close()
