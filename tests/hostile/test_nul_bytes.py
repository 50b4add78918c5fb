"""NUL bytes anywhere in a request answer 400, on every route, never 500 (PostgreSQL can't hold them)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.hostile import NUL_TEXTS

pytestmark = pytest.mark.django_db


def routes(resolver=None, prefix="") -> list[str]:
    """Every URL pattern as a path, its parameters filled in (text ones with a NUL)."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            path = re.sub(r"<int:\w+>", "1", route)
            path = re.sub(r"<(str:|slug:|path:)?\w+>", "a%00b", path)
            path = re.sub(r"[\^$]|\(\?P<\w+>[^)]*\)|\\.", "", path)  # regex routes (media, admin)
            found.append("/" + path.lstrip("/"))
    return sorted(set(found))


QUERY = "?q=a%00b&cursor=a%00b&limit=1%00&tab=a%00b&filter=a%00b&type=a%00b&next=%2F%00&since=1%00"


def test_a_nul_in_any_path_or_query_is_400(client_logged_in, client):
    checked = 0
    for path in routes():
        for browser in (client, client_logged_in):
            answer = browser.get(path + QUERY)
            assert answer.status_code == 400, (path, answer.status_code)
            checked += 1
    assert checked > 200  # the resolver really was walked


@pytest.mark.parametrize("text", NUL_TEXTS)
def test_a_nul_in_a_json_or_form_body_is_400_and_writes_nothing(user_api, client_logged_in, user, text):
    from tweets.models import Tweet

    assert user_api.post("/api/v1/tweets", {"text": text}, format="json").status_code == 400
    assert user_api.patch("/api/v1/users/alice", {"bio": text}, format="json").status_code == 400
    assert client_logged_in.post("/compose", {"text": text}).status_code == 400
    assert client_logged_in.get("/search", {"q": text}).status_code == 400
    assert not Tweet.objects.exists()


def test_an_escaped_backslash_before_u0000_is_just_text(user_api):
    answer = user_api.post("/api/v1/tweets", {"text": "a path like C:\\u0000 is fine"}, format="json")
    assert answer.status_code == 201
