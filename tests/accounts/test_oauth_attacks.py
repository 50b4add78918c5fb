"""Attacks on the OAuth 2 provider: each is refused, changes nothing and leaks nothing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from tests.accounts.oauth_helpers import (
    api_get,
    approve,
    authorize_params,
    exchange,
    make_app,
    pkce,
    refresh,
    tokens_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(other_user):
    return make_app(other_user)


@pytest.fixture
def public_app(other_user):
    return make_app(other_user, client_type="public")


def test_unregistered_redirect_uri_is_an_error_page_never_a_redirect(client_logged_in, app):
    _verifier, challenge = pkce()
    params = authorize_params(app, challenge, redirect_uri="https://evil.example/steal")
    page = client_logged_in.get("/oauth/authorize", params)
    assert page.status_code == 400
    assert not page.has_header("Location")
    assert "evil.example" not in page.get("Location", "")
    posted = client_logged_in.post("/oauth/authorize", {**params, "allow": "Authorize"})
    assert posted.status_code == 400 and not posted.has_header("Location")


def test_missing_state_is_refused_on_a_page_without_redirecting(client_logged_in, app, user):
    _verifier, challenge = pkce()
    params = authorize_params(app, challenge, state=None)
    page = client_logged_in.get("/oauth/authorize", params)
    assert page.status_code == 400 and not page.has_header("Location")
    assert "state" in page.content.decode()
    posted = client_logged_in.post("/oauth/authorize", {**params, "allow": "Authorize"})
    assert posted.status_code == 400 and not posted.has_header("Location")


def test_code_used_twice_is_refused_and_its_tokens_revoked(client_logged_in, app, api_client):
    verifier, challenge = pkce()
    code = approve(client_logged_in, app, challenge)
    first = exchange(client_logged_in, app, code, verifier)
    assert first.status_code == 200
    tokens = first.json()
    second = exchange(client_logged_in, app, code, verifier)
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"
    assert "access_token" not in second.json()
    assert api_get(api_client, tokens["access_token"]).status_code == 401
    assert refresh(client_logged_in, app, tokens["refresh_token"]).status_code == 400


def test_pkce_verifier_that_does_not_match(client_logged_in, public_app):
    _verifier, challenge = pkce()
    code = approve(client_logged_in, public_app, challenge)
    wrong, _ = pkce()
    answer = exchange(client_logged_in, public_app, code, wrong)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    assert not get_access_token_model().objects.exists()


def test_public_client_without_pkce_is_refused(client_logged_in, public_app):
    params = authorize_params(public_app, None)
    page = client_logged_in.get("/oauth/authorize", params)
    assert page.status_code == 302 and "error=invalid_request" in page["Location"]
    assert "code=" not in page["Location"]


def test_plain_pkce_is_refused(client_logged_in, public_app):
    verifier, _challenge = pkce()
    params = authorize_params(public_app, verifier, method="plain")
    page = client_logged_in.get("/oauth/authorize", params)
    assert page.status_code == 400 and not page.has_header("Location")
    posted = client_logged_in.post("/oauth/authorize", {**params, "allow": "Authorize"})
    assert posted.status_code == 400 and not posted.has_header("Location")
    no_method = authorize_params(public_app, verifier)
    del no_method["code_challenge_method"]  # RFC 7636: no method means plain
    assert client_logged_in.get("/oauth/authorize", no_method).status_code == 400


def test_revoked_token_gets_401_with_www_authenticate(client_logged_in, app, api_client, user):
    tokens = tokens_for(client_logged_in, app)
    Client().post("/oauth/revoke", {"token": tokens["access_token"], "client_id": app.client_id,
                                    "client_secret": app.raw_secret})  # fmt: skip
    answer = api_get(api_client, tokens["access_token"])
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert answer.json()["error"]


def test_expired_token_gets_401_with_www_authenticate(client_logged_in, app, api_client):
    tokens = tokens_for(client_logged_in, app)
    get_access_token_model().objects.update(expires=timezone.now() - timedelta(seconds=1))
    answer = api_get(api_client, tokens["access_token"])
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer["WWW-Authenticate"]


def test_scope_escalation_on_refresh_is_refused(client_logged_in, app):
    tokens = tokens_for(client_logged_in, app, scope="read")
    answer = refresh(client_logged_in, app, tokens["refresh_token"], scope="read write")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_scope"
    assert get_access_token_model().objects.get().scope == "read"


def test_scope_the_app_did_not_register_is_refused(client_logged_in, other_user):
    narrow = make_app(other_user, scopes=("read:statuses",))
    _verifier, challenge = pkce()
    page = client_logged_in.get("/oauth/authorize", authorize_params(narrow, challenge, scope="write"))
    assert page.status_code == 302 and "error=invalid_scope" in page["Location"]


def test_another_apps_secret_does_not_exchange_a_code(client_logged_in, app, other_user):
    verifier, challenge = pkce()
    code = approve(client_logged_in, app, challenge)
    thief = make_app(other_user)
    answer = exchange(client_logged_in, thief, code, verifier)
    assert answer.status_code in (400, 401)
    assert not get_access_token_model().objects.exists()


def test_token_in_the_query_string_is_not_accepted(client_logged_in, app, api_client):
    tokens = tokens_for(client_logged_in, app)
    answer = api_client.get("/api/v1/timeline/home", {"access_token": tokens["access_token"]})
    assert answer.status_code == 401
