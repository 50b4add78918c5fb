"""Sign-up over the API: no session for token clients, and no secret kept for idempotent replays."""

import pytest

from accounts.models import User
from config.kernel.models import IdempotencyKey

pytestmark = pytest.mark.django_db

BODY = {"email": "quinn@example.com", "username": "quinn_q", "password": "a-long-unusual-passphrase", "name": "Q"}


def test_signup_sets_no_session_cookie(api_client):
    response = api_client.post("/api/v1/signup", BODY, format="json")
    assert response.status_code == 201
    assert "sessionid" not in response.cookies


def test_an_idempotent_signup_stores_no_token_and_a_replay_gets_a_working_new_one(api_client):
    first = api_client.post("/api/v1/signup", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api_client.post("/api/v1/signup", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert User.objects.filter(username="quinn_q").count() == 1
    assert again.json()["userId"] == first.json()["userId"]
    record = IdempotencyKey.objects.get(key="k-1")
    stored = str(record.response_body) + record.request_hash
    assert first.json()["token"] not in stored and "token" not in record.response_body
    assert BODY["password"] not in stored
    for answer in (first, again):
        token = answer.json()["token"]
        assert api_client.get("/api/v1/timeline/home", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
