"""The OAuth 2 provider's grants: authorization code with PKCE, refresh (rotated), client credentials; revoke,
introspect and the server metadata."""

import base64

import pytest
from django.test import Client
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from accounts.models import SecurityEvent
from tests.accounts.oauth_helpers import (
    REDIRECT,
    api_get,
    approve,
    exchange,
    make_app,
    pkce,
    refresh,
    token_post,
    tokens_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(other_user):
    return make_app(other_user)


def test_code_with_pkce_gives_tokens_that_work_on_the_api(client_logged_in, user, app, api_client):
    tokens = tokens_for(client_logged_in, app, scope="read write")
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 7200
    assert set(tokens["scope"].split()) == {"read", "write"}
    assert tokens["access_token"].startswith("chirp_oat_")
    answer = api_get(api_client, tokens["access_token"])
    assert answer.status_code == 200
    # Stored as their SHA-256 only: the raw token is nowhere in the database.
    stored = get_access_token_model().objects.get(user=user)
    assert stored.token == "" and len(stored.token_checksum) == 64
    assert get_refresh_token_model().objects.get(user=user).token == ""
    # The approval is in the person's security log.
    event = SecurityEvent.objects.get(user=user, kind=SecurityEvent.Kind.APP_APPROVED)
    assert "Test App" in event.detail


def test_consent_page_names_the_app_its_website_and_each_scope(client_logged_in, app):
    _verifier, challenge = pkce()
    page = client_logged_in.get(
        "/oauth/authorize",
        {"response_type": "code", "client_id": app.client_id, "redirect_uri": REDIRECT, "scope": "read follow",
         "state": "x", "code_challenge": challenge, "code_challenge_method": "S256"},
    )  # fmt: skip
    text = page.content.decode()
    # The answer redirects to the app: this page's form-action allows the app's origin (and no other).
    assert "form-action 'self' https://app.example;" in page["Content-Security-Policy"]
    assert "Test App" in text and "https://app.example" in text
    assert "Read everything your account can see" in text
    assert "See and change whom you follow, block and mute" in text


def test_consent_needs_a_login_first(client, app):
    _verifier, challenge = pkce()
    answer = client.get("/oauth/authorize", {"response_type": "code", "client_id": app.client_id, "state": "x",
                                             "redirect_uri": REDIRECT, "code_challenge": challenge,
                                             "code_challenge_method": "S256"})  # fmt: skip
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_deny_redirects_with_access_denied_and_makes_no_token(client_logged_in, user, app):
    _verifier, challenge = pkce()
    params = {"response_type": "code", "client_id": app.client_id, "redirect_uri": REDIRECT, "scope": "read",
              "state": "s", "code_challenge": challenge, "code_challenge_method": "S256"}  # fmt: skip
    answer = client_logged_in.post("/oauth/authorize", params)
    assert answer.status_code == 302 and "error=access_denied" in answer["Location"]
    assert not get_access_token_model().objects.filter(user=user).exists()
    assert not SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.APP_APPROVED).exists()


def test_confidential_client_may_skip_pkce_with_its_secret(client_logged_in, app):
    code = approve(client_logged_in, app, None)
    assert exchange(client_logged_in, app, code).status_code == 200


def test_refresh_rotates_the_refresh_token(client_logged_in, app, api_client):
    tokens = tokens_for(client_logged_in, app)
    answer = refresh(client_logged_in, app, tokens["refresh_token"])
    assert answer.status_code == 200
    fresh = answer.json()
    assert fresh["refresh_token"] != tokens["refresh_token"]
    assert api_get(api_client, fresh["access_token"]).status_code == 200
    assert api_get(api_client, tokens["access_token"]).status_code == 401  # the old access token went with it


def test_reused_refresh_token_revokes_the_whole_family(client_logged_in, app, api_client):
    tokens = tokens_for(client_logged_in, app)
    fresh = refresh(client_logged_in, app, tokens["refresh_token"]).json()
    again = refresh(client_logged_in, app, tokens["refresh_token"])  # stolen and replayed
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert api_get(api_client, fresh["access_token"]).status_code == 401
    assert refresh(client_logged_in, app, fresh["refresh_token"]).status_code == 400


def test_client_credentials_give_an_app_only_read_token(app, api_client):
    client = Client()
    answer = token_post(client, grant_type="client_credentials", client_id=app.client_id,
                        client_secret=app.raw_secret, scope="read")  # fmt: skip
    assert answer.status_code == 200
    assert answer.json()["scope"] == "read"
    assert "refresh_token" not in answer.json()
    token = get_access_token_model().objects.get(application=app)
    assert token.user is None
    answer = api_get(api_client, answer.json()["access_token"], "/api/v1/users/alice")
    assert answer.status_code in (200, 404)  # public data readable (alice may not exist here)


def test_client_credentials_refuse_write_scopes_and_public_clients(other_user):
    app = make_app(other_user)
    client = Client()
    answer = token_post(client, grant_type="client_credentials", client_id=app.client_id,
                        client_secret=app.raw_secret, scope="write")  # fmt: skip
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_scope"
    public = make_app(other_user, client_type="public")
    answer = token_post(client, grant_type="client_credentials", client_id=public.client_id, scope="read")
    assert answer.status_code in (400, 401)
    assert not get_access_token_model().objects.exists()


def test_password_and_implicit_grants_are_refused(client_logged_in, user, app):
    answer = token_post(Client(), grant_type="password", username="alice", password="x",
                        client_id=app.client_id, client_secret=app.raw_secret)  # fmt: skip
    assert answer.status_code in (400, 401)
    page = client_logged_in.get("/oauth/authorize", {"response_type": "token", "client_id": app.client_id,
                                                     "redirect_uri": REDIRECT, "state": "s"})  # fmt: skip
    assert page.status_code in (302, 400)
    if page.status_code == 302:
        assert "error=" in page["Location"] and "access_token" not in page["Location"]
    assert not get_access_token_model().objects.exists()


def test_revoke_endpoint_stops_the_token(client_logged_in, app, api_client):
    tokens = tokens_for(client_logged_in, app)
    answer = Client().post("/oauth/revoke", {"token": tokens["access_token"], "client_id": app.client_id,
                                             "client_secret": app.raw_secret})  # fmt: skip
    assert answer.status_code == 200
    after = api_get(api_client, tokens["access_token"])
    assert after.status_code == 401
    assert after["WWW-Authenticate"].startswith("Bearer")


def _basic(app) -> str:
    return "Basic " + base64.b64encode(f"{app.client_id}:{app.raw_secret}".encode()).decode()


def test_introspect_answers_the_owning_app_only(client_logged_in, app, other_user):
    tokens = tokens_for(client_logged_in, app)
    client = Client()
    mine = client.post("/oauth/introspect", {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=_basic(app))
    assert mine.status_code == 200
    body = mine.json()
    assert body["active"] is True and body["client_id"] == app.client_id and body["scope"] == "read"
    stranger = make_app(other_user)
    theirs = client.post("/oauth/introspect", {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=_basic(stranger))
    assert theirs.json() == {"active": False}
    anonymous = client.post("/oauth/introspect", {"token": tokens["access_token"]})
    assert anonymous.status_code == 401 and "active" not in anonymous.json()


def test_server_metadata(client):
    data = client.get("/.well-known/oauth-authorization-server").json()
    base = "http://testserver"
    assert data["authorization_endpoint"] == base + "/oauth/authorize"
    assert data["token_endpoint"] == base + "/oauth/token"
    assert data["revocation_endpoint"] == base + "/oauth/revoke"
    assert data["introspection_endpoint"] == base + "/oauth/introspect"
    assert data["code_challenge_methods_supported"] == ["S256"]
    assert data["authorization_response_iss_parameter_supported"] is True
    assert data["response_types_supported"] == ["code"]
    assert set(data["grant_types_supported"]) == {"authorization_code", "refresh_token", "client_credentials"}
    assert {"read", "write", "follow", "push", "read:statuses", "write:media"} <= set(data["scopes_supported"])
