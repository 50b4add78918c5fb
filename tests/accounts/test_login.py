"""Logging in and out, in pages and the API, and the life of bearer tokens."""

import pytest
from knox.models import AuthToken

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_page_login_by_username_any_case(client, user):
    response = client.post("/accounts/login/", {"login": "ALICE", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == user


def test_page_login_by_email(client, user):
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == user


def test_page_login_wrong_password_says_so(client, user):
    response = client.post("/accounts/login/", {"login": "alice", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated


def test_page_logout(client_logged_in):
    response = client_logged_in.post("/accounts/logout/")
    assert response.status_code == 302
    assert not client_logged_in.get("/").context["user"].is_authenticated


@pytest.mark.parametrize(
    "body", [{"username": "alice"}, {"username": "alice@example.com"}, {"email": "ALICE@example.com"}]
)
def test_api_login_returns_token_and_user(api_client, user, body):
    response = api_client.post("/api/v1/login", {**body, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["user"]["username"] == "alice"
    assert data["user"]["id"] == str(user.pk)
    assert AuthToken.objects.filter(user=user).count() == 1
    authed = api_client.patch(
        f"/api/v1/users/{user.pk}", {"bio": "hi"}, format="json", HTTP_AUTHORIZATION=f"Bearer {data['token']}"
    )
    assert authed.status_code == 200


def test_api_login_wrong_password_is_401(api_client, user):
    response = api_client.post("/api/v1/login", {"username": "alice", "password": "wrong-password"}, format="json")
    assert response.status_code == 401
    assert "not correct" in response.json()["error"]
    assert not AuthToken.objects.exists()


def test_api_login_needs_a_login(api_client, user):
    response = api_client.post("/api/v1/login", {"password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()["fields"]


def test_tokens_are_stored_hashed(token_for, user):
    token = token_for(user)
    stored = AuthToken.objects.get(user=user)
    assert token not in (stored.digest, stored.token_key)
    assert stored.digest != token and len(stored.digest) == 128


def test_logout_revokes_only_that_token(api_client, user):
    first = api_client.post("/api/v1/login", {"username": "alice", "password": PASSWORD}, format="json").json()["token"]
    second = api_client.post("/api/v1/login", {"username": "alice", "password": PASSWORD}, format="json").json()[
        "token"
    ]
    assert first != second

    response = api_client.post("/api/v1/logout", HTTP_AUTHORIZATION=f"Bearer {first}")
    assert response.status_code == 200
    assert response.json() == {"message": "Logged out."}

    revoked = api_client.patch("/api/v1/users/alice", {"bio": "x"}, format="json", HTTP_AUTHORIZATION=f"Bearer {first}")
    assert revoked.status_code == 401
    assert revoked.json() == {"error": "Invalid token."}
    still = api_client.patch("/api/v1/users/alice", {"bio": "x"}, format="json", HTTP_AUTHORIZATION=f"Bearer {second}")
    assert still.status_code == 200


def test_revoking_a_token_in_settings_signs_that_app_out(client_logged_in, api_client, user, token_for):
    token = token_for(user)
    page = client_logged_in.get("/settings/account")
    assert page.status_code == 200
    stored = AuthToken.objects.get(user=user)
    assert stored.token_key[:8] in page.content.decode()

    client_logged_in.post(f"/settings/account/tokens/{stored.digest}/revoke")
    response = api_client.get("/api/v1/users/alice", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401


def test_cannot_revoke_someone_elses_token(client_logged_in, other_user, token_for):
    token_for(other_user)
    theirs = AuthToken.objects.get(user=other_user)
    response = client_logged_in.post(f"/settings/account/tokens/{theirs.digest}/revoke")
    assert response.status_code == 404
    assert AuthToken.objects.filter(user=other_user).exists()


def test_settings_page_can_mint_a_token_shown_once(client_logged_in, api_client, user):
    client_logged_in.post("/settings/account/tokens")
    page = client_logged_in.get("/settings/account")
    token = page.context["new_token"]
    assert token and token in page.content.decode()
    assert api_client.get("/api/v1/users/alice", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert client_logged_in.get("/settings/account").context["new_token"] is None


def test_changing_password_revokes_api_tokens(client_logged_in, api_client, user, token_for):
    token = token_for(user)
    response = client_logged_in.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "another-long-passphrase", "password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    assert api_client.get("/api/v1/users/alice", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")


def test_inactive_account_cannot_log_in(api_client, user):
    user.is_active = False
    user.save()
    response = api_client.post("/api/v1/login", {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert response.json() == {"error": "This account is inactive."}
    assert not AuthToken.objects.exists()
