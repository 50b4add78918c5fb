"""The conversation page: ancestors, the tweet, and its replies, paginated."""

import pytest

from tests.tweets.helpers import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(user, other_user):
    root = post(user, "root of the thread")
    middle = post(other_user, "middle reply", reply_to_id=root.pk)
    leaf = post(user, "leaf reply", reply_to_id=middle.pk)
    replies = [post(other_user, f"answer {i}", reply_to_id=leaf.pk) for i in range(3)]
    return root, middle, leaf, replies


def test_page_shows_ancestors_tweet_and_replies_in_order(client, thread):
    _root, _middle, leaf, _replies = thread
    html = client.get(f"/@alice/status/{leaf.pk}").content.decode()
    html = html[html.index("<main") :]  # the title also quotes the post
    order = [html.index(text) for text in ("root of the thread", "middle reply", "leaf reply", "answer 0", "answer 2")]
    assert order == sorted(order)
    assert 'Replying to <a href="/@bob">@bob</a>' in html


def test_replies_paginate(client, thread):
    *_, leaf, _replies = thread
    first = client.get(f"/@alice/status/{leaf.pk}", {"limit": 2})
    assert [t.text for t in first.context["tweets"]] == ["answer 0", "answer 1"]
    cursor = first.context["next_cursor"]
    assert f'href="?cursor={cursor}"' in first.content.decode()
    rest = client.get(f"/@alice/status/{leaf.pk}", {"limit": 2, "cursor": cursor}, HTTP_HX_REQUEST="true")
    assert "answer 2" in rest.content.decode() and "answer 0" not in rest.content.decode()


def test_replies_api_pages_without_gaps_or_duplicates(api_client, thread):
    *_, leaf, _replies = thread
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api_client.get(f"/api/v1/tweets/{leaf.pk}/replies", query).json()
        seen += [t["text"] for t in body["replies"]]
        cursor = body["nextCursor"]
        if cursor is None:
            break
    assert seen == ["answer 0", "answer 1", "answer 2"]


def test_a_deleted_ancestor_is_marked(client, thread):
    _root, middle, leaf, _ = thread
    middle.delete()
    html = client.get(f"/@alice/status/{leaf.pk}").content.decode()
    assert "This post was deleted" in html
    assert "leaf reply" in html


def test_wrong_username_redirects_to_the_real_one(client, thread):
    root, *_ = thread
    response = client.get(f"/@bob/status/{root.pk}")
    assert response.status_code == 301 and response["Location"] == f"/@alice/status/{root.pk}"


def test_unknown_tweet_is_404(client, db):
    assert client.get("/@alice/status/12345").status_code == 404
