"""Hostile input to Settings -> Notifications and its API: a clear 400, nothing stored, never a 500."""

import pytest

from notifications import preferences

pytestmark = pytest.mark.django_db

API = "/api/v1/account/notification-settings"


@pytest.mark.parametrize(
    "body",
    [
        "null",
        '"types"',
        "[]",
        "12",
        '{"types": {"like": {"inApp": false}}, "types": []}',  # a repeated key: the last one counts
        '{"types": {"' + "x" * 10_000 + '": {"inApp": false}}}',
        '{"types": {' + ", ".join(f'"t{i}": {{}}' for i in range(5000)) + "}}",
        '{"notificationSettings": ' * 50 + "{}" + "}" * 50,  # nested deep
        '{"types": {"like": {"email": ["daily"]}}}',
        '{"types": {"like": {"push": 1e999}}}',
    ],
)
def test_hostile_bodies_are_400_and_change_nothing(user_api, user, body):
    answer = user_api.generic("PUT", API, body, content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["error"]
    user.refresh_from_db()
    assert user.notification_prefs == {}


def test_a_hostile_form_post_is_a_form_error(client_logged_in, user):
    data = {f"email_{verb}": "daily" for verb in preferences.TYPES}
    data["email_like"] = ["daily", "<script>alert(1)</script>"]  # a repeated field: the last one is judged
    data.update({f"junk_{i}": "on" for i in range(500)})  # unknown fields are ignored
    response = client_logged_in.post("/settings/notifications", data)
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    user.refresh_from_db()
    assert user.notification_prefs == {}
