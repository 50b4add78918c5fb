"""Sign-up through the page and the API: what is accepted, what is refused, and why."""

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {"email": "carol@example.com", "username": "Carol_1", "password": "a-long-unusual-passphrase", "name": "Carol"}

# (field, bad value, a phrase the user is shown)
REJECTIONS = [
    ("username", "ALICE", "already exists"),  # taken, in another case
    ("username", "1carol", "start"),
    ("username", "carol smith", "letters, digits or underscores"),
    ("username", "carol-smith", "letters, digits or underscores"),
    ("username", "a_very_long_name16", "15"),
    ("username", "cárol", "letters, digits or underscores"),
    ("password", "password", "too common"),
    ("password", "12345678901", "entirely numeric"),
    ("password", "short", "too short"),
    ("email", "not-an-email", "valid email"),
    ("email", "ALICE@example.com", "already registered"),  # taken, in another case
]


@pytest.fixture
def existing(db):
    return UserFactory(username="alice", email="alice@example.com")


def page_data(**overrides):
    data = {"name": GOOD["name"], "email": GOOD["email"], "username": GOOD["username"], "password1": GOOD["password"]}
    data.update(overrides)
    return data


def test_page_signup_creates_account_and_logs_in(client):
    response = client.post("/accounts/signup/", page_data())
    assert response.status_code == 302
    user = User.objects.get(username="Carol_1")
    assert user.name == "Carol"
    assert user.email == "carol@example.com"
    assert user.password.startswith("argon2")
    assert client.get("/").context["user"] == user
    assert any("Confirm" in m.subject or "confirm" in m.body.lower() for m in mail.outbox)


@pytest.mark.parametrize(("field", "value", "message"), REJECTIONS)
def test_page_signup_rejections(client, existing, field, value, message):
    form_field = "password1" if field == "password" else field
    response = client.post("/accounts/signup/", page_data(**{form_field: value}))
    assert response.status_code == 200  # the form again, with the reason
    errors = " ".join(response.context["form"].errors[form_field])
    assert message in errors.lower()
    assert errors.split(".")[0] in response.content.decode()  # shown on the page
    assert User.objects.count() == 1


def test_api_signup_returns_token_and_profile(api_client):
    response = api_client.post("/api/v1/signup", GOOD, format="json")
    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(username="Carol_1")
    assert body["userId"] == str(user.pk)
    assert body["profile"]["username"] == "Carol_1"
    assert body["profile"]["name"] == "Carol"
    assert body["profile"]["id"] == str(user.pk)
    assert isinstance(body["token"], str) and len(body["token"]) >= 32
    me = api_client.get("/api/v1/users/Carol_1", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200


# A username or address someone has is a conflict (409); anything else is bad input (400).
TAKEN = {"already exists", "already registered"}


@pytest.mark.parametrize(("field", "value", "message"), REJECTIONS)
def test_api_signup_rejections(api_client, existing, field, value, message):
    response = api_client.post("/api/v1/signup", {**GOOD, field: value}, format="json")
    assert response.status_code == (409 if message in TAKEN else 400)
    body = response.json()
    assert set(body) == {"error", "fields"}
    assert field in body["fields"]
    assert any(message in text.lower() for text in body["fields"][field])
    assert User.objects.count() == 1


def test_api_signup_requires_fields(api_client):
    response = api_client.post("/api/v1/signup", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"email", "username", "password"}
    assert not User.objects.exists()


def test_display_name_is_limited_to_50(api_client):
    response = api_client.post("/api/v1/signup", {**GOOD, "name": "x" * 51}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["fields"]
    assert not User.objects.exists()


def test_usernames_are_unique_regardless_of_case_in_the_database(existing):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="aLiCe", email="other@example.com")
