"""Each endpoint group needs its scope from an OAuth token; first-party tokens and sessions need none."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from config.kernel.api.endpoint_scopes import CLOSED, ENDPOINT_SCOPES, OPEN, SAFE_METHODS, scope_needed, view_key
from config.kernel.api.oauth_scopes import SCOPES, covers
from tests.factories import UserFactory
from tests.oauth.tokens import bearer, make_app, make_token, token_row
from tests.tweets.helpers import post
from tweets.models import Tweet

pytestmark = pytest.mark.django_db

# (method, path, body, the scope it needs); {me}, {other} and {tweet} are filled in.
CASES = [
    ("GET", "/api/v1/users/{other}", None, "read:accounts"),
    ("PATCH", "/api/v1/users/{me}", {"bio": "hello"}, "write:accounts"),
    ("GET", "/api/v1/account/privacy", None, "read:accounts"),
    ("GET", "/api/v1/users/{other}/followers", None, "read:follows"),
    ("GET", "/api/v1/follow-requests", None, "read:follows"),
    ("POST", "/api/v1/users/{other}/follow", None, "write:follows"),
    ("POST", "/api/v1/users/{other}/block", None, "write:blocks"),
    ("POST", "/api/v1/users/{other}/mute", None, "write:mutes"),
    ("POST", "/api/v1/tweets/{tweet}/mute", None, "write:mutes"),
    ("POST", "/api/v1/media/upload", {}, "write:media"),
    ("POST", "/api/v1/tweets", {"text": "from an app"}, "write:statuses"),
    ("GET", "/api/v1/tweets/{tweet}", None, "read:statuses"),
    ("POST", "/api/v1/tweets/{tweet}/like", None, "write:favourites"),
    ("GET", "/api/v1/timeline/home", None, "read:statuses"),
    ("GET", "/api/v1/timeline/user/{other}", None, "read:statuses"),
    ("GET", "/api/v1/drafts", None, "read:statuses"),
    ("GET", "/api/v1/bookmarks", None, "read:bookmarks"),
    ("POST", "/api/v1/tweets/{tweet}/bookmark", None, "write:bookmarks"),
    ("GET", "/api/v1/lists", None, "read:lists"),
    ("POST", "/api/v1/lists", {"name": "birds"}, "write:lists"),
    ("GET", "/api/v1/notifications", None, "read:notifications"),
    ("POST", "/api/v1/notifications/read-all", None, "write:notifications"),
    ("GET", "/api/v1/account/notification-settings", None, "read:notifications"),
    ("GET", "/api/v1/search?q=bird", None, "read:search"),
    ("GET", "/api/v1/trends", None, "read:search"),
    ("GET", "/api/v1/conversations", None, "read:messages"),
    ("POST", "/api/v1/messages", {}, "write:messages"),
    ("GET", "/api/v1/filters", None, "read:filters"),
    ("POST", "/api/v1/filters", {}, "write:filters"),
    ("POST", "/api/v1/reports", {}, "write:reports"),
    ("GET", "/api/v1/account/push-subscriptions", None, "push"),
]
CLOSED_TO_APPS = [
    ("POST", "/api/v1/logout", None),
    ("GET", "/api/v1/account/export", None),
    ("DELETE", "/api/v1/account", {"password": "whatever"}),
]
EVERYTHING = "read write follow push"


@pytest.fixture
def people(db):
    me, other = UserFactory(), UserFactory()
    return me, other, post(other, "a public post")


def call(client: APIClient, method: str, path: str, body, people):
    me, other, tweet = people
    url = path.format(me=me.username, other=other.username, tweet=tweet.pk)
    return (
        getattr(client, method.lower())(url, body, format="json")
        if body is not None
        else (getattr(client, method.lower())(url))
    )


def unrelated(needed: str) -> str:
    return "write:reports" if needed != "write:reports" else "read:search"


@pytest.mark.parametrize(("method", "path", "body", "needed"), CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_a_token_with_the_scope_passes_and_one_without_gets_403_naming_it(method, path, body, needed, people):
    me = people[0]
    allowed = call(bearer(make_token(me, needed)), method, path, body, people)
    assert allowed.status_code not in (401, 403), allowed.content

    tweets_before = Tweet.objects.count()
    refused = call(bearer(make_token(me, unrelated(needed))), method, path, body, people)
    assert refused.status_code == 403
    assert refused.json() == {"error": f"This token lacks the scope {needed}."}
    assert Tweet.objects.count() == tweets_before  # refused before the view did anything


@pytest.mark.parametrize(
    ("granted", "method", "path", "body", "passes"),
    [
        ("read", "GET", "/api/v1/conversations", None, True),
        ("read", "POST", "/api/v1/tweets", {"text": "hi"}, False),
        ("write", "POST", "/api/v1/tweets", {"text": "hi"}, True),
        ("write", "GET", "/api/v1/timeline/home", None, False),
        ("follow", "POST", "/api/v1/users/{other}/block", None, True),
        ("follow", "GET", "/api/v1/users/{other}/following", None, True),
        ("follow", "POST", "/api/v1/tweets", {"text": "hi"}, False),
    ],
)
def test_the_broad_scopes_cover_their_families(granted, method, path, body, passes, people):
    response = call(bearer(make_token(people[0], granted)), method, path, body, people)
    assert (response.status_code != 403) is passes, response.content


def test_posting_with_the_scope_posts(people):
    me = people[0]
    response = bearer(make_token(me, "write:statuses")).post("/api/v1/tweets", {"text": "hi"}, format="json")
    assert response.status_code == 201
    assert Tweet.objects.filter(author=me, text="hi").exists()


@pytest.mark.parametrize(("method", "path", "body"), CLOSED_TO_APPS)
def test_the_accounts_own_keys_are_closed_to_apps_whatever_their_scopes(method, path, body, people):
    me = people[0]
    response = call(bearer(make_token(me, EVERYTHING)), method, path, body, people)
    assert response.status_code == 403
    assert "Apps can't use this endpoint" in response.json()["error"]
    me.refresh_from_db()
    assert me.is_active


def test_first_party_tokens_and_sessions_keep_full_access(people, api_as, client):
    me = people[0]
    knox = api_as(me)
    assert knox.post("/api/v1/tweets", {"text": "first party"}, format="json").status_code == 201
    assert knox.get("/api/v1/conversations").status_code == 200
    assert knox.get("/api/v1/account/export").status_code != 403
    client.force_login(me)
    assert client.get("/api/v1/conversations").status_code == 200


def test_client_credentials_tokens_read_public_data_only(people):
    _, other, tweet = people
    app_only = bearer(make_token(None, "read write", app=make_app()))
    assert app_only.get(f"/api/v1/users/{other.username}").status_code == 200
    assert app_only.get(f"/api/v1/timeline/user/{other.username}").status_code == 200
    assert app_only.get(f"/api/v1/tweets/{tweet.pk}").status_code == 200
    for private in ("/api/v1/timeline/home", "/api/v1/conversations", "/api/v1/notifications"):
        assert app_only.get(private).status_code in (401, 403), private
    refused = app_only.post("/api/v1/tweets", {"text": "nobody's"}, format="json")
    assert refused.status_code == 403
    assert "acts for no one" in refused.json()["error"]
    assert app_only.post(f"/api/v1/users/{other.username}/follow").status_code == 403


def test_a_bad_expired_or_revoked_oauth_token_gets_401_with_www_authenticate(people):
    from datetime import timedelta

    me = people[0]
    expired = make_token(me, "read", expires_in=timedelta(seconds=-1))
    revoked = make_token(me, "read")
    token_row(revoked).revoke()
    for token in (expired, revoked, "made-up-token", "f" * 64):
        response = bearer(token).get("/api/v1/timeline/home")
        assert response.status_code == 401, token
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["error"] == "Invalid token."


def test_a_deactivated_persons_oauth_token_stops_working(people):
    me = people[0]
    token = make_token(me, "read")
    me.is_active = False
    me.save(update_fields=["is_active"])
    assert bearer(token).get("/api/v1/timeline/home").status_code == 401


def test_an_anonymous_call_still_gets_401_with_www_authenticate(api_client):
    response = api_client.get("/api/v1/timeline/home")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


# --- the table covers every endpoint --------------------------------------------------------


def _api_views(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_views(entry, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/v1/"):
            view_class = getattr(entry.callback, "cls", None) or getattr(entry.callback, "view_class", None)
            if view_class is None and hasattr(entry.callback, "oauth_scopes"):
                continue  # Mastodon's streaming: async views that check their token's scope themselves
            yield route, view_class
            mastodon = getattr(entry.callback, "mastodon_view", None)  # a path both APIs share (mastodon/dispatch.py)
            if mastodon is not None:
                yield route, getattr(mastodon, "cls", None)


def _methods(view_class) -> list[str]:
    return [m.upper() for m in view_class.http_method_names if hasattr(view_class, m) and m not in ("options",)]


def test_every_api_view_has_a_scope_for_each_of_its_methods():
    views = list(_api_views(get_resolver()))
    assert len(views) > 60
    missing, unknown = [], []
    for route, view_class in views:
        assert view_class is not None, f"{route}: not a class-based view"
        # A view may declare its own `oauth_scopes` (the Mastodon API's do), else the table names it.
        entry = getattr(view_class, "oauth_scopes", None) or ENDPOINT_SCOPES.get(view_key(view_class))
        if entry is None:
            missing.append(f"{route} ({view_key(view_class)})")
            continue
        for method in _methods(view_class):
            needed = scope_needed(view_class, method)
            if needed == CLOSED and isinstance(entry, dict):
                missing.append(f"{method} {route}")
            elif needed not in (OPEN, CLOSED) and needed not in SCOPES:
                unknown.append(f"{method} {route}: {needed}")
    assert not missing, f"views with no scope in config/kernel/api/endpoint_scopes.py: {missing}"
    assert not unknown, f"scopes not in config/kernel/api/oauth_scopes.py: {unknown}"


def test_the_table_names_no_view_that_is_gone():
    keys = {view_key(view_class) for _, view_class in _api_views(get_resolver())}
    assert set(ENDPOINT_SCOPES) - keys == set()


def test_covers():
    assert covers({"read"}, "read:messages") and not covers({"read"}, "write:messages")
    assert covers({"write"}, "write:media") and not covers({"write"}, "push")
    assert covers({"follow"}, "write:blocks") and covers({"follow"}, "read:follows")
    assert not covers({"follow"}, "read:statuses")
    assert covers({"push"}, "push") and not covers({"read:statuses"}, "read:messages")
    assert all(scope_needed(None, m) == CLOSED for m in SAFE_METHODS)


def test_the_schema_declares_oauth2_and_each_operations_scope(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    oauth2 = schema["components"]["securitySchemes"]["oauth2"]
    assert oauth2["type"] == "oauth2"
    assert oauth2["flows"]["authorizationCode"]["scopes"] == SCOPES
    paths = schema["paths"]
    assert {"oauth2": ["write:statuses"]} in paths["/api/v1/tweets"]["post"]["security"]
    assert {"oauth2": ["read:messages"]} in paths["/api/v1/conversations"]["get"]["security"]
    assert not any("oauth2" in s for s in paths["/api/v1/account"]["delete"]["security"])  # closed to apps
