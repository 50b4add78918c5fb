"""GET /api/v1/instance: where live events are, and the limits, for anyone who asks."""

import pytest

pytestmark = pytest.mark.django_db


def test_anyone_learns_where_live_events_are_and_the_limits(api_client):
    response = api_client.get("/api/v1/instance")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Chirp" and body["apiVersion"]
    assert body["version"] == f"4.3.0 (compatible; Chirp {body['apiVersion']})"  # Mastodon's clients read this
    assert body["liveEventsUrl"] == "ws://testserver/ws/"  # no LIVE_EVENTS_URL: this host's /ws/
    assert body["limits"]["tweetLength"] == 280
    assert body["limits"]["tweetImages"] == 4
    assert body["limits"]["liveSocketsPerUser"] == 20


def test_the_stack_points_at_its_websocket_port(api_client, settings):
    settings.LIVE_EVENTS_URL = "ws://127.0.0.1:8001/ws/"
    assert api_client.get("/api/v1/instance").json()["liveEventsUrl"] == "ws://127.0.0.1:8001/ws/"


def test_over_https_the_socket_is_wss(api_client):
    assert api_client.get("/api/v1/instance", secure=True).json()["liveEventsUrl"] == "wss://testserver/ws/"


def test_a_bad_token_does_not_stop_discovery(api_client):
    response = api_client.get("/api/v1/instance", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 200


def test_it_is_in_the_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    answer = schema["paths"]["/api/v1/instance"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    instance = schema["components"]["schemas"][answer["$ref"].rsplit("/", 1)[1]]
    assert {"name", "version", "apiVersion", "liveEventsUrl", "limits", "uri", "configuration"} <= set(
        instance["properties"]
    )
