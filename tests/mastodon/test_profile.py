"""Mastodon's update_credentials over accounts.services.profile_update (issue 22)."""

import pytest

from tests import images
from tests.mastodon.helpers import masto

pytestmark = pytest.mark.django_db


def test_update_names_note_lock_and_images(user):
    api = masto(user)
    changed = api.patch(
        "/api/v1/accounts/update_credentials",
        {"display_name": "Robin", "note": "I <3 birds", "locked": "true", "source[privacy]": "private",
         "avatar": images.png_upload()},
        format="multipart",
    )  # fmt: skip
    assert changed.status_code == 200
    body = changed.json()
    assert body["display_name"] == "Robin" and body["locked"] is True and body["source"]["note"] == "I <3 birds"
    assert body["note"] == "<p>I &lt;3 birds</p>" and "/media/" in body["avatar"]
    user.refresh_from_db()
    assert user.name == "Robin" and user.bio == "I <3 birds" and user.is_private and user.avatar
    unlocked = api.patch("/api/v1/accounts/update_credentials", {"locked": False}, format="json")
    assert unlocked.json()["locked"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"display_name": "x" * 51},
        {"note": "x" * 161},
        {"locked": "maybe"},
        {"source": {"privacy": "secret"}},
        {"display_name": "Fine", "avatar": "not a file"},
        {"locked": ["true"]},
        {"source": {"privacy": ["public"]}},
        {"note": None},
    ],
)
def test_bad_input_is_422_and_changes_nothing(user, body):
    before = (user.name, user.bio, user.is_private)
    response = masto(user).patch("/api/v1/accounts/update_credentials", body, format="json")
    assert response.status_code == 422 and "error" in response.json()
    user.refresh_from_db()
    assert (user.name, user.bio, user.is_private) == before


def test_a_fake_image_is_refused(user):
    response = masto(user).patch(
        "/api/v1/accounts/update_credentials",
        {"display_name": "New", "header": images.text_pretending_to_be_png()},
        format="multipart",
    )
    assert response.status_code == 422
    user.refresh_from_db()
    assert user.name != "New" and not user.header


def test_scope(user):
    assert masto(user, "read").patch("/api/v1/accounts/update_credentials", {"note": "x"}).status_code == 403
    assert masto(user, "write:accounts").patch("/api/v1/accounts/update_credentials", {"note": "x"}).status_code == 200
