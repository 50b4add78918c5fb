"""The email itself (its HTML part shown in the browser) and its unsubscribe page, opened signed out."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notifications.mail import compose, content
from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_mail_and_its_one_click_unsubscribe_page(page, live_server_url, shoot, console_errors, settings):
    settings.SITE_URL = live_server_url
    ada = UserFactory(username="ada", name="Ada Lovelace")
    grace, alan = UserFactory(username="grace", name="Grace Hopper"), UserFactory(username="alan", name="Alan Turing")
    original = post(ada, "Notes on the Analytical Engine")
    post(grace, "This is the best thing I've read all year.", reply_to_id=original.pk)
    post(alan, "Could it compose music, though?", reply_to_id=original.pk)
    batch = content.pending(ada, ["reply"], timezone.now() - timedelta(hours=1))
    mail = compose.notifications_mail(user=ada, kind="reply", to="ada@example.com", batch=batch)
    page.set_content(mail.alternatives[0].content)
    expect(page.get_by_role("heading", name="2 new replies")).to_be_visible()
    shoot(page, "95-email-replies")

    weekly = compose.weekly_mail(user=ada, to="ada@example.com", posts=[
        content.Post(author="Grace Hopper", handle="grace", excerpt="It's easier to ask forgiveness than permission.",
                     likes=128, url=live_server_url + "/@grace"),
        content.Post(author="Alan Turing", handle="alan", excerpt="We can only see a short distance ahead.",
                     likes=1, url=live_server_url + "/@alan"),
    ])  # fmt: skip
    page.set_content(weekly.alternatives[0].content)
    expect(page.get_by_role("heading", name="What you missed this week")).to_be_visible()
    shoot(page, "95-email-weekly")

    page.goto(mail.extra_headers["List-Unsubscribe"][1:-1])
    expect(page.get_by_text("Stop emails about new replies?")).to_be_visible()
    shoot(page, "95-email-unsubscribe-ask")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_contain_text("You're unsubscribed from emails about new replies")
    shoot(page, "95-email-unsubscribe-done")
    ada.refresh_from_db()
    assert ada.notification_prefs == {"email": {"reply": "never"}}
    page.reload()  # the form posted again: harmless
    expect(page.get_by_role("status")).to_contain_text("already unsubscribed")
    assert console_errors == []
