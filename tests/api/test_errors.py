"""Every API error has the body {"error": message[, "fields": {...}]} and the right status."""

import pytest

pytestmark = pytest.mark.django_db


def assert_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    assert set(body) <= {"error", "fields"}
    return body


def test_400_validation_has_fields(api_client):
    body = assert_error(api_client.post("/api/v1/signup", {"email": "x"}, format="json"), 400)
    assert body["fields"]["username"] == ["This field is required."]


def test_400_malformed_json(api_client):
    response = api_client.post("/api/v1/signup", data='{"email": "a@b.c", ', content_type="application/json")
    body = assert_error(response, 400)
    assert "JSON" in body["error"]


def test_400_bad_pagination_parameters_are_named():
    # The shared cursor parser, as every list endpoint uses it.
    from rest_framework.exceptions import ValidationError

    from config.kernel.api.pagination import PageRequest

    for query in ({"limit": "0"}, {"limit": "101"}, {"limit": "ten"}, {"cursor": "abc"}, {"cursor": "-5"}):
        with pytest.raises(ValidationError):
            PageRequest.from_query(query)
    assert PageRequest.from_query({}) == PageRequest(cursor=None, limit=20)
    assert PageRequest.from_query({"cursor": "123", "limit": "100"}) == PageRequest(cursor=123, limit=100)


def test_401_without_credentials(api_client, user):
    response = api_client.patch("/api/v1/users/alice", {"name": "x"}, format="json")
    body = assert_error(response, 401)
    assert body == {"error": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"] == "Bearer"


def test_401_bad_token(api_client, user):
    response = api_client.get("/api/v1/users/alice", HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert assert_error(response, 401) == {"error": "Invalid token."}


def test_403_not_yours(user_api, other_user):
    assert_error(user_api.patch("/api/v1/users/bob", {"name": "x"}, format="json"), 403)


def test_404_unknown_user(api_client, db):
    assert assert_error(api_client.get("/api/v1/users/nobody"), 404) == {"error": "No such user."}


def test_404_unknown_endpoint_is_json(api_client, db):
    assert_error(api_client.get("/api/v1/no-such-endpoint"), 404)


def test_405_wrong_method(api_client, user_api):
    body = assert_error(user_api.delete("/api/v1/users/alice"), 405)
    assert body == {"error": 'Method "DELETE" not allowed.'}
    assert_error(api_client.get("/api/v1/signup"), 405)


def test_ids_are_strings(api_client, user):
    body = api_client.get("/api/v1/users/alice").json()
    assert body["user"]["id"] == str(user.pk)


def test_session_auth_needs_csrf(client, user):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    response = csrf_client.patch("/api/v1/users/alice", data='{"name": "x"}', content_type="application/json")
    assert_error(response, 403)
