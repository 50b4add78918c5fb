"""Content warnings and sensitive images: posting, editing, the cards, the reader's settings, the API."""

import uuid

import pytest

from tests import images
from tests.tweets.helpers import post
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def compose(client, **fields):
    return client.post("/compose", {"form_token": uuid.uuid4(), **fields})


# --- API -------------------------------------------------------------------------------------


def test_api_post_with_a_content_warning_and_sensitive_flag(user_api):
    response = user_api.post(
        "/api/v1/tweets", {"text": "the ending", "contentWarning": "  Spoilers: S2  ", "sensitive": True}, format="json"
    )
    assert response.status_code == 201
    tweet = response.json()["tweetData"]
    assert tweet["contentWarning"] == "Spoilers: S2" and tweet["sensitive"] is True and tweet["pinned"] is False
    stored = Tweet.objects.get()
    assert (stored.content_warning, stored.sensitive) == ("Spoilers: S2", True)


def test_api_post_without_them_answers_null_and_false(user_api):
    tweet = user_api.post("/api/v1/tweets", {"text": "plain"}, format="json").json()["tweetData"]
    assert tweet["contentWarning"] is None and tweet["sensitive"] is False
    blank = user_api.post("/api/v1/tweets", {"text": "blank cw", "contentWarning": "   "}, format="json")
    assert blank.json()["tweetData"]["contentWarning"] is None
    null = user_api.post("/api/v1/tweets", {"text": "null cw", "contentWarning": None}, format="json")
    assert null.status_code == 201 and null.json()["tweetData"]["contentWarning"] is None


def test_api_content_warning_of_101_characters_is_400_and_creates_nothing(user_api):
    response = user_api.post("/api/v1/tweets", {"text": "hi", "contentWarning": "é" * 101}, format="json")
    assert response.status_code == 400
    assert "100" in response.json()["fields"]["contentWarning"][0]
    assert not Tweet.objects.exists()
    exactly = user_api.post("/api/v1/tweets", {"text": "hi", "contentWarning": "é" * 100}, format="json")
    assert exactly.status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"text": "hi", "contentWarning": 5},
        {"text": "hi", "contentWarning": ["x"]},
        {"text": "hi", "contentWarning": "x" * 100_000},
        {"text": "hi", "sensitive": "yes"},
        {"text": "hi", "sensitive": 1},
    ],
)
def test_api_hostile_labels_are_400(user_api, body):
    response = user_api.post("/api/v1/tweets", body, format="json")
    assert response.status_code == 400
    assert not Tweet.objects.exists()


def test_api_nul_bytes_in_a_content_warning_are_400(user_api):
    response = user_api.post("/api/v1/tweets", {"text": "hi", "contentWarning": "a\x00b"}, format="json")
    assert response.status_code == 400 and response.json()["error"]  # refused before any field is read
    assert not Tweet.objects.exists()


def test_api_edit_changes_the_labels_and_leaves_them_when_left_out(user_api, user):
    tweet = post(user, "hello", content_warning="old")
    response = user_api.patch(f"/api/v1/tweets/{tweet.pk}", {"text": "hello"}, format="json")
    assert response.status_code == 200 and response.json()["tweet"]["contentWarning"] == "old"
    response = user_api.patch(
        f"/api/v1/tweets/{tweet.pk}", {"text": "hello", "contentWarning": "new", "sensitive": True}, format="json"
    )
    assert response.json()["tweet"]["contentWarning"] == "new" and response.json()["tweet"]["sensitive"] is True
    response = user_api.patch(f"/api/v1/tweets/{tweet.pk}", {"text": "hello", "contentWarning": ""}, format="json")
    assert response.json()["tweet"]["contentWarning"] is None
    too_long = user_api.patch(
        f"/api/v1/tweets/{tweet.pk}", {"text": "changed", "contentWarning": "x" * 101}, format="json"
    )
    assert too_long.status_code == 400 and "contentWarning" in too_long.json()["fields"]
    tweet.refresh_from_db()
    assert tweet.text == "hello" and tweet.content_warning == "" and tweet.sensitive is True  # nothing changed


def test_api_edit_of_someone_elses_labels_is_403(api_as, user, other_user):
    tweet = post(user, "mine")
    response = api_as(other_user).patch(
        f"/api/v1/tweets/{tweet.pk}", {"text": "mine", "contentWarning": "x"}, format="json"
    )
    assert response.status_code == 403
    tweet.refresh_from_db()
    assert tweet.content_warning == ""


# --- pages -------------------------------------------------------------------------------------


def test_compose_form_posts_a_content_warning_and_sensitive_images(client_logged_in, user):
    response = compose(
        client_logged_in,
        text="what happens at the end",
        content_warning="Spoilers",
        sensitive="on",
        images=images.png_upload(),
    )
    assert response.status_code == 302
    tweet = Tweet.objects.get()
    assert (tweet.content_warning, tweet.sensitive, tweet.has_media) == ("Spoilers", True, True)


def test_compose_form_content_warning_over_100_is_a_form_error(client_logged_in):
    response = compose(client_logged_in, text="hi", content_warning="x" * 101)
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()
    assert 'id="id_content_warning-error"' in response.content.decode()
    assert not Tweet.objects.exists()


def test_compose_form_has_labelled_controls(client_logged_in):
    html = client_logged_in.get("/compose").content.decode()
    assert '<label for="id_content_warning">' in html and '<label for="id_sensitive">Mark images as sensitive' in html


def test_card_folds_the_text_behind_the_warning(client, user, other_user):
    tweet = post(user, "the butler did it", content_warning="Mystery spoilers")
    client.force_login(other_user)
    html = client.get(f"/@alice/status/{tweet.pk}").content.decode()
    fold = html.split('<details class="tweet-cw"', 1)[1].split("</details>", 1)[0]
    assert "Mystery spoilers" in fold.split("</summary>")[0]  # the warning is the control
    assert "the butler did it" in fold.split("</summary>")[1]  # the text is behind it
    assert not fold.startswith(" open")
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Content warning: Mystery spoilers" in title and "butler" not in title  # the tab shows no spoiler


def test_warning_is_escaped(client, user):
    post(user, "text", content_warning="<script>alert(1)</script>")
    html = client.get("/@alice").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_sensitive_images_are_blurred_behind_a_control(client, user, other_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the images are processed
        post(user, "a picture", sensitive=True, uploads=[(images.png_upload(), "a red square")])
        post(user, "another picture", uploads=[(images.png_upload(), "a calm square")])
    client.force_login(other_user)
    html = client.get("/@alice").content.decode()
    assert html.count('<details class="sensitive-media"') == 1
    cover = html.split('<details class="sensitive-media"', 1)[1].split("</summary>", 1)[0]
    assert "Sensitive content — show" in cover and 'alt=""' in cover  # a decorative blurred preview
    assert 'alt="a red square"' in html.split('<details class="sensitive-media"', 1)[1]  # the real image, inside


def test_reader_settings_show_sensitive_media_and_expand_warnings(client, user, other_user):
    post(user, "behind", content_warning="CW", sensitive=True, uploads=[(images.png_upload(), "pic")])
    client.force_login(other_user)
    response = client.post(
        "/settings/display", {"show_sensitive_media": "on", "expand_content_warnings": "on"}, follow=True
    )
    assert response.status_code == 200 and "Your display settings were saved." in response.content.decode()
    other_user.refresh_from_db()
    assert other_user.show_sensitive_media and other_user.expand_content_warnings
    html = client.get("/@alice").content.decode()
    assert '<details class="sensitive-media"' not in html
    assert '<details class="tweet-cw" open' in html
    # Someone without the settings still gets the blur and the fold.
    client.force_login(user)
    html = client.get("/@alice").content.decode()
    assert '<details class="sensitive-media"' in html and '<details class="tweet-cw" data-cw>' in html


def test_display_settings_page_is_labelled(client_logged_in):
    html = client_logged_in.get("/settings/display").content.decode()
    assert "Always show sensitive media" in html and "Always expand posts with content warnings" in html


def test_edit_page_changes_the_labels(client_logged_in, user):
    tweet = post(user, "hello")
    url = f"/@alice/status/{tweet.pk}/edit"
    response = client_logged_in.post(url, {"text": "hello", "content_warning": "Heads up", "sensitive": "on"})
    assert response.status_code == 302
    tweet.refresh_from_db()
    assert (tweet.content_warning, tweet.sensitive) == ("Heads up", True)
    response = client_logged_in.post(url, {"text": "hello", "content_warning": "y" * 101})
    assert response.status_code == 400 and "at most 100 characters" in response.content.decode()
    tweet.refresh_from_db()
    assert tweet.content_warning == "Heads up"


def test_quoted_post_keeps_its_warning(client, user, other_user):
    quoted = post(user, "quoted secret", content_warning="Quoted CW")
    post(other_user, "look", quote_of_id=quoted.pk)
    html = client.get("/@bob").content.decode()
    quote = html.split('<div class="quoted">', 1)[1]
    assert "Quoted CW" in quote.split("</summary>")[0] and "quoted secret" in quote


@pytest.mark.parametrize("warning", ["x" * 100_000, "a\x00b", "\u202e" + "y" * 101])
def test_compose_form_hostile_warnings_are_refused(client_logged_in, warning):
    response = compose(client_logged_in, text="hi", content_warning=warning)
    assert response.status_code == 400
    assert not Tweet.objects.exists()
