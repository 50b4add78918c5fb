"""Developers' apps (API and Settings → Developer apps) and a person's connected apps."""

import pytest
from oauth2_provider.models import get_access_token_model, get_application_model

from accounts import oauth
from tests.accounts.oauth_helpers import REDIRECT, api_get, make_app, refresh, tokens_for

pytestmark = pytest.mark.django_db

NEW_APP = {
    "name": "Birdwatch",
    "redirectUris": [REDIRECT],
    "scopes": ["read", "write:statuses"],
    "website": "https://birdwatch.example",
}


def test_register_an_app_through_the_api(user_api, user):
    answer = user_api.post("/api/v1/developer/apps", NEW_APP, format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["clientType"] == "confidential"
    assert body["clientId"] and len(body["clientSecret"]) > 40
    assert body["redirectUris"] == [REDIRECT] and body["scopes"] == ["read", "write:statuses"]
    app = get_application_model().objects.get(client_id=body["clientId"])
    assert app.client_secret != body["clientSecret"]  # only its hash is kept
    # The secret is shown once: listing and reading don't repeat it.
    listed = user_api.get("/api/v1/developer/apps").json()["apps"]
    assert [item["id"] for item in listed] == [body["id"]] and "clientSecret" not in listed[0]
    one = user_api.get(f"/api/v1/developer/apps/{body['id']}").json()
    assert one["name"] == "Birdwatch" and "clientSecret" not in one


def test_register_a_public_client(user_api):
    answer = user_api.post("/api/v1/developer/apps", {**NEW_APP, "clientType": "public"}, format="json")
    assert answer.status_code == 201
    assert answer.json()["clientSecret"] is None and answer.json()["clientType"] == "public"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"scopes": ["read", "admin:everything"]}, "scopes"),
        ({"scopes": []}, "scopes"),
        ({"redirectUris": []}, "redirectUris"),
        ({"redirectUris": ["not a url"]}, "redirectUris"),
        ({"redirectUris": ["javascript:alert(1)"]}, "redirectUris"),
        ({"redirectUris": ["https://app.example/cb#frag"]}, "redirectUris"),
        ({"name": ""}, "name"),
        ({"clientType": "secretive"}, "clientType"),
        ({"website": "ftp://x.example"}, "website"),
    ],
)
def test_bad_app_registrations_are_refused(user_api, change, field):
    answer = user_api.post("/api/v1/developer/apps", {**NEW_APP, **change}, format="json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["error"] and field in answer.json()["fields"]
    assert not get_application_model().objects.exists()


def test_apps_of_others_are_not_found_and_not_deleted(user_api, other_user):
    theirs = make_app(other_user)
    assert user_api.get(f"/api/v1/developer/apps/{theirs.pk}").status_code == 404
    assert user_api.delete(f"/api/v1/developer/apps/{theirs.pk}").status_code == 404
    assert user_api.get("/api/v1/developer/apps/abc").status_code == 404
    assert get_application_model().objects.filter(pk=theirs.pk).exists()


def test_delete_an_app_stops_its_tokens(user_api, user, client_logged_in, api_client):
    app = make_app(user)
    tokens = tokens_for(client_logged_in, app)
    assert user_api.delete(f"/api/v1/developer/apps/{app.pk}").status_code == 200
    assert api_get(api_client, tokens["access_token"]).status_code == 401


def test_anonymous_and_oauth_tokens_cannot_manage_apps(api_client, client_logged_in, other_user):
    assert api_client.post("/api/v1/developer/apps", NEW_APP, format="json").status_code == 401
    tokens = tokens_for(client_logged_in, make_app(other_user), scope="read write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert api_client.post("/api/v1/developer/apps", NEW_APP, format="json").status_code == 401
    assert get_application_model().objects.count() == 1


def test_app_list_query_count_is_capped(user_api, user, django_assert_max_num_queries):
    for _ in range(5):
        make_app(user)
    with django_assert_max_num_queries(4):
        answer = user_api.get("/api/v1/developer/apps")
    assert len(answer.json()["apps"]) == 5


def test_developer_page_registers_an_app_and_shows_the_secret_once(client_logged_in, user):
    page = client_logged_in.get("/settings/developer")
    assert page.status_code == 200 and "Register an app" in page.content.decode()
    form = {"name": "Page App", "redirect_uris": REDIRECT, "scopes": ["read"], "client_type": "confidential"}
    answer = client_logged_in.post("/settings/developer", form)
    assert answer.status_code == 200
    app = get_application_model().objects.get(user=user)
    assert app.client_id in answer.content.decode()
    assert 'data-testid="client-secret"' in answer.content.decode()
    again = client_logged_in.get("/settings/developer").content.decode()
    assert app.client_id in again and 'data-testid="client-secret"' not in again


def test_developer_page_bad_input_is_a_form_error(client_logged_in):
    answer = client_logged_in.post("/settings/developer", {"name": "X", "redirect_uris": "nope", "scopes": ["read"],
                                                           "client_type": "confidential"})  # fmt: skip
    assert answer.status_code == 400 and "absolute URL" in answer.content.decode()
    assert not get_application_model().objects.exists()


def test_connected_apps_list_and_revoke(client_logged_in, user, other_user, api_client, django_assert_max_num_queries):
    app = make_app(other_user)
    tokens = tokens_for(client_logged_in, app, scope="read follow")
    assert api_get(api_client, tokens["access_token"]).status_code == 200
    connected = oauth.connected_apps(user)
    assert [item.application.pk for item in connected] == [app.pk]
    assert connected[0].scopes == ["read", "follow"] and connected[0].last_used_at
    with django_assert_max_num_queries(12):
        page = client_logged_in.get("/settings/developer")
    assert "Test App" in page.content.decode() and "Remove access" in page.content.decode()
    answer = client_logged_in.post(f"/settings/developer/connected/{app.pk}/revoke")
    assert answer.status_code == 302
    assert api_get(api_client, tokens["access_token"]).status_code == 401
    assert refresh(client_logged_in, app, tokens["refresh_token"]).status_code == 400
    assert oauth.connected_apps(user) == []
    assert not get_access_token_model().objects.filter(user=user).exists()


def test_revoking_someone_elses_connection_changes_nothing(client_logged_in, user, other_user, ann, api_client):
    from django.test import Client

    app = make_app(other_user)
    tokens = tokens_for(client_logged_in, app)
    ann_client = Client()
    ann_client.force_login(ann)
    ann_client.post(f"/settings/developer/connected/{app.pk}/revoke")
    assert api_get(api_client, tokens["access_token"]).status_code == 200
