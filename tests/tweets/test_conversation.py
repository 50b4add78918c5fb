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


# --- self-threads: someone replying to their own posts ---------------------------


@pytest.fixture
def self_thread(user, other_user):
    first = post(user, "thread part one")
    second = post(user, "thread part two", reply_to_id=first.pk)
    answer = post(other_user, "an answer to part one", reply_to_id=first.pk)
    third = post(user, "thread part three", reply_to_id=second.pk)
    aside = post(user, "a second reply of mine to part one", reply_to_id=first.pk)  # not the thread: its first is
    return first, second, third, answer, aside


def _main(html: str) -> str:
    return html[html.index("<main") :]


def test_a_self_thread_reads_as_one_on_its_first_posts_page(client, self_thread):
    first, second, third, answer, aside = self_thread
    response = client.get(f"/@alice/status/{first.pk}")
    html = _main(response.content.decode())
    assert [t.pk for t in response.context["continuation"]] == [second.pk, third.pk]
    order = [html.index(text) for text in ("thread part one", "thread part two", "thread part three", "an answer")]
    assert order == sorted(order)
    assert html.count("thread part two") == 1  # the next part left the replies below
    assert [t.pk for t in response.context["tweets"]] == [answer.pk, aside.pk]
    # The parts don't each say "Replying to @alice", and the page doesn't offer itself again.
    thread = html.split(f'id="tweet-{answer.pk}"')[0]
    assert "Replying to" not in thread and "Show this thread" not in thread


def test_a_middle_part_shows_the_thread_above_and_below(client, self_thread):
    _first, second, _third, *_ = self_thread
    html = _main(client.get(f"/@alice/status/{second.pk}").content.decode())
    order = [html.index(text) for text in ("thread part one", "thread part two", "thread part three")]
    assert order == sorted(order)
    assert "Replying to" not in html


def test_timelines_offer_show_this_thread(client, self_thread, other_user):
    first, second, *_ = self_thread
    html = client.get("/@alice").content.decode()  # signed out: the flag doesn't need a viewer
    card = html[html.index(f'id="tweet-{first.pk}"') :]
    card = card[: card.index("</article>")]
    assert f'<a class="tweet-show-thread" href="/@alice/status/{first.pk}">Show this thread</a>' in card
    client.force_login(other_user)
    replies_tab = client.get("/@alice/replies").content.decode()
    part = replies_tab[replies_tab.index(f'id="tweet-{second.pk}"') :]
    part = part[: part.index("</article>")]
    assert "Show this thread" in part and "Replying to" not in part
    # Bob's answer is a reply to someone else: it says whom it answers, and is no thread.
    bobs = client.get("/@bob/replies").content.decode()
    assert 'Replying to <a href="/@alice">@alice</a>' in bobs and "Show this thread" not in bobs


def test_a_deleted_part_ends_the_thread_there(client, self_thread):
    first, second, _third, _answer, aside = self_thread
    second.delete()
    response = client.get(f"/@alice/status/{first.pk}")
    assert [t.pk for t in response.context["continuation"]] == [aside.pk]  # now the first reply of mine
    assert "thread part three" not in _main(response.content.decode())
