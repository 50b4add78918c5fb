"""Mastodon's endpoints have their own OpenAPI document; Chirp's keeps only Chirp's contract."""

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def schema(client, path):
    answer = client.get(path, HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    return answer.json()


def test_the_mastodon_document_lists_each_path_with_its_scope_and_errors(client):
    document = schema(client, "/api/v1/schema/mastodon/")
    validate_schema(document)
    paths = document["paths"]
    for expected in ("/api/v1/statuses", "/api/v1/timelines/home", "/api/v2/notifications", "/api/v1/apps",
                     "/api/v2/instance", "/api/v1/accounts/{account_id}/follow"):  # fmt: skip
        assert expected in paths, expected
    post = paths["/api/v1/statuses"]["post"]
    assert {"oauth2": ["write:statuses"]} in post["security"] and post["tags"] == ["mastodon"]
    assert set(post["responses"]) >= {"200", "401", "403", "422"}
    error = {"$ref": "#/components/schemas/MastodonError"}
    assert (
        paths["/api/v1/statuses/{status_id}"]["get"]["responses"]["404"]["content"]["application/json"]["schema"]
        == error
    )
    favourite = paths["/api/v1/statuses/{status_id}/favourite"]["post"]
    assert {"oauth2": ["write:favourites"]} in favourite["security"]
    ids = [op["operationId"] for ops in paths.values() for op in ops.values()]
    assert len(ids) == len(set(ids))


def test_chirps_document_has_no_mastodon_path(client):
    paths = schema(client, "/api/v1/schema/")["paths"]
    assert "/api/v1/statuses" not in paths and "/api/v2/instance" not in paths
    assert "/api/v1/notifications" in paths and "notifications" in paths["/api/v1/notifications"]["get"]["tags"]


def test_mastodon_py_slash_aliases_are_in_mastodons_document_only(client):
    """/api/v1/conversations/ and /api/v1/reports/ are Mastodon.py's spelling, dispatched by token, not Chirp's API."""
    chirp = schema(client, "/api/v1/schema/")["paths"]
    mastodon = schema(client, "/api/v1/schema/mastodon/")["paths"]
    for alias in ("/api/v1/conversations/", "/api/v1/reports/"):
        assert alias not in chirp and alias in mastodon, alias
    assert "/api/v1/conversations" in chirp
