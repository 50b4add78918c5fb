"""Query parameters are read by small serializers (config/kernel/api/input.py): the 400 body names one."""

import pytest


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        ("/api/v1/notifications?limit=0", "limit", "Must be a whole number from 1 to 100."),
        ("/api/v1/notifications?cursor=x", "cursor", "Not a valid cursor."),
        ("/api/v1/notifications?tab=", "tab", "Choose all or mentions."),
        ("/api/v1/timeline/home?rank=", "rank", "Choose one of: latest, top."),
        ("/api/v1/timeline/user/alice?tab=x", "tab", "Choose one of: tweets, replies, media, likes."),
        ("/api/v1/search?type=people&q=a", "type", "Choose one of: tweets, users, hashtags."),
        ("/api/v1/search", "q", "Type something to search for."),
        ("/api/v1/search?q=%01", "q", "Search text can't contain control characters."),
        ("/api/v1/messages/media/1?size=", "size", "Leave it out, or ask for thumb."),
    ],
)
def test_a_wrong_value_is_a_400_naming_it(user_api, path, field, message):
    answer = user_api.get(path)
    assert answer.status_code == 400
    assert answer.json() == {"error": message, "fields": {field: [message]}}


def test_the_first_wrong_parameter_answers_alone(user_api):
    # limit before cursor; type and sort before the page and q
    assert user_api.get("/api/v1/notifications?limit=0&cursor=x").json()["fields"] == {
        "limit": ["Must be a whole number from 1 to 100."]
    }
    assert set(user_api.get("/api/v1/search?sort=old&limit=0").json()["fields"]) == {"sort"}
    assert set(user_api.get("/api/v1/search?limit=0").json()["fields"]) == {"limit"}


def test_defaults_when_left_out(user_api):
    assert user_api.get("/api/v1/notifications").status_code == 200
    assert user_api.get("/api/v1/timeline/home").status_code == 200
    assert user_api.get("/api/v1/timeline/user/alice").status_code == 200
    assert user_api.get("/api/v1/search?q=coffee&limit=5&cursor=").status_code == 200
