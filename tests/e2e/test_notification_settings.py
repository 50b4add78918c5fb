"""Settings -> Notifications in a real browser, and the Notifications badge clearing in every open tab."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DESKTOP, assert_controls_labelled
from tests.e2e.waits import SOCKET_OPEN, wait_for_js
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets.services import like_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_390 = {"width": 390, "height": 844}
NOTE = "Off in the app, so no push or email either."


def screenshots(page, name: str) -> None:
    """Desktop and 390 px wide, light and dark (the site follows prefers-color-scheme)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE_390)):
            page.set_viewport_size(viewport)
            page.wait_for_timeout(50)
            page.screenshot(path=ARTIFACTS / f"{name}-{label}-{scheme}.png", full_page=True)
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(DESKTOP)


def test_cells_are_set_saved_and_kept_and_follow_the_in_app_switch(page, live_server_url, sign_in, console_errors):
    me = UserFactory(username="ada", name="Ada Lovelace")
    sign_in(page.context, me)
    page.goto(live_server_url + "/settings/privacy")
    page.get_by_role("link", name="Notifications Which notifications").click()
    expect(page).to_have_url(live_server_url + "/settings/notifications")
    assert_controls_labelled(page)
    table = page.get_by_role("table", name="Notifications")
    expect(table.get_by_role("rowheader")).to_have_count(11)

    page.get_by_label("Likes: push").uncheck()
    page.get_by_label("Retweets: email").select_option(label="Daily digest")
    page.get_by_label("Only from people I follow").check()
    # In-app off: that row's push and email show as disabled, with the note.
    page.get_by_label("Quotes: in app").uncheck()
    expect(page.get_by_label("Quotes: push")).to_be_disabled()
    expect(page.get_by_label("Quotes: email")).to_be_disabled()
    expect(page.get_by_label("Quotes: email")).to_have_accessible_description(NOTE)
    expect(page.get_by_label("Likes: email")).to_have_accessible_description("")
    expect(page.locator("#notify-note-quote")).to_have_text(NOTE)
    expect(page.get_by_label("Likes: email")).to_be_enabled()
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".flash-list")).to_contain_text("Your notification settings were saved.")
    expect(page.get_by_label("Likes: push")).not_to_be_checked()
    expect(page.get_by_label("Retweets: email")).to_have_value("daily")
    expect(page.get_by_label("Only from people I follow")).to_be_checked()
    expect(page.get_by_label("Quotes: in app")).not_to_be_checked()
    expect(page.get_by_label("Quotes: push")).to_be_disabled()
    expect(page.get_by_label("Quotes: push")).to_be_checked()  # kept for when quotes come back on
    me.refresh_from_db()
    assert me.notification_prefs == {
        "app": {"quote": False},
        "push": {"like": False},
        "email": {"retweet": "daily"},
        "onlyFromFollowing": True,
    }
    screenshots(page, "95-notification-settings")

    page.get_by_label("Quotes: in app").check()  # back on: its cells come back as they were
    expect(page.get_by_label("Quotes: push")).to_be_enabled()
    expect(page.locator("#notify-note-quote")).to_be_hidden()
    assert console_errors == []


def test_opening_notifications_in_one_tab_clears_the_badge_in_the_other(browser, live_server_url, sign_in):
    ann, ben = UserFactory(username="ann", name="Ann"), UserFactory(username="ben", name="Ben")
    like_create(user=ben, tweet_id=post(ann, "Ann's post").pk)
    context = browser.new_context(viewport=DESKTOP)
    sign_in(context, ann)
    home, other = context.new_page(), context.new_page()

    home.goto(live_server_url + "/")
    badge = home.locator('[data-badge="notifications"]').first
    expect(badge).to_have_text("1")
    wait_for_js(home, SOCKET_OPEN)

    other.goto(live_server_url + "/notifications")
    expect(other.locator("#notification-list .is-unread")).to_have_count(1)  # shown as new on this visit
    expect(other.locator('[data-badge="notifications"]').first).to_be_hidden()  # its own badge: 0
    expect(badge).to_be_hidden(timeout=3000)  # and the other tab's, live, without a reload
    assert home.url == live_server_url + "/"
    context.close()


def test_on_a_phone_the_current_settings_tab_is_scrolled_into_view(page, live_server_url, sign_in, console_errors):
    """Six settings tabs are wider than 390 px: the row scrolls, and opens on the page's own tab."""
    sign_in(page.context, UserFactory(username="ada"))
    page.set_viewport_size(PHONE_390)
    page.goto(live_server_url + "/settings/security")
    tab = page.get_by_role("navigation", name="Settings sections").get_by_role("link", name="Security")
    expect(tab).to_have_attribute("aria-current", "page")
    box = tab.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_390["width"] + 1, box
    page.screenshot(path=ARTIFACTS / "95-settings-tabs-phone.png")
