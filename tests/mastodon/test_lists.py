"""Mastodon's lists over timelines.lists_services and lists_selectors (issue 22)."""

import pytest

from social.graph import services as graph_services
from tests.factories import UserFactory
from tests.mastodon.helpers import link_of, masto
from tests.tweets.helpers import post
from timelines import lists_services
from timelines.models import List, ListMember

pytestmark = pytest.mark.django_db


def test_create_read_rename_delete(user):
    api = masto(user)
    made = api.post("/api/v1/lists", {"title": "Birds"}, format="json")
    assert made.status_code == 200
    body = made.json()
    assert body["title"] == "Birds" and body["replies_policy"] == "list"
    lst = List.objects.get(pk=body["id"])
    assert lst.owner == user and lst.is_private  # Mastodon's lists are the owner's alone
    assert api.get("/api/v1/lists").json() == [body]
    assert api.get(f"/api/v1/lists/{lst.pk}").json() == body
    assert api.put(f"/api/v1/lists/{lst.pk}", {"title": "Trees"}).json()["title"] == "Trees"
    assert api.delete(f"/api/v1/lists/{lst.pk}").status_code == 200
    assert not List.objects.filter(pk=lst.pk).exists()


def test_bad_input_is_422_and_changes_nothing(user):
    api = masto(user)
    assert api.post("/api/v1/lists", {"title": ""}, format="json").status_code == 422
    assert api.post("/api/v1/lists", {"title": "x" * 26}, format="json").status_code == 422
    assert api.post("/api/v1/lists", {}, format="json").status_code == 422
    assert not List.objects.exists()
    lst = lists_services.list_create(owner=user, name="Mine")
    response = api.put(f"/api/v1/lists/{lst.pk}", {"title": "  "}, format="json")
    assert response.status_code == 422 and "error" in response.json()
    lst.refresh_from_db()
    assert lst.name == "Mine"
    assert api.post(f"/api/v1/lists/{lst.pk}/accounts", {}, format="json").status_code == 422
    one = UserFactory()
    ids = {"account_ids": [one.pk, 999999]}
    assert api.post(f"/api/v1/lists/{lst.pk}/accounts", ids, format="json").status_code == 404
    assert not ListMember.objects.exists()  # all or none


def test_someone_elses_list_is_404(user):
    theirs = lists_services.list_create(owner=UserFactory(), name="Theirs")  # public in Chirp
    api = masto(user)
    for path in (f"/api/v1/lists/{theirs.pk}", f"/api/v1/lists/{theirs.pk}/accounts",
                 f"/api/v1/timelines/list/{theirs.pk}", "/api/v1/lists/nope"):  # fmt: skip
        assert api.get(path).status_code == 404, path
    assert api.put(f"/api/v1/lists/{theirs.pk}", {"title": "Mine"}).status_code == 404
    assert api.delete(f"/api/v1/lists/{theirs.pk}").status_code == 404
    assert List.objects.get(pk=theirs.pk).name == "Theirs"


def test_accounts_add_list_remove_and_paging(user, django_assert_max_num_queries):
    lst = lists_services.list_create(owner=user, name="People")
    people = [UserFactory() for _ in range(4)]
    api = masto(user)
    added = api.post(f"/api/v1/lists/{lst.pk}/accounts", {"account_ids": [p.pk for p in people]}, format="json")
    assert added.status_code == 200
    assert ListMember.objects.filter(list=lst).count() == 4
    with django_assert_max_num_queries(10):
        page = api.get(f"/api/v1/lists/{lst.pk}/accounts", {"limit": 3})
    assert [a["id"] for a in page.json()] == [str(p.pk) for p in people[:0:-1]]
    assert [a["id"] for a in api.get(link_of(page, "next")).json()] == [str(people[0].pk)]
    assert [x["id"] for x in api.get(f"/api/v1/accounts/{people[0].pk}/lists").json()] == [str(lst.pk)]
    gone = api.delete(f"/api/v1/lists/{lst.pk}/accounts", {"account_ids": [people[0].pk]}, format="json")
    assert gone.status_code == 200
    assert api.get(f"/api/v1/accounts/{people[0].pk}/lists").json() == []
    blocked = UserFactory()
    graph_services.block_create(blocker=user, blocked=blocked)
    refused = api.post(f"/api/v1/lists/{lst.pk}/accounts", {"account_ids": [people[0].pk, blocked.pk]}, format="json")
    assert refused.status_code == 404  # a blocked account is not there for the caller
    assert ListMember.objects.filter(list=lst).count() == 3  # nor was the first one added


def test_list_timeline_pages_both_ways(user, django_assert_max_num_queries):
    lst = lists_services.list_create(owner=user, name="Feed")
    member = UserFactory()
    lists_services.list_member_add(actor=user, lst=lst, member=member)
    posts = [post(member, f"p{i}") for i in range(5)]
    post(UserFactory(), "not a member")
    api = masto(user)
    api.get(f"/api/v1/timelines/list/{lst.pk}")  # the first read may build the list's timeline
    with django_assert_max_num_queries(14):
        page = api.get(f"/api/v1/timelines/list/{lst.pk}", {"limit": 3})
    assert [s["id"] for s in page.json()] == [str(p.pk) for p in posts[:1:-1]]
    assert [s["id"] for s in api.get(link_of(page, "next")).json()] == [str(posts[1].pk), str(posts[0].pk)]
    newer = api.get(f"/api/v1/timelines/list/{lst.pk}", {"min_id": posts[2].pk}).json()
    assert [s["id"] for s in newer] == [str(posts[4].pk), str(posts[3].pk)]


def test_scopes(user):
    lst = lists_services.list_create(owner=user, name="Scoped")
    reader = masto(user, "read:lists")
    assert reader.get("/api/v1/lists").status_code == 200
    assert reader.get(f"/api/v1/timelines/list/{lst.pk}").status_code == 200
    assert reader.post("/api/v1/lists", {"title": "No"}).status_code == 403
    assert masto(user, "write:lists").get("/api/v1/lists").status_code == 403
    assert masto(user, "read:statuses").get(f"/api/v1/accounts/{user.pk}/lists").status_code == 403
    assert masto(user, "write:lists").post("/api/v1/lists", {"title": "Yes"}).status_code == 200
