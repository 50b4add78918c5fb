"""A report's journey: a user reports a post; a moderator resolves it in the admin by suspending the author."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_report_then_suspend_in_the_admin(browser, live_server_url, sign_in, shoot, migration_data):
    victim = UserFactory(username="victim", name="Vic Tim")
    troll = UserFactory(username="troll", name="Trouble Maker")
    moderator = UserFactory(username="mod", name="Mo Derator", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    bad = post(troll, "Everyone here is an idiot and I will find you")

    user_context, mod_context = browser.new_context(), browser.new_context()
    sign_in(user_context, victim)
    sign_in(mod_context, moderator)
    page, admin = user_context.new_page(), mod_context.new_page()

    page.goto(f"{live_server_url}/@troll/status/{bad.pk}")
    page.get_by_role("article").first.get_by_label("More options").click()
    page.get_by_role("menuitem", name="Report post").click()
    expect(page.get_by_role("heading", name="Report this post")).to_be_visible()
    page.get_by_label("Violence or threats").check()
    page.get_by_label(re.compile("Anything the moderators should know")).fill("A threat, in public.")
    shoot(page, "60-report-form")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thanks. The moderators will review this post.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/@troll/status/{bad.pk}$"))

    admin.goto(f"{live_server_url}/admin/moderation/report/?status__exact=open")
    expect(admin.get_by_role("link", name="@troll")).to_be_visible()
    shoot(admin, "61-admin-report-queue")
    admin.get_by_role("link", name=re.compile(r"^\d+$")).first.click()
    expect(admin.get_by_text("Everyone here is an idiot")).to_be_visible()
    admin.get_by_role("link", name="Act on this report").click()
    admin.get_by_label("Suspend the account").check()
    admin.get_by_label("Reason:").fill("Threats of violence.")
    shoot(admin, "62-admin-act")
    admin.get_by_role("button", name="Apply").click()
    expect(admin.get_by_text("Suspended @troll.")).to_be_visible()

    admin.goto(f"{live_server_url}/admin/moderation/report/?status__exact=resolved")
    rows = admin.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Resolved")

    admin.goto(f"{live_server_url}/admin/moderation/moderationaction/")
    expect(admin.get_by_text("Threats of violence.")).to_be_visible()
    shoot(admin, "63-admin-audit-log")

    page.goto(f"{live_server_url}/@troll/status/{bad.pk}")
    expect(page.get_by_text("Everyone here is an idiot")).to_have_count(0)
    page.goto(f"{live_server_url}/@troll")
    expect(page.get_by_text("Trouble Maker")).to_have_count(0)
    user_context.close()
    mod_context.close()
