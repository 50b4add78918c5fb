"""A Mastodon client library (Mastodon.py 2.3.3, not ours) against the live server's Mastodon API.

It registers an app (POST /api/v1/apps) with the out-of-band redirect URI, sends the person's
browser (Playwright) through login and the consent page, which shows the code; the library
exchanges it, reads the account, the instance (v1 and v2: it checks the version), its own app,
preferences and markers, and revokes its token.
"""

import re

import pytest
from mastodon import Mastodon, MastodonUnauthorizedError
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow", "push"]


def _approve_in_browser(page, url: str) -> str:
    """The person logs in and allows the app; the OOB page shows the code."""
    page.goto(url)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username or email").fill("reader")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_test_id("app-name")).to_have_text("Tootle")
    page.get_by_role("button", name="Allow").click()
    code = page.get_by_test_id("oob-code")
    expect(code).to_be_visible()
    return code.inner_text().strip()


def test_mastodon_py_from_registration_to_revocation(page, live_server_url, shoot, console_errors):
    base = live_server_url
    UserFactory(username="reader", name="Rita Reader", bio="Reads a lot")

    client_id, client_secret = Mastodon.create_app(
        "Tootle", scopes=SCOPES, redirect_uris=OOB, website="https://tootle.example", api_base_url=base
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    assert api.verify_minimum_version("4.0.0", cached=False)  # read from /api/v1/instance's version string

    url = api.auth_request_url(redirect_uris=OOB, scopes=SCOPES, allow_http=True)
    code = _approve_in_browser(page, url)
    shoot(page, "mastodon-oob-code")
    api.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)

    me = api.account_verify_credentials()
    assert me.username == "reader" and me.display_name == "Rita Reader"
    assert me.source.privacy == "public" and me.source.note == "Reads a lot"

    v1 = api.instance_v1()
    assert v1.version.startswith("4.3.0") and v1.configuration.statuses.max_characters == 280
    v2 = api.instance_v2()
    assert v2.domain and v2.configuration.urls.streaming.startswith("ws://")
    assert api.instance().version.startswith("4.3.0")

    app = api.app_verify_credentials()
    assert app.name == "Tootle" and "client_secret" not in app

    api.markers_set(["home", "notifications"], [1234, 5678])
    markers = api.markers_get(["home", "notifications"])
    assert str(markers.home.last_read_id) == "1234" and str(markers.notifications.last_read_id) == "5678"

    prefs = api.preferences()
    assert prefs["posting:default:visibility"] == "public"

    token = api.access_token
    api.revoke_access_token(allow_http=True)
    after = Mastodon(access_token=token, api_base_url=base, version_check_mode="none")
    with pytest.raises(MastodonUnauthorizedError):
        after.account_verify_credentials()
    assert console_errors == []
