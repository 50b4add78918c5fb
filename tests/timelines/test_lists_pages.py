"""List pages: my lists and the create form, a list's timeline, edit, members, and "Add to lists" on a profile."""

import pytest
from django.test import Client

from social.graph import services as social
from tests.factories import UserFactory
from tests.tweets.helpers import post
from timelines import lists_services
from timelines.models import List, ListMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def my_list(user):
    return lists_services.list_create(owner=user, name="Birds", description="Birds only")


def test_lists_page_creates_a_list_from_the_form(client_logged_in, user):
    page = client_logged_in.get("/lists")
    assert page.status_code == 200 and "No lists yet" in page.content.decode()
    response = client_logged_in.post("/lists", {"name": "Friends", "description": "", "private": "on"})
    lst = List.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/lists/{lst.pk}"
    assert lst.is_private and lst.owner == user
    assert "Friends" in client_logged_in.get("/lists").content.decode()


@pytest.mark.parametrize("name", ["", "   ", "x" * 26])
def test_lists_page_shows_bad_names_on_the_form(client_logged_in, name):
    response = client_logged_in.post("/lists", {"name": name})
    assert response.status_code == 400 and 'class="field-error"' in response.content.decode()
    assert not List.objects.exists()


def test_lists_page_needs_login(client):
    assert client.get("/lists").status_code == 302


def test_list_page_shows_members_posts(client_logged_in, my_list, user, ann, ben, django_capture_on_commit_callbacks):
    lists_services.list_member_add(actor=user, lst=my_list, member=ann)
    with django_capture_on_commit_callbacks(execute=True):
        post(ann, "from ann")
        post(ben, "from ben")
    html = client_logged_in.get(f"/lists/{my_list.pk}").content.decode()
    assert "from ann" in html and "from ben" not in html
    assert "Edit list" in html and f'data-list-id="{my_list.pk}"' in html


def test_new_posts_banner_loads_newer_list_entries(
    client_logged_in, my_list, user, ann, django_capture_on_commit_callbacks
):
    lists_services.list_member_add(actor=user, lst=my_list, member=ann)
    with django_capture_on_commit_callbacks(execute=True):
        first = post(ann, "older")
        post(ann, "newer")
    html = client_logged_in.get(f"/lists/{my_list.pk}/newer", {"since": first.pk}).content.decode()
    assert "newer" in html and "older" not in html


def test_edit_and_delete_are_the_owners(client_logged_in, my_list, ann):
    response = client_logged_in.post(f"/lists/{my_list.pk}/edit", {"name": "Birbs", "description": "d"})
    assert response.status_code == 302
    my_list.refresh_from_db()
    assert my_list.name == "Birbs"
    other = Client()
    other.force_login(ann)
    assert other.get(f"/lists/{my_list.pk}/edit").status_code == 404
    assert other.post(f"/lists/{my_list.pk}/delete").status_code == 404
    assert List.objects.filter(pk=my_list.pk).exists()
    assert client_logged_in.post(f"/lists/{my_list.pk}/delete").status_code == 302
    assert not List.objects.exists()


def test_profile_menu_links_to_add_to_lists(client_logged_in, ann):
    html = client_logged_in.get(f"/@{ann.username}").content.decode()
    assert f'href="/lists/for/{ann.username}"' in html and "Add to/remove from lists" in html


def test_add_and_remove_from_a_profile_with_htmx_and_without(client_logged_in, my_list, ann):
    page = client_logged_in.get(f"/lists/for/{ann.username}").content.decode()
    assert "Birds" in page and f"/lists/{my_list.pk}/members/{ann.username}/add" in page
    added = client_logged_in.post(f"/lists/{my_list.pk}/members/{ann.username}/add", HTTP_HX_REQUEST="true")
    assert added.status_code == 200 and 'aria-pressed="true"' in added.content.decode()
    assert ListMember.objects.filter(list=my_list, user=ann).exists()
    removed = client_logged_in.post(
        f"/lists/{my_list.pk}/members/{ann.username}/remove", {"next": f"/lists/for/{ann.username}"}
    )
    assert removed.status_code == 302 and removed["Location"] == f"/lists/for/{ann.username}"
    assert not ListMember.objects.exists()


def test_adding_someone_who_blocked_you_from_the_page_is_refused_without_saying_so(
    client_logged_in, user, my_list, ann, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        social.block_create(blocker=ann, blocked=user)
    response = client_logged_in.post(f"/lists/{my_list.pk}/members/{ann.username}/add", HTTP_HX_REQUEST="true")
    assert response.status_code == 403 and "block" not in response.content.decode().lower()
    assert not ListMember.objects.exists()


def test_member_actions_on_others_lists_or_unknown_actions_are_404(client, my_list, ann, ben):
    client.force_login(ann)
    assert client.post(f"/lists/{my_list.pk}/members/{ben.username}/add").status_code == 404
    assert not ListMember.objects.exists()


def test_members_page_lists_members_with_remove_for_the_owner(client_logged_in, user, my_list, ann):
    lists_services.list_member_add(actor=user, lst=my_list, member=ann)
    html = client_logged_in.get(f"/lists/{my_list.pk}/members").content.decode()
    assert f"@{ann.username}" in html and "Remove" in html
    other = Client()
    other.force_login(UserFactory())
    html = other.get(f"/lists/{my_list.pk}/members").content.decode()
    assert f"@{ann.username}" in html and "Remove<" not in html


def test_private_list_pages_are_404_to_others(client, user, ann):
    secret = lists_services.list_create(owner=user, name="Secret", is_private=True)
    client.force_login(ann)
    for path in ("", "/members", "/newer?since=1", "/edit"):
        assert client.get(f"/lists/{secret.pk}{path}").status_code == 404
    client.logout()
    assert client.get(f"/lists/{secret.pk}").status_code == 404
