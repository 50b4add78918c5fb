import pytest

pytestmark = pytest.mark.django_db


def test_signup_is_throttled_per_ip_with_retry_after(api_client):
    # The default scope allows 20 sign-up attempts an hour from one address.
    for _ in range(20):
        assert api_client.post("/api/v1/signup", {}, format="json").status_code == 400
    response = api_client.post("/api/v1/signup", {}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "throttled" in response.json()["error"].lower()


def test_another_address_is_not_throttled(api_client):
    for _ in range(21):
        api_client.post("/api/v1/signup", {}, format="json")
    response = api_client.post("/api/v1/signup", {}, format="json", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 400
