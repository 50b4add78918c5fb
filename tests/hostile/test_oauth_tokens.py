"""Odd bearer values: each answers 401 (never 500, never someone's account)."""

import pytest

from tests.factories import UserFactory
from tests.oauth.tokens import bearer, make_token, token_row

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value",
    ["x" * 10_000, "é" * 30, "' OR 1=1 --", "%00%ff", "a" * 63, "A" * 64, "0" * 64, "read", "Bearer"],
)
def test_odd_bearer_values_get_401(value):
    response = bearer(value).get("/api/v1/timeline/home")
    assert response.status_code == 401
    assert response.json()["error"].startswith("Invalid token")


def test_a_tokens_stored_checksum_is_not_a_token():
    token = make_token(UserFactory(), "read")
    checksum = token_row(token).token_checksum  # 64 hex characters: knox-shaped too
    assert bearer(checksum).get("/api/v1/timeline/home").status_code == 401


def test_a_header_with_two_values_is_refused():
    token = make_token(UserFactory(), "read")
    client = bearer(f"{token} {token}")
    assert client.get("/api/v1/timeline/home").status_code == 401
