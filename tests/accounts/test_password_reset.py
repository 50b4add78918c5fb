import re

import pytest
from django.core import mail

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def reset_code_from_email() -> str:
    (message,) = mail.outbox
    return re.search(r"reset code instead: (\S+)", message.body).group(1)


def test_api_reset_flow_changes_password_and_revokes_tokens(api_client, user, token_for):
    old_token = token_for(user)
    response = api_client.post("/api/v1/password-reset/request", {"email": "ALICE@example.com"}, format="json")
    assert response.status_code == 200
    assert "message" in response.json()
    code = reset_code_from_email()

    response = api_client.post(
        "/api/v1/password-reset/confirm", {"token": code, "newPassword": "a-brand-new-passphrase"}, format="json"
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")
    assert api_client.get("/api/v1/users/alice", HTTP_AUTHORIZATION=f"Bearer {old_token}").status_code == 401
    login = api_client.post("/api/v1/login", {"username": "alice", "password": "a-brand-new-passphrase"}, format="json")
    assert login.status_code == 200


def test_unknown_email_gets_the_same_answer_and_no_mail(api_client, user):
    known = api_client.post("/api/v1/password-reset/request", {"email": "alice@example.com"}, format="json")
    mail.outbox.clear()
    unknown = api_client.post("/api/v1/password-reset/request", {"email": "nobody@example.com"}, format="json")
    assert unknown.status_code == known.status_code == 200
    assert unknown.json() == known.json()
    assert not any("reset code" in m.body for m in mail.outbox)  # no usable link for an unknown address


def test_malformed_email_is_400(api_client, db):
    response = api_client.post("/api/v1/password-reset/request", {"email": "nope"}, format="json")
    assert response.status_code == 400
    assert "email" in response.json()["fields"]


def test_bad_token_is_403_and_changes_nothing(api_client, user):
    response = api_client.post(
        "/api/v1/password-reset/confirm", {"token": "2-abc-def", "newPassword": "a-brand-new-passphrase"}, format="json"
    )
    assert response.status_code == 403  # a well-formed code that opens nothing
    assert "token" in response.json()["fields"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_weak_new_password_is_400(api_client, user):
    api_client.post("/api/v1/password-reset/request", {"email": "alice@example.com"}, format="json")
    code = reset_code_from_email()
    response = api_client.post(
        "/api/v1/password-reset/confirm", {"token": code, "newPassword": "password"}, format="json"
    )
    assert response.status_code == 400
    assert "newPassword" in response.json()["fields"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_page_reset_flow(client, user):
    response = client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert response.status_code == 302
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")
