"""Lists over the API: CRUD, members, the timeline, and every refusal (docs/API.md "Lists")."""

import pytest

from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post
from timelines.models import List, ListMember

pytestmark = pytest.mark.django_db

LIST_KEYS = {"id", "name", "description", "private", "memberCount", "owner", "createdAt"}


@pytest.fixture
def make_list(user_api):
    def make(name="Friends", **body):
        response = user_api.post("/api/v1/lists", {"name": name, **body}, format="json")
        assert response.status_code == 201, response.json()
        return response.json()["list"]

    return make


def test_create_read_update_delete(user_api, user, make_list):
    created = make_list("Birds", description="Only birds", private=True)
    assert set(created) == LIST_KEYS
    assert created["name"] == "Birds" and created["private"] is True and created["memberCount"] == 0
    assert created["owner"]["username"] == user.username
    url = f"/api/v1/lists/{created['id']}"
    assert user_api.get(url).json()["list"]["description"] == "Only birds"
    changed = user_api.patch(url, {"name": "Birbs", "private": False}, format="json").json()["list"]
    assert changed["name"] == "Birbs" and changed["private"] is False and changed["description"] == "Only birds"
    mine = user_api.get("/api/v1/lists").json()
    assert set(mine) == {"lists", "nextCursor"} and [item["id"] for item in mine["lists"]] == [created["id"]]
    assert user_api.delete(url).json() == {"message": "The list was deleted."}
    assert user_api.get(url).status_code == 404
    assert not List.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x" * 26}, "name"),
        ({"name": "   "}, "name"),
        ({"name": ""}, "name"),
        ({}, "name"),
        ({"name": 5}, "name"),
        ({"name": "ok", "description": "d" * 101}, "description"),
        ({"name": "ok", "private": "yes"}, "private"),
        ({"name": "a\x00b"}, "name"),
        ({"name": "x" * 100_000}, "name"),
    ],
)
def test_create_refuses_bad_input_and_changes_nothing(user_api, body, field):
    response = user_api.post("/api/v1/lists", body, format="json")
    assert response.status_code == 400 and response.json()["error"]
    if not any(
        "\x00" in str(value) for value in body.values()
    ):  # a NUL byte is refused for the whole request, before any field
        assert field in response.json()["fields"]
    assert not List.objects.exists()


def test_create_is_idempotent_with_a_key(user_api):
    headers = {"HTTP_IDEMPOTENCY_KEY": "k-1"}
    first = user_api.post("/api/v1/lists", {"name": "One"}, format="json", **headers)
    again = user_api.post("/api/v1/lists", {"name": "One"}, format="json", **headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert List.objects.count() == 1


def test_the_thousand_and_first_list_is_refused(user_api, user):
    List.objects.bulk_create([List(owner=user, name=f"l{i}") for i in range(List.MAX_PER_OWNER)])
    response = user_api.post("/api/v1/lists", {"name": "one more"}, format="json")
    assert response.status_code == 409 and "1,000 lists" in response.json()["error"]
    assert List.objects.count() == List.MAX_PER_OWNER


def test_members_add_list_and_remove(user_api, make_list, ann, ben):
    lst = make_list()
    url = f"/api/v1/lists/{lst['id']}/members"
    assert user_api.post(url, {"userId": str(ann.pk)}, format="json").json()["list"]["memberCount"] == 1
    assert user_api.post(url, {"userId": ben.username}, format="json").json()["list"]["memberCount"] == 2
    again = user_api.post(url, {"userId": str(ann.pk)}, format="json")  # idempotent
    assert again.status_code == 200 and again.json()["list"]["memberCount"] == 2
    members = user_api.get(url).json()
    assert [u["username"] for u in members["users"]] == [ben.username, ann.username]
    gone = user_api.delete(f"{url}/{ann.pk}").json()["list"]
    assert gone["memberCount"] == 1
    assert user_api.delete(f"{url}/{ben.username}").json()["list"]["memberCount"] == 0
    user_api.post(url, {"userId": ben.username}, format="json")
    assert user_api.delete(f"{url}/{ann.pk}").json()["list"]["memberCount"] == 1  # idempotent


@pytest.mark.parametrize("user_id", ["nobody_here", "999999999", "", 7, None, "a\x00"])
def test_adding_someone_who_does_not_exist_is_refused(user_api, make_list, user_id):
    lst = make_list()
    response = user_api.post(f"/api/v1/lists/{lst['id']}/members", {"userId": user_id}, format="json")
    assert response.status_code in (400, 404)
    assert not ListMember.objects.exists()


def test_adding_someone_who_blocked_you_is_refused_without_saying_so(
    user_api, user, make_list, ann, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        social.block_create(blocker=ann, blocked=user)
    lst = make_list()
    response = user_api.post(f"/api/v1/lists/{lst['id']}/members", {"userId": ann.username}, format="json")
    assert response.status_code == 403
    assert "block" not in response.json()["error"].lower()
    assert not ListMember.objects.exists()


def test_adding_someone_you_blocked_says_unblock_first(
    user_api, user, make_list, ann, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        social.block_create(blocker=user, blocked=ann)
    lst = make_list()
    response = user_api.post(f"/api/v1/lists/{lst['id']}/members", {"userId": ann.username}, format="json")
    assert response.status_code == 403 and "Unblock" in response.json()["error"]
    assert not ListMember.objects.exists()


def test_the_thousand_and_first_member_is_refused(user_api, user, make_list):
    lst = make_list()
    people = UserFactory.create_batch(3)
    row = List.objects.get(pk=lst["id"])
    ListMember.objects.bulk_create([ListMember(list=row, user=p) for p in people[:2]])
    # The cap is checked against the count kept on the list: stand in for 998 more members.
    List.objects.filter(pk=row.pk).update(member_count=List.MAX_MEMBERS)
    response = user_api.post(f"/api/v1/lists/{lst['id']}/members", {"userId": str(people[2].pk)}, format="json")
    assert response.status_code == 409 and "1,000 members" in response.json()["error"]
    assert ListMember.objects.count() == 2


def test_only_the_owner_writes_and_a_private_list_is_404_to_others(make_list, api_as, ann, ben):
    public, private = make_list("Open"), make_list("Secret", private=True)
    other = api_as(ann)
    for lst, status in ((public, 403), (private, 404)):
        url = f"/api/v1/lists/{lst['id']}"
        assert other.patch(url, {"name": "mine now"}, format="json").status_code == status
        assert other.delete(url).status_code == status
        assert other.post(f"{url}/members", {"userId": str(ben.pk)}, format="json").status_code == status
        assert other.delete(f"{url}/members/{ben.pk}").status_code == status
    assert other.get(f"/api/v1/lists/{public['id']}").status_code == 200
    for path in ("", "/members", "/timeline"):
        assert other.get(f"/api/v1/lists/{private['id']}{path}").status_code == 404
    assert List.objects.filter(name="mine now").count() == 0 and not ListMember.objects.exists()


def test_others_see_only_public_lists_of_a_person(make_list, api_as, ann, user):
    make_list("Open")
    make_list("Secret", private=True)
    seen = api_as(ann).get("/api/v1/lists", {"user": user.username}).json()["lists"]
    assert [item["name"] for item in seen] == ["Open"]


@pytest.mark.parametrize("path", ["", "/members", "/timeline"])
@pytest.mark.parametrize("list_id", ["abc", "0", "99999999999999999999999"])
def test_unknown_list_ids_are_404(user_api, path, list_id):
    assert user_api.get(f"/api/v1/lists/{list_id}{path}").status_code == 404


def test_list_timeline_shows_members_posts_newest_first(
    user_api, make_list, ann, ben, django_capture_on_commit_callbacks
):
    lst = make_list()
    url = f"/api/v1/lists/{lst['id']}"
    user_api.post(f"{url}/members", {"userId": str(ann.pk)}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        post(ann, "a1")
        post(ben, "b1")  # not a member
        post(ann, "a2")
    first = user_api.get(f"{url}/timeline", {"limit": 1}).json()
    assert set(first) == {"tweets", "nextCursor"} and [t["text"] for t in first["tweets"]] == ["a2"]
    rest = user_api.get(f"{url}/timeline", {"cursor": first["nextCursor"]}).json()
    assert [t["text"] for t in rest["tweets"]] == ["a1"] and rest["nextCursor"] is None


def test_list_api_needs_auth(api_client):
    assert api_client.get("/api/v1/lists").status_code == 401
    assert api_client.post("/api/v1/lists", {"name": "x"}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x" * 26}, "name"),
        ({"name": "  "}, "name"),
        ({"name": None}, "name"),
        ({"description": "d" * 101}, "description"),
        ({"description": ["a"]}, "description"),
        ({"private": 1}, "private"),
    ],
)
def test_update_refuses_bad_input_and_changes_nothing(user_api, make_list, body, field):
    lst = make_list("Keep", description="as is")
    response = user_api.patch(f"/api/v1/lists/{lst['id']}", body, format="json")
    assert response.status_code == 400 and field in response.json()["fields"]
    row = List.objects.get()
    assert (row.name, row.description, row.is_private) == ("Keep", "as is", False)


def test_removing_with_a_malformed_user_id_changes_nothing(user_api, user, make_list, ann):
    lst = make_list()
    user_api.post(f"/api/v1/lists/{lst['id']}/members", {"userId": str(ann.pk)}, format="json")
    response = user_api.delete(f"/api/v1/lists/{lst['id']}/members/not-an-id")
    assert response.status_code == 200 and response.json()["list"]["memberCount"] == 1


def test_member_add_with_the_same_idempotency_key_replays(user_api, make_list, ann, ben):
    lst = make_list()
    url, headers = f"/api/v1/lists/{lst['id']}/members", {"HTTP_IDEMPOTENCY_KEY": "m-1"}
    first = user_api.post(url, {"userId": str(ann.pk)}, format="json", **headers)
    assert first.status_code == 200
    other = user_api.post(url, {"userId": str(ben.pk)}, format="json", **headers)  # same key, other body
    assert other.status_code == 409 and ListMember.objects.count() == 1


def test_public_lists_are_readable_without_signing_in(
    api_client, make_list, user, ann, django_capture_on_commit_callbacks
):
    lst = make_list("Open")
    with django_capture_on_commit_callbacks(execute=True):
        post(user, "owner posted")
    assert api_client.get(f"/api/v1/lists/{lst['id']}").json()["list"]["name"] == "Open"
    assert api_client.get(f"/api/v1/lists/{lst['id']}/timeline").json() == {"tweets": [], "nextCursor": None}
    assert api_client.patch(f"/api/v1/lists/{lst['id']}", {"name": "x"}, format="json").status_code == 401
    assert [x["name"] for x in api_client.get("/api/v1/lists", {"user": user.username}).json()["lists"]] == ["Open"]
