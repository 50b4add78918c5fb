"""Follow, unfollow, follow requests for private accounts, and the lists."""

import pytest

from accounts import services as account_services
from social.graph.models import Follow, FollowRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def counts(user):
    user.refresh_from_db()
    return user.followers_count, user.following_count


def test_follow_and_unfollow_are_idempotent_and_counted(user_api, user, other_user):
    assert user_api.post("/api/v1/users/bob/follow").json() == {"state": "following"}
    assert user_api.post("/api/v1/users/bob/follow").json() == {"state": "following"}
    assert Follow.objects.count() == 1
    assert counts(other_user) == (1, 0) and counts(user) == (0, 1)
    assert user_api.post("/api/v1/users/bob/unfollow").json() == {"state": "none"}
    assert user_api.post("/api/v1/users/bob/unfollow").json() == {"state": "none"}
    assert counts(other_user) == (0, 0) and counts(user) == (0, 0)


def test_following_yourself_is_403(user_api, user):
    response = user_api.post(f"/api/v1/users/{user.pk}/follow")
    assert response.status_code == 403  # a well-formed request, refused
    assert response.json() == {"error": "You can't follow yourself."}
    assert not Follow.objects.exists()


def test_following_a_missing_user_is_404(user_api):
    assert user_api.post("/api/v1/users/nobody/follow").status_code == 404
    assert user_api.post("/api/v1/users/999999/follow").status_code == 404


def test_following_needs_auth(api_client, other_user):
    assert api_client.post("/api/v1/users/bob/follow").status_code == 401


def test_private_account_gets_a_request_it_can_approve(user_api, api_as, user, other_user):
    other_user.is_private = True
    other_user.save()
    assert user_api.post("/api/v1/users/bob/follow").json() == {"state": "requested"}
    assert not Follow.objects.exists()
    bob_api = api_as(other_user)
    listed = bob_api.get("/api/v1/follow-requests").json()
    assert listed["nextCursor"] is None
    (request,) = listed["requests"]
    assert set(request) == {"id", "user", "createdAt"} and request["user"]["username"] == "alice"
    response = bob_api.post(f"/api/v1/follow-requests/{request['id']}/approve")
    assert response.status_code == 200 and "message" in response.json()
    assert Follow.objects.filter(follower=user, followee=other_user).exists()
    assert not FollowRequest.objects.exists()
    assert user_api.post("/api/v1/users/bob/follow").json() == {"state": "following"}


def test_deny_and_cancel(user_api, api_as, user, other_user):
    other_user.is_private = True
    other_user.save()
    user_api.post("/api/v1/users/bob/follow")
    request_id = FollowRequest.objects.get().pk
    assert api_as(other_user).post(f"/api/v1/follow-requests/{request_id}/deny").status_code == 200
    assert not FollowRequest.objects.exists() and not Follow.objects.exists()
    user_api.post("/api/v1/users/bob/follow")
    assert user_api.post("/api/v1/users/bob/unfollow").json() == {"state": "none"}  # the requester withdraws
    assert not FollowRequest.objects.exists()


def test_only_the_target_can_approve(user_api, api_as, user, other_user):
    other_user.is_private = True
    other_user.save()
    carol = UserFactory(username="carol")
    user_api.post("/api/v1/users/bob/follow")
    request_id = FollowRequest.objects.get().pk
    for intruder in (api_as(carol), user_api):
        response = intruder.post(f"/api/v1/follow-requests/{request_id}/approve")
        assert response.status_code == 403
        assert "Only the account that was asked" in response.json()["error"]
    assert not Follow.objects.exists() and FollowRequest.objects.exists()
    assert user_api.post("/api/v1/follow-requests/424242/approve").status_code == 404


def test_turning_public_accepts_pending_requests_and_turning_private_keeps_followers(user, other_user):
    carol = UserFactory(username="carol")
    Follow.objects.create(follower=carol, followee=other_user)
    account_services.privacy_update(user=other_user, is_private=True)
    assert Follow.objects.filter(follower=carol, followee=other_user).exists()  # kept
    from social.graph import services

    assert services.follow_create(follower=user, followee=other_user) == "requested"
    account_services.privacy_update(user=other_user, is_private=False)
    assert Follow.objects.filter(follower=user, followee=other_user).exists()
    assert not FollowRequest.objects.exists()
    assert counts(other_user)[0] == 1  # carol's follow was made directly, alice's through the service


def test_follow_lists_are_cursor_paginated_with_relationships(user_api, api_client, user, other_user):
    fans = [UserFactory(username=f"fan{i}") for i in range(5)]
    for fan in fans:
        Follow.objects.create(follower=fan, followee=other_user)
    Follow.objects.create(follower=user, followee=fans[4])
    first = user_api.get("/api/v1/users/bob/followers", {"limit": 3}).json()
    assert [u["username"] for u in first["users"]] == ["fan4", "fan3", "fan2"]
    assert first["users"][0]["relationship"]["following"] is True
    assert first["users"][1]["relationship"]["following"] is False
    rest = user_api.get("/api/v1/users/bob/followers", {"limit": 3, "cursor": first["nextCursor"]}).json()
    assert [u["username"] for u in rest["users"]] == ["fan1", "fan0"] and rest["nextCursor"] is None
    following = api_client.get("/api/v1/users/fan0/following").json()
    assert [u["username"] for u in following["users"]] == ["bob"]


def test_profile_shows_counts_and_follow_button(client_logged_in, user, other_user):
    Follow.objects.create(follower=other_user, followee=user)
    html = client_logged_in.get("/@bob").content.decode()
    assert "Follow back" in html and "Follows you" in html
    response = client_logged_in.post("/@bob/follow", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Following" in response.content.decode()
    assert '<strong>1</strong> <span class="muted">Follower</span>' in client_logged_in.get("/@bob").content.decode()


def test_swapped_in_follow_button_comes_back_to_the_page(client_logged_in, other_user):
    here = {"HX-Request": "true", "HX-Current-URL": "http://testserver/explore"}
    html = client_logged_in.post("/@bob/follow", headers=here).content.decode()
    assert 'name="next" value="/explore"' in html and 'value="/@bob/follow"' not in html


def test_follow_form_without_javascript(client_logged_in, other_user):
    response = client_logged_in.post("/@bob/follow", {"next": "/@bob"})
    assert response.status_code == 302 and response["Location"] == "/@bob"
    assert Follow.objects.filter(followee=other_user).exists()


def test_followers_page_lists_people_with_buttons(client_logged_in, user, other_user):
    Follow.objects.create(follower=other_user, followee=user)
    html = client_logged_in.get("/@alice/followers").content.decode()
    assert "@bob" in html and "Follow back" in html


def test_follow_requests_page(client, user, other_user):
    user.is_private = True
    user.save()
    from social.graph import services

    services.follow_create(follower=other_user, followee=user)
    client.force_login(user)
    assert "@bob" in client.get("/follow-requests").content.decode()
    request_id = FollowRequest.objects.get().pk
    client.post(f"/follow-requests/{request_id}/approve")
    assert Follow.objects.filter(follower=other_user, followee=user).exists()
    client.force_login(other_user)
    assert client.post(f"/follow-requests/{request_id}/approve").status_code == 404


def test_you_see_your_private_followers_others_do_not(user_api, api_client, user):
    carol = UserFactory(username="carol", is_private=True)
    Follow.objects.create(follower=carol, followee=user)
    assert [u["username"] for u in user_api.get("/api/v1/users/alice/followers").json()["users"]] == ["carol"]
    assert api_client.get("/api/v1/users/alice/followers").json()["users"] == []


def test_reconcile_follow_counts(user, other_user):
    from accounts.models import User
    from social.graph import services, tasks

    services.follow_create(follower=user, followee=other_user)
    User.objects.filter(pk=other_user.pk).update(followers_count=9)
    User.objects.filter(pk=user.pk).update(following_count=0)
    assert tasks.reconcile_follow_counts() == 2
    assert counts(other_user) == (1, 0) and counts(user) == (0, 1)
    assert tasks.reconcile_follow_counts() == 0
