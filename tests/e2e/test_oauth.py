"""A third-party app signs in with OAuth 2 against the live server.

authlib's OAuth2Session is the app (a real OAuth client library, not ours): it
registers through the API, sends the person's browser (Playwright) through
login and the consent page, exchanges the code with PKCE, calls the API,
refreshes, and is cut off when the person removes it in Settings.
"""

import re

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from playwright.sync_api import expect

from accounts import services
from tests.e2e.conftest import ARTIFACTS, DESKTOP, assert_controls_labelled
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Nothing listens here: the browser's visit to the app's callback is answered by Playwright.
CALLBACK = "http://127.0.0.1:9999/callback"


def _shoot_390(page, name: str) -> None:
    """The brief's phone width, besides the suite's 360 px."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=ARTIFACTS / f"{name}-390.png", full_page=True)
    page.set_viewport_size(DESKTOP)


@pytest.fixture(autouse=True)
def _plain_http_on_loopback(monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the live test server is http://127.0.0.1


def test_third_party_app_from_registration_to_revocation(page, live_server_url, shoot, console_errors):
    base = live_server_url
    developer = UserFactory(username="devon")
    UserFactory(username="reader", name="Rita Reader")
    developer_token = services.token_create(user=developer)

    # 1. The developer registers the app through the API.
    registered = requests.post(
        base + "/api/v1/developer/apps",
        json={"name": "Birdwatch", "redirectUris": [CALLBACK], "scopes": ["read", "write", "follow"],
              "website": "https://birdwatch.example"},
        headers={"Authorization": f"Bearer {developer_token}"},
        timeout=10,
    )  # fmt: skip
    assert registered.status_code == 201, registered.text
    app = registered.json()

    session = OAuth2Session(
        app["clientId"], app["clientSecret"], scope="read write", redirect_uri=CALLBACK,
        code_challenge_method="S256", token_endpoint_auth_method="client_secret_post",
    )  # fmt: skip
    verifier = generate_token(64)
    authorize_url, state = session.create_authorization_url(base + "/oauth/authorize", code_verifier=verifier)
    assert "code_challenge=" in authorize_url and state

    # 2. The person's browser: log in, then the consent page.
    page.route(re.compile(r"^http://127\.0\.0\.1:9999/callback"), lambda route: route.fulfill(body="Birdwatch says hi"))
    page.goto(authorize_url)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username or email").fill("reader")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_test_id("app-name")).to_have_text("Birdwatch")
    expect(page.get_by_test_id("app-website")).to_have_text("https://birdwatch.example")
    scopes = page.get_by_test_id("consent-scopes")
    expect(scopes).to_contain_text("Read everything your account can see")
    expect(scopes).to_contain_text("Change anything on your account")
    shoot(page, "oauth-consent")
    _shoot_390(page, "oauth-consent")
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:9999/callback\?"))
    assert f"state={state}" in page.url

    # 3. The app exchanges the code (with its PKCE verifier) and calls the API.
    token = session.fetch_token(base + "/oauth/token", authorization_response=page.url, code_verifier=verifier)
    assert token["token_type"] == "Bearer" and token["refresh_token"]
    assert set(token["scope"].split()) == {"read", "write"}
    home = session.get(base + "/api/v1/timeline/home", timeout=10)
    assert home.status_code == 200, home.text

    # 4. It refreshes: a new pair, and the new access token works.
    first_refresh = token["refresh_token"]
    fresh = session.refresh_token(base + "/oauth/token")
    assert fresh["refresh_token"] != first_refresh
    assert session.get(base + "/api/v1/timeline/home", timeout=10).status_code == 200

    # 5. The person sees it under Connected apps and removes it: the app's token stops at once.
    page.goto(base + "/settings/developer")
    connected = page.get_by_test_id("connected-apps")
    expect(connected).to_contain_text("Birdwatch")
    expect(connected).to_contain_text("last used")
    assert_controls_labelled(page)
    shoot(page, "oauth-developer-apps")
    _shoot_390(page, "oauth-developer-apps")
    connected.get_by_role("button", name=re.compile("Remove access")).click()
    expect(page.get_by_test_id("connected-apps")).to_contain_text("No apps have access")
    after = session.get(base + "/api/v1/timeline/home", timeout=10)
    assert after.status_code == 401
    assert after.headers["WWW-Authenticate"].startswith("Bearer")
    assert console_errors == []


def test_developer_registers_an_app_on_the_settings_page(page, live_server_url, sign_in, shoot):
    developer = UserFactory(username="devon")
    sign_in(page.context, developer)
    page.goto(live_server_url + "/settings/developer")
    page.get_by_label("Name").fill("My Reader")
    page.get_by_label("Website").fill("https://reader.example")
    page.get_by_label("Redirect URIs").fill("https://reader.example/callback")
    page.get_by_role("button", name="Register app").click()
    expect(page.get_by_test_id("client-secret")).to_be_visible()
    expect(page.get_by_test_id("developer-apps")).to_contain_text("My Reader")
    shoot(page, "oauth-developer-app-registered")
