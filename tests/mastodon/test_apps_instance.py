"""Mastodon's apps, OAuth for its apps, instance, preferences, markers, verify_credentials (issue 22)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path
from oauth2_provider.models import get_access_token_model, get_application_model

from accounts.models import DeveloperApp
from social.mastodon.dispatch import shared
from social.mastodon.models import Marker
from tests.factories import UserFactory
from tests.oauth.tokens import bearer, make_token

pytestmark = pytest.mark.django_db

OOB = "urn:ietf:wg:oauth:2.0:oob"
LOOPBACK = "http://127.0.0.1:4321/callback"


def register(api_client, **data):
    return api_client.post("/api/v1/apps", data, format="json")


def mastodon_app(api_client, *, redirect_uris=OOB, scopes="read write follow push"):
    answer = register(api_client, client_name="Tootle", redirect_uris=redirect_uris, scopes=scopes,
                      website="https://tootle.example")  # fmt: skip
    assert answer.status_code == 200, answer.content
    return answer.json()


def token_of(app_json, user, scope="read write follow push"):
    app = get_application_model().objects.get(client_id=app_json["client_id"])
    return make_token(user, scope, app=app)


# --- POST /api/v1/apps ------------------------------------------------------------------------------


def test_registering_an_app_answers_mastodons_application_with_its_credentials(api_client, settings):
    settings.VAPID_PUBLIC_KEY = "BPublicKey"
    body = mastodon_app(api_client)
    assert body["name"] == "Tootle" and body["website"] == "https://tootle.example"
    assert body["scopes"] == ["read", "write", "follow", "push"]
    assert body["redirect_uri"] == OOB and body["redirect_uris"] == [OOB]
    assert body["client_id"] and body["client_secret"] and body["vapid_key"] == "BPublicKey"
    app = get_application_model().objects.get(client_id=body["client_id"])
    assert app.user is None and app.client_type == "confidential"
    assert DeveloperApp.objects.get(application=app).api == "mastodon"


def test_a_form_with_newline_separated_uris_and_no_scopes_gets_read(api_client):
    answer = api_client.post(
        "/api/v1/apps",
        urlencode({"client_name": "Formy", "redirect_uris": f"{OOB}\n{LOOPBACK}"}),
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["redirect_uris"] == [OOB, LOOPBACK] and answer.json()["scopes"] == ["read"]


def test_an_array_of_redirect_uris_is_taken(api_client):
    body = mastodon_app(api_client, redirect_uris=[LOOPBACK, OOB])
    assert body["redirect_uris"] == [LOOPBACK, OOB]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"redirect_uris": OOB}, "client_name"),
        ({"client_name": "X"}, "redirect_uris"),
        ({"client_name": "X", "redirect_uris": "javascript:alert(1)"}, "absolute URL"),
        ({"client_name": "X", "redirect_uris": "https://a.example/cb#frag"}, "absolute URL"),
        ({"client_name": "X", "redirect_uris": OOB, "scopes": "read admin:write"}, "Unknown scope"),
        ({"client_name": "X", "redirect_uris": OOB, "website": "ftp://x.example"}, "website"),
        ({"client_name": ["X"], "redirect_uris": OOB}, "client_name"),
        ({"client_name": "X", "redirect_uris": [1]}, "redirect_uris"),
    ],
)
def test_bad_registrations_answer_422_and_make_nothing(api_client, data, words):
    answer = register(api_client, **data)
    assert answer.status_code == 422, answer.content
    assert words in answer.json()["error"]
    assert not get_application_model().objects.exists()


def test_chirp_apps_may_not_use_the_oob_uri(user):
    from accounts import oauth
    from config.kernel.errors import ServiceError

    with pytest.raises(ServiceError):
        oauth.app_create(user=user, name="Native", redirect_uris=[OOB], scopes=["read"])


# --- GET /api/v1/apps/verify_credentials --------------------------------------------------------------


def test_verify_credentials_names_the_tokens_app_without_its_secret(api_client, user):
    body = mastodon_app(api_client)
    for token in (token_of(body, user), token_of(body, None, "read")):  # a person's, then app-only
        answer = bearer(token).get("/api/v1/apps/verify_credentials")
        assert answer.status_code == 200, answer.content
        seen = answer.json()
        assert seen["name"] == "Tootle" and seen["scopes"] == ["read", "write", "follow", "push"]
        assert seen["redirect_uris"] == [OOB] and "client_secret" not in seen


def test_verify_credentials_without_a_token_is_401_in_mastodons_shape(api_client):
    answer = api_client.get("/api/v1/apps/verify_credentials")
    assert answer.status_code == 401
    assert set(answer.json()) == {"error"}
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert bearer("chirp_oat_made-up").get("/api/v1/apps/verify_credentials").status_code == 401


# --- OAuth for Mastodon apps: no state, OOB, created_at, JSON body, revoke ---------------------------------


def _consent(client, app_json, redirect_uri, **extra):
    params = {"response_type": "code", "client_id": app_json["client_id"], "redirect_uri": redirect_uri,
              "scope": "read write follow push", **extra}  # fmt: skip
    page = client.get("/oauth/authorize", params)
    assert page.status_code == 200, page.content[:400]
    return params, client.post("/oauth/authorize", {**params, "allow": "Authorize"})


def test_a_mastodon_app_needs_no_state_and_oob_shows_the_code_on_a_page(client, api_client, user):
    body = mastodon_app(api_client)
    client.force_login(user)
    _, page = _consent(client, body, OOB)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="oob-code"' in html and "Tootle" in html
    code = html.split('data-testid="oob-code">')[1].split("<")[0]
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": OOB,
            "client_id": body["client_id"], "client_secret": body["client_secret"]}  # fmt: skip
    answer = client.post("/oauth/token", urlencode(data), content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200, answer.content
    token = answer.json()
    assert isinstance(token["created_at"], int) and set(token["scope"].split()) == {"read", "write", "follow", "push"}
    me = bearer(token["access_token"]).get("/api/v1/accounts/verify_credentials")
    assert me.status_code == 200 and me.json()["username"] == user.username

    # Mastodon's /oauth/revoke: the token stops working
    form = {"token": token["access_token"], "client_id": body["client_id"], "client_secret": body["client_secret"]}
    revoked = client.post("/oauth/revoke", urlencode(form), content_type="application/x-www-form-urlencoded")
    assert revoked.status_code == 200 and revoked.json() == {}  # Mastodon.py parses the answer
    assert bearer(token["access_token"]).get("/api/v1/accounts/verify_credentials").status_code == 401


def test_denying_on_the_oob_page_shares_nothing(client, api_client, user):
    body = mastodon_app(api_client)
    client.force_login(user)
    params = {"response_type": "code", "client_id": body["client_id"], "redirect_uri": OOB, "scope": "read"}
    answer = client.post("/oauth/authorize", params)
    assert answer.status_code == 400 and b'data-testid="oauth-error"' in answer.content
    assert not get_access_token_model().objects.exists()


def test_the_token_endpoint_takes_json_too(client, api_client, user):
    body = mastodon_app(api_client, redirect_uris=LOOPBACK)
    client.force_login(user)
    _, answer = _consent(client, body, LOOPBACK)
    assert answer.status_code == 302
    code = answer["Location"].split("code=")[1].split("&")[0]
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": LOOPBACK,
            "client_id": body["client_id"], "client_secret": body["client_secret"]}  # fmt: skip
    token = client.post("/oauth/token", json.dumps(data), content_type="application/json")
    assert token.status_code == 200, token.content
    assert token.json()["created_at"] > 0
    bad = client.post("/oauth/token", "[1]", content_type="application/json")
    assert bad.status_code == 400


def test_asking_no_scope_grants_all_the_app_registered(client, api_client, user):
    body = mastodon_app(api_client, redirect_uris=LOOPBACK, scopes="read follow")
    client.force_login(user)
    params = {"response_type": "code", "client_id": body["client_id"], "redirect_uri": LOOPBACK}
    page = client.get("/oauth/authorize", params)
    assert page.status_code == 200
    scope = page.context["form"].initial["scope"]  # what the consent form sends back
    assert set(scope.split()) == {"read", "follow"}
    answer = client.post("/oauth/authorize", {**params, "scope": scope, "allow": "Authorize"})
    code = answer["Location"].split("code=")[1].split("&")[0]
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": LOOPBACK,
            "client_id": body["client_id"], "client_secret": body["client_secret"]}  # fmt: skip
    token = client.post("/oauth/token", urlencode(data), content_type="application/x-www-form-urlencoded").json()
    assert set(token["scope"].split()) == {"read", "follow"}


def test_chirp_apps_still_need_state(client, user):
    from tests.accounts.oauth_helpers import REDIRECT, make_app

    app = make_app(user)
    client.force_login(user)
    page = client.get("/oauth/authorize", {"response_type": "code", "client_id": app.client_id,
                                           "redirect_uri": REDIRECT, "scope": "read"})  # fmt: skip
    assert page.status_code == 400 and b"state" in page.content


# --- instance -----------------------------------------------------------------------------------------


def test_v1_instance_answers_chirps_keys_and_mastodons(api_client):
    body = api_client.get("/api/v1/instance").json()
    assert body["name"] == "Chirp" and body["limits"]["tweetLength"] == 280  # Chirp's
    assert body["version"].startswith("4.3.0 (compatible; Chirp ") and body["apiVersion"] in body["version"]
    assert body["uri"] == "testserver" and body["urls"]["streaming_api"] == "ws://testserver"
    statuses = body["configuration"]["statuses"]
    assert statuses == {"max_characters": 280, "max_media_attachments": 4, "characters_reserved_per_url": 23}
    assert body["configuration"]["polls"] == {"max_options": 4, "max_characters_per_option": 25,
                                              "min_expiration": 300, "max_expiration": 604800}  # fmt: skip
    assert body["contact_account"] is None and body["rules"] == []
    assert set(body["stats"]) == {"user_count", "status_count", "domain_count"}


def test_v2_instance(api_client):
    answer = api_client.get("/api/v2/instance", HTTP_AUTHORIZATION="Bearer whatever")
    assert answer.status_code == 200
    body = answer.json()
    assert body["domain"] == "testserver" and body["version"].startswith("4.3.0")
    assert body["configuration"]["urls"]["streaming"] == "ws://testserver"
    assert body["configuration"]["statuses"]["max_characters"] == 280
    assert body["configuration"]["translation"] == {"enabled": False}
    assert body["registrations"]["enabled"] is True and body["rules"] == []


def test_v1_instance_with_mastodon_pys_trailing_slash(api_client):
    assert api_client.get("/api/v1/instance/").json()["version"].startswith("4.3.0")
    assert api_client.get("/api/v2/instance/").status_code == 200


def test_custom_emojis_are_none(api_client):
    assert api_client.get("/api/v1/custom_emojis").json() == []


# --- preferences, markers, verify_credentials ----------------------------------------------------------------


def test_preferences_follow_the_persons_settings(api_client):
    person = UserFactory(is_private=True, show_sensitive_media=True, expand_content_warnings=True)
    body = mastodon_app(api_client)
    answer = bearer(token_of(body, person, "read:accounts")).get("/api/v1/preferences")
    assert answer.status_code == 200
    prefs = answer.json()
    assert prefs["posting:default:visibility"] == "private" and prefs["posting:default:sensitive"] is False
    assert prefs["posting:default:language"] is None
    assert prefs["reading:expand:media"] == "show_all" and prefs["reading:expand:spoilers"] is True


def test_preferences_need_read_accounts(api_client, user):
    body = mastodon_app(api_client)
    answer = bearer(token_of(body, user, "read:statuses")).get("/api/v1/preferences")
    assert answer.status_code == 403 and "read:accounts" in answer.json()["error"]
    assert api_client.get("/api/v1/preferences").status_code == 401


def test_markers_are_set_read_and_versioned(api_client, user, django_assert_max_num_queries):
    body = mastodon_app(api_client)
    client = bearer(token_of(body, user))
    answer = client.post("/api/v1/markers", urlencode({"home[last_read_id]": "103"}),
                         content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json()["home"]["last_read_id"] == "103" and answer.json()["home"]["version"] == 0
    again = client.post("/api/v1/markers", {"home": {"last_read_id": "110"}, "notifications": {"last_read_id": 7}},
                        format="json")  # fmt: skip
    assert again.json()["home"] == {**again.json()["home"], "last_read_id": "110", "version": 1}
    with django_assert_max_num_queries(6):
        seen = client.get("/api/v1/markers?timeline[]=home&timeline[]=notifications").json()
    assert seen["home"]["last_read_id"] == "110" and seen["notifications"]["last_read_id"] == "7"
    assert client.get("/api/v1/markers?timeline[]=home").json().keys() == {"home"}


@pytest.mark.parametrize(
    "data",
    [{}, {"home": {"last_read_id": "abc"}}, {"home": {"last_read_id": True}}, {"home": {"last_read_id": "9" * 50}}],
)
def test_bad_markers_are_422_and_change_nothing(api_client, user, data):
    body = mastodon_app(api_client)
    answer = bearer(token_of(body, user)).post("/api/v1/markers", data, format="json")
    assert answer.status_code == 422, answer.content
    assert not Marker.objects.exists()


def test_verify_credentials_answers_the_credential_account(api_client):
    person = UserFactory(name="Rita", bio="Hi <b>there</b>", is_private=True)
    body = mastodon_app(api_client)
    answer = bearer(token_of(body, person, "read:accounts")).get("/api/v1/accounts/verify_credentials")
    assert answer.status_code == 200
    account = answer.json()
    assert account["id"] == str(person.pk) and account["acct"] == person.username and account["locked"] is True
    assert account["note"] == "<p>Hi &lt;b&gt;there&lt;/b&gt;</p>" and account["source"]["note"] == "Hi <b>there</b>"
    assert account["source"]["privacy"] == "private" and account["statuses_count"] == 0
    assert account["avatar"].startswith("http") and account["emojis"] == [] and account["fields"] == []


def test_verify_credentials_without_a_token_is_401(api_client):
    answer = api_client.get("/api/v1/accounts/verify_credentials")
    assert answer.status_code == 401 and set(answer.json()) == {"error"}


# --- the token decides --------------------------------------------------------------------------------------


def _mastodon(request):
    return HttpResponse("mastodon")


def _chirp(request):
    return HttpResponse("chirp")


urlpatterns = [path("shared", shared(_mastodon, _chirp))]


def test_shared_paths_go_by_the_token(api_client, user, token_for, django_assert_max_num_queries):
    mastodon = mastodon_app(api_client)
    mastodon_token = token_of(mastodon, user)
    chirp_app = get_application_model().objects.create(name="Chirpy", client_type="confidential",
                                                        authorization_grant_type="authorization-code",
                                                        redirect_uris="https://c.example/cb")  # fmt: skip
    DeveloperApp.objects.create(application=chirp_app, scopes="read")
    knox = token_for(user)
    with override_settings(ROOT_URLCONF=__name__):
        _the_token_decides(api_client, user, mastodon_token, chirp_app, knox, django_assert_max_num_queries)


def _the_token_decides(api_client, user, mastodon_token, chirp_app, knox, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert bearer(mastodon_token).get("/shared").content == b"mastodon"
    assert bearer(make_token(user, "read", app=chirp_app)).get("/shared").content == b"chirp"
    with django_assert_max_num_queries(0):
        assert bearer(knox).get("/shared").content == b"chirp"  # knox: no query
        assert api_client.get("/shared").content == b"chirp"
    assert bearer("chirp_oat_unknown").get("/shared").content == b"chirp"


def test_the_dispatcher_shows_chirps_view_to_the_schema():
    from config.instance import InstanceView
    from social.mastodon.core_api import InstanceV2View

    view = shared(InstanceV2View.as_view(), InstanceView.as_view())
    assert view.cls is InstanceView and view.mastodon_view.cls is InstanceV2View and view.csrf_exempt
