"""Profiles: the page at /@username, editing it in settings and through the API, images."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from accounts.models import User
from tests import images

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_profile_page_shows_the_profile(client, user):
    user.bio = "Curiouser & curiouser <b>"
    user.location = "Wonderland"
    user.website = "https://alice.example.com"
    user.save()
    response = client.get("/@alice")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Liddell" in html
    assert "@alice" in html
    assert "Curiouser &amp; curiouser &lt;b&gt;" in html  # user text is escaped, never HTML
    assert "Wonderland" in html
    assert 'href="https://alice.example.com"' in html


def test_profile_url_is_case_insensitive_and_canonical(client, user):
    response = client.get("/@ALICE")
    assert response.status_code == 301
    assert response["Location"] == "/@alice"


def test_unknown_profile_is_404(client, db):
    assert client.get("/@nobody").status_code == 404


def test_settings_profile_saves_fields(client_logged_in, user):
    response = client_logged_in.post(
        "/settings/profile", {"name": "Alice L.", "bio": "Down the rabbit hole", "location": "", "website": ""}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.bio) == ("Alice L.", "Down the rabbit hole")


def test_settings_profile_needs_login(client, db):
    response = client.get("/settings/profile")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_avatar_is_cropped_resized_and_stripped_of_exif(client_logged_in, user):
    photo = images.upload("me.jpg", images.jpeg_with_gps_exif(size=(900, 600)), "image/jpeg")
    assert Image.open(io.BytesIO(images.jpeg_with_gps_exif())).getexif()  # the input does carry EXIF
    response = client_logged_in.post("/settings/profile", {"name": "Alice", "avatar": photo})
    assert response.status_code == 302
    user.refresh_from_db()
    with user.avatar.open("rb") as stored:
        saved = Image.open(io.BytesIO(stored.read()))
    assert saved.format == "WEBP"
    assert saved.size == (settings.AVATAR_SIZE, settings.AVATAR_SIZE)
    assert not saved.getexif()
    assert "avatars/" in user.avatar.name


def test_header_is_cropped_to_three_by_one(client_logged_in, user):
    response = client_logged_in.post(
        "/settings/profile", {"name": "Alice", "header": images.png_upload(size=(3000, 2000))}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    with user.header.open("rb") as stored:
        assert Image.open(stored).size == settings.HEADER_SIZE


def test_replacing_an_avatar_deletes_the_old_file(client_logged_in, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_logged_in.post("/settings/profile", {"name": "Alice", "avatar": images.png_upload()})
    with django_capture_on_commit_callbacks(execute=True):
        client_logged_in.post("/settings/profile", {"name": "Alice", "avatar": images.png_upload()})
    assert len(stored_files()) == 1


@pytest.mark.parametrize(
    ("make_upload", "message"),
    [
        (images.text_pretending_to_be_png, "isn't an image"),
        (lambda: images.oversize_upload(settings.IMAGE_MAX_BYTES), "or smaller"),
        (images.pixel_bomb_png, "megapixels"),
        (lambda: images.upload("a.bmp", images.image_bytes("BMP")), "isn't an image"),
    ],
    ids=["text-named-png", "over-5MB", "pixel-bomb", "bmp"],
)
def test_bad_images_are_refused_on_the_page(client_logged_in, user, make_upload, message):
    response = client_logged_in.post("/settings/profile", {"name": "New name", "avatar": make_upload()})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["avatar"])
    assert message in response.content.decode().replace("&#x27;", "'")
    user.refresh_from_db()
    assert user.name == "Alice Liddell"  # nothing changed
    assert not user.avatar
    assert stored_files() == []


def test_a_bad_header_leaves_no_avatar_behind(client_logged_in, user):
    response = client_logged_in.post(
        "/settings/profile",
        {"name": "Alice", "avatar": images.png_upload(), "header": images.text_pretending_to_be_png()},
    )
    assert response.status_code == 400
    assert "header" in response.context["form"].errors
    user.refresh_from_db()
    assert not user.avatar and not user.header
    assert stored_files() == []


def test_profile_field_limits(client_logged_in, user):
    response = client_logged_in.post(
        "/settings/profile", {"name": "x" * 51, "bio": "y" * 161, "website": "javascript:alert(1)"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "bio", "website"}
    user.refresh_from_db()
    assert user.name == "Alice Liddell"


# --- API ------------------------------------------------------------------


def test_api_get_user_by_id_or_username(api_client, user):
    by_id = api_client.get(f"/api/v1/users/{user.pk}").json()["user"]
    by_name = api_client.get("/api/v1/users/ALICE").json()["user"]
    assert by_id == by_name
    assert by_id["id"] == str(user.pk)
    assert set(by_id) == {
        "id", "username", "name", "bio", "location", "website", "avatarUrl", "headerUrl", "isPrivate", "createdAt",
        "followersCount", "followingCount", "relationship", "pinnedTweet",
    }  # fmt: skip
    assert by_id["relationship"] is None  # anonymous callers have none
    assert by_id["pinnedTweet"] is None  # nothing pinned


def test_api_patch_own_profile(user_api, user):
    response = user_api.patch(
        f"/api/v1/users/{user.pk}", {"name": "Alice L.", "bio": "Hi", "isPrivate": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["user"]["name"] == "Alice L."
    assert response.json()["user"]["isPrivate"] is True
    user.refresh_from_db()
    assert (user.name, user.bio, user.is_private) == ("Alice L.", "Hi", True)


def test_api_put_needs_a_name(user_api, user):
    response = user_api.put("/api/v1/users/alice", {"bio": "Hi"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["fields"]


def test_api_patch_avatar_multipart(user_api, user):
    response = user_api.patch("/api/v1/users/alice", {"avatar": images.png_upload()}, format="multipart")
    assert response.status_code == 200
    assert response.json()["user"]["avatarUrl"].startswith("http://testserver/media/avatars/")


def test_api_patch_bad_avatar(user_api, user):
    response = user_api.patch("/api/v1/users/alice", {"avatar": images.text_pretending_to_be_png()}, format="multipart")
    assert response.status_code == 400
    assert "avatar" in response.json()["fields"]
    assert stored_files() == []


def test_api_patch_oversize_avatar_is_413(user_api, user):
    response = user_api.patch(
        "/api/v1/users/alice", {"avatar": images.oversize_upload(settings.IMAGE_MAX_BYTES)}, format="multipart"
    )
    assert response.status_code == 413
    assert "or smaller" in response.json()["error"]
    assert stored_files() == []


def test_api_cannot_edit_someone_else(user_api, other_user):
    response = user_api.patch(f"/api/v1/users/{other_user.pk}", {"name": "Hacked"}, format="json")
    assert response.status_code == 403
    other_user.refresh_from_db()
    assert other_user.name == "Bob Builder"


def test_api_anonymous_cannot_edit(api_client, user):
    response = api_client.patch("/api/v1/users/alice", {"name": "Hacked"}, format="json")
    assert response.status_code == 401
    assert User.objects.get(pk=user.pk).name == "Alice Liddell"
