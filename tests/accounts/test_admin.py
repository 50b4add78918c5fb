"""The Moderators group and the user admin."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("migration_data")]


def test_moderators_group_has_least_privilege():
    group = Group.objects.get(name="Moderators")
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "change_report", "change_user", "view_moderationaction", "view_report", "view_user",
    ]  # fmt: skip


def test_moderator_can_search_and_filter_users(client, moderator, user, other_user):
    client.force_login(moderator)
    response = client.get("/admin/accounts/user/", {"q": "alice", "is_private__exact": "0"})
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert [u.username for u in changelist.result_list] == ["alice"]
    filters = {getattr(spec, "field_path", None) for spec in changelist.filter_specs}
    assert {"is_active", "is_private", "is_staff", "date_joined"} <= filters


def test_moderator_sees_no_password_or_permissions(client, moderator, user):
    client.force_login(moderator)
    html = client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="bio"' in html
    for hidden in ('name="is_superuser"', 'name="user_permissions"', 'name="groups"', "password/"):
        assert hidden not in html


def test_moderator_cannot_change_staff_or_reach_groups(client, moderator):
    admin = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(moderator)
    response = client.post(f"/admin/accounts/user/{admin.pk}/change/", {"username": "boss", "name": "pwned"})
    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.name != "pwned"
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get(f"/admin/accounts/user/{admin.pk}/password/").status_code in (403, 404)


def test_moderator_cannot_set_anyones_password(client, moderator, user):
    client.force_login(moderator)
    old = user.password
    url = f"/admin/accounts/user/{user.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "Another-pass-99", "password2": "Another-pass-99"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.password == old
    for superuser_only in ("/admin/accounts/user/add/", "/admin/knox/authtoken/", "/admin/auth/group/add/"):
        assert client.get(superuser_only).status_code == 403, superuser_only


def test_moderator_can_edit_a_profile_and_it_is_in_the_audit_log(client, moderator, user):
    from social.moderation.models import ModerationAction

    client.force_login(moderator)
    response = client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {"name": "Alice (edited)", "bio": "", "location": "", "website": "", "who_can_message": "everyone"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "Alice (edited)"
    logged = ModerationAction.objects.get(action="edit_user", target_user=user)
    assert logged.moderator == moderator
    assert "name: 'Alice Liddell' → 'Alice (edited)'" in logged.snapshot


def test_privacy_is_not_a_moderators_to_change(client, moderator, user):
    client.force_login(moderator)
    page = client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="is_private"' not in page and 'name="who_can_message"' not in page  # shown, not editable
    client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "name": user.name,
            "bio": "",
            "location": "",
            "website": "",
            "is_private": "on",
            "who_can_message": "following",
        },
    )
    user.refresh_from_db()
    assert user.is_private is False and user.who_can_message == "everyone"


def test_owner_settings_are_refused_by_the_service_too(moderator, user):
    from config.kernel.errors import Forbidden
    from social.moderation.services import user_edit

    user.is_private = True
    with pytest.raises(Forbidden):
        user_edit(moderator=moderator, user=user, fields=["is_private"])
    user.refresh_from_db()
    assert user.is_private is False
