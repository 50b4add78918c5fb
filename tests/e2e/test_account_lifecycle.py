"""Download your data, then delete the account: the settings pages in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_export_then_delete_the_account(page, live_server_url, sign_in, shoot, console_errors):
    leaver = UserFactory(username="leaver", name="Lee Ver")
    post(leaver, "My last post here")
    sign_in(page.context, leaver)

    page.goto(f"{live_server_url}/settings/account")
    page.get_by_role("button", name="Request your data").click()
    # Tasks run in-process in the test server, so the copy is ready by the time the page comes back.
    expect(page.get_by_role("link", name="Download your data")).to_be_visible()
    shoot(page, "70-settings-export-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your data").click()
    assert download.value.suggested_filename.endswith(".zip")

    page.goto(f"{live_server_url}/settings/account/delete")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    shoot(page, "71-delete-wrong-password")
    assert User.objects.get(username="leaver").is_active

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account was deleted.")).to_be_visible()
    shoot(page, "72-account-deleted")
    assert [e for e in console_errors if "status of 400" not in e] == []  # the refused form answers 400, by design
    assert page.goto(f"{live_server_url}/@leaver").status == 404
