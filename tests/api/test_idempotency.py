import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "dee@example.com", "username": "dee", "password": "a-long-unusual-passphrase", "name": "Dee"}


def test_same_key_twice_gives_one_object_and_the_same_answer(api_client):
    first = api_client.post("/api/v1/signup", SIGNUP, format="json", HTTP_IDEMPOTENCY_KEY="key-123")
    second = api_client.post("/api/v1/signup", SIGNUP, format="json", HTTP_IDEMPOTENCY_KEY="key-123")
    assert first.status_code == second.status_code == 201
    # The same answer, but for the token: it is never stored, so a replay gets a new one (see test_signup_api_secrets).
    assert {**first.json(), "token": None} == {**second.json(), "token": None}
    assert User.objects.filter(username="dee").count() == 1


def test_without_a_key_a_retry_is_a_new_request(api_client):
    api_client.post("/api/v1/signup", SIGNUP, format="json")
    again = api_client.post("/api/v1/signup", SIGNUP, format="json")
    assert again.status_code == 409  # the username is now taken
    assert User.objects.count() == 1


def test_same_key_with_a_different_body_is_a_conflict(api_client):
    api_client.post("/api/v1/signup", SIGNUP, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    other = {**SIGNUP, "username": "dee2", "email": "dee2@example.com"}
    response = api_client.post("/api/v1/signup", other, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert response.status_code == 409
    assert "different request" in response.json()["error"]
    assert not User.objects.filter(username="dee2").exists()


def test_a_failed_attempt_is_not_remembered(api_client):
    bad = api_client.post("/api/v1/signup", {**SIGNUP, "password": "short"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert bad.status_code == 400
    # Nothing was stored for the failure, so the corrected retry under the same key runs.
    fixed = api_client.post("/api/v1/signup", SIGNUP, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert fixed.status_code == 201
    assert User.objects.filter(username="dee").count() == 1


def test_overlong_key_is_refused(api_client):
    response = api_client.post("/api/v1/signup", SIGNUP, format="json", HTTP_IDEMPOTENCY_KEY="k" * 256)
    assert response.status_code == 400
    assert not User.objects.exists()
