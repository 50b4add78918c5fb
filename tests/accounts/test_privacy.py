import pytest

pytestmark = pytest.mark.django_db


def test_private_flag_set_through_the_settings_page(client_logged_in, api_client, user):
    page = client_logged_in.get("/settings/privacy")
    assert page.status_code == 200
    assert 'name="is_private"' in page.content.decode()

    response = client_logged_in.post("/settings/privacy", {"is_private": "on", "who_can_message": "following"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_private is True
    assert user.who_can_message == "following"
    assert api_client.get("/api/v1/users/alice").json()["user"]["isPrivate"] is True
    assert "Private account" in client_logged_in.get("/@alice").content.decode()


def test_privacy_page_rejects_unknown_choice(client_logged_in, user):
    response = client_logged_in.post("/settings/privacy", {"who_can_message": "nobody-at-all"})
    assert response.status_code == 400
    assert "who_can_message" in response.context["form"].errors
    user.refresh_from_db()
    assert user.who_can_message == "everyone"
