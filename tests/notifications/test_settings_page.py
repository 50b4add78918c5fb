"""Settings -> Notifications: the page (a form that works without JavaScript) and its API."""

import pytest

from notifications import preferences
from notifications.models import Notification

pytestmark = pytest.mark.django_db

URL = "/settings/notifications"
API = "/api/v1/account/notification-settings"


def form_as_shown(user_prefs: preferences.Preferences) -> dict:
    """What the browser posts for the page as it stands (unticked boxes are not sent)."""
    data = {}
    for verb in preferences.TYPES:
        if user_prefs.in_app(verb):
            data[f"app_{verb}"] = "on"
        if user_prefs.push_cell(verb):
            data[f"push_{verb}"] = "on"
        data[f"email_{verb}"] = user_prefs.email_cell(verb)
    return data


def test_the_page_is_a_table_of_every_type_by_channel(client_logged_in):
    response = client_logged_in.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<th scope="row"') == len(preferences.TYPES)
    assert '<th scope="col">In app</th>' in html and '<th scope="col">Email</th>' in html
    assert 'aria-label="Likes: push"' in html and 'aria-label="Mentions: email"' in html
    assert '<option value="hourly">Hourly digest</option>' in html
    assert 'href="/settings/notifications" aria-current="page"' in html  # its tab in Settings
    assert "Only from people I follow" in html and "what you missed" in html


def test_saving_the_page_keeps_every_cell(client_logged_in, user):
    data = form_as_shown(preferences.of(user))
    del data["app_like"], data["push_reply"]
    data["email_retweet"] = "daily"
    data["weekly_digest"] = "on"
    response = client_logged_in.post(URL, data, follow=True)
    assert "Your notification settings were saved." in response.content.decode()
    user.refresh_from_db()
    assert user.notification_prefs == {
        "app": {"like": False},
        "push": {"reply": False},
        "email": {"retweet": "daily"},
        "weeklyDigest": True,
    }
    shown = client_logged_in.get(URL).content.decode()
    assert 'name="app_like" id="id_app_like" aria-label="Likes: in app" data-notify-app>' in shown  # not checked
    assert '<option value="daily" selected>Daily digest</option>' in shown


@pytest.mark.parametrize("bad", [{"email_like": "weekly"}, {"email_mention": ""}, {"email_follow": "NEVER"}])
def test_a_bad_posted_value_is_a_form_error_and_changes_nothing(client_logged_in, user, bad):
    data = {**form_as_shown(preferences.of(user)), "weekly_digest": "on", **bad}
    del data["app_quote"]
    response = client_logged_in.post(URL, data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    user.refresh_from_db()
    assert user.notification_prefs == {}


def test_the_page_needs_a_sign_in(client):
    assert client.get(URL).status_code == 302
    assert client.post(URL, {"weekly_digest": "on"}).status_code == 302


# --- the API -------------------------------------------------------------------------------------


def test_get_answers_every_type(user_api):
    body = user_api.get(API).json()["notificationSettings"]
    assert set(body) == {"types", "onlyFromFollowing", "weeklyDigest"}
    assert list(body["types"]) == list(preferences.TYPES)
    assert body["types"]["mention"] == {"inApp": True, "push": True, "email": "immediately"}


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_part_changes_that_part_and_answers_the_whole(user_api, user, method):
    answer = getattr(user_api, method)(API, {"types": {"like": {"push": False}}}, format="json")
    assert answer.status_code == 200
    body = answer.json()["notificationSettings"]
    assert body["types"]["like"] == {"inApp": True, "push": False, "email": "never"}
    assert len(body["types"]) == len(preferences.TYPES)
    user.refresh_from_db()
    assert user.notification_prefs == {"push": {"like": False}}


def test_the_answer_may_be_sent_back_wrapped(user_api, user):
    settings = user_api.get(API).json()
    settings["notificationSettings"]["types"]["reply"]["email"] = "hourly"
    settings["notificationSettings"]["onlyFromFollowing"] = True
    assert user_api.put(API, settings, format="json").status_code == 200
    user.refresh_from_db()
    assert user.notification_prefs == {"email": {"reply": "hourly"}, "onlyFromFollowing": True}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"types": {"like": {"push": "false"}}}, "types"),
        ({"types": {"like": {"email": "weekly"}}}, "types"),
        ({"types": {"nope": {"inApp": False}}}, "types"),
        ({"types": {"post_removed": {"inApp": False}}}, "types"),
        ({"weeklyDigest": 1}, "weeklyDigest"),
        ({"colour": "blue"}, "colour"),
        ({"notificationSettings": ["types"]}, "notificationSettings"),
        ([{"types": {}}], "notificationSettings"),
    ],
)
def test_bad_input_is_400_naming_the_part_and_changes_nothing(user_api, user, body, field):
    # A good part alongside the bad one: nothing of the request is kept.
    if isinstance(body, dict):
        body = {**body, "onlyFromFollowing": True}
    answer = user_api.put(API, body, format="json")
    assert answer.status_code == 400
    assert answer.json()["error"] and field in answer.json()["fields"]
    user.refresh_from_db()
    assert user.notification_prefs == {}


def test_the_privacy_api_still_sets_the_in_app_column(user_api, user):
    answer = user_api.put("/api/v1/account/privacy", {"notificationPrefs": {"retweet": False}}, format="json")
    assert answer.status_code == 200
    assert user_api.get(API).json()["notificationSettings"]["types"]["retweet"]["inApp"] is False


def test_anonymous_is_401(api_client):
    assert api_client.get(API).status_code == 401
    assert api_client.put(API, {"weeklyDigest": True}, format="json").status_code == 401


def test_the_schema_lists_every_type(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    assert set(components["NotificationTypes"]["properties"]) == set(preferences.TYPES)
    assert set(components["NotificationTypeSettings"]["required"]) == {"inApp", "push", "email"}
    assert components["NotificationTypesChangeRequest"]["additionalProperties"] is False
    # config/settings.py names the type enum with a copy of the verbs: it must keep up with the model.
    assert components["NotificationTypeEnum"]["enum"] == list(Notification.Verb.values)
    path = schema["paths"]["/api/v1/account/notification-settings"]
    assert set(path) >= {"get", "put", "patch"}


def test_the_page_and_the_api_take_a_few_queries(client_logged_in, user_api, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client_logged_in.get(URL).status_code == 200
    with django_assert_max_num_queries(4):
        assert user_api.get(API).status_code == 200
    with django_assert_max_num_queries(6):
        assert user_api.patch(API, {"weeklyDigest": True}, format="json").status_code == 200
