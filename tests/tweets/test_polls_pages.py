"""Polls on the pages: the compose form's "Add poll", the poll in the card, voting with and without htmx,
and a page of cards with polls costing one query more than one without, whatever its size."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import poll_votes
from tweets.models import Poll, PollVote, Tweet

pytestmark = pytest.mark.django_db


def poll_post(author, text="Which pet?", choices=("Cats", "Dogs")):
    return post(author, text, poll_choices=list(choices), poll_duration=timedelta(days=1))


def compose(client, **fields):
    return client.post("/compose", {"text": "Pick one", "form_token": uuid.uuid4(), **fields})


# --- the compose form ----------------------------------------------------------------------------------


def test_the_compose_form_offers_a_poll_without_javascript(client_logged_in):
    html = client_logged_in.get("/").content.decode()
    assert "<summary>Add poll</summary>" in html
    for position in range(1, 5):
        assert f'<label for="id_poll_choice_{position}">Choice {position}' in html
    assert '<label for="id_poll_duration">Poll length</label>' in html
    for label in ("5 minutes", "30 minutes", "1 hour", "6 hours", "1 day", "3 days", "7 days"):
        assert f">{label}</option>" in html


def test_posting_a_poll_from_the_page(client_logged_in, user):
    response = compose(
        client_logged_in, poll_choice_1="Red", poll_choice_2="Blue", poll_choice_3=" ", poll_duration="30"
    )
    assert response.status_code == 302
    poll = Poll.objects.get(tweet__author=user)
    assert list(poll.choices.values_list("text", flat=True)) == ["Red", "Blue"]
    length = poll.closes_at - poll.tweet.created_at
    assert length == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"poll_choice_1": "Lonely"}, "A poll has 2 to 4 choices; this one has 1."),
        ({"poll_choice_1": "x" * 26, "poll_choice_2": "ok"}, "Choice 1 has 26 characters; at most 25."),
        ({"poll_choice_1": "a", "poll_choice_2": "b", "poll_duration": "2"}, "Select a valid choice."),
    ],
)
def test_a_bad_poll_on_the_page_is_a_form_error(client_logged_in, fields, message):
    response = compose(client_logged_in, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert message.replace("'", "&#x27;") in html
    assert '<details class="compose-poll" data-compose-poll open>' in html  # the error shows where it belongs
    assert Tweet.objects.count() == 0 and Poll.objects.count() == 0


# --- the poll in the card ----------------------------------------------------------------------------


@pytest.fixture
def poll(other_user):
    return poll_post(other_user)


def test_a_voter_to_be_sees_choices_and_a_vote_button_but_no_counts(client_logged_in, poll):
    html = client_logged_in.get(f"/@bob/status/{poll.pk}").content.decode()
    assert 'type="radio" name="choice" value="1"' in html and ">Vote</button>" in html
    assert "0 votes · 23 hours left" in html
    assert "poll-results" not in html


def test_voting_without_javascript_redirects_back_with_results(client_logged_in, poll):
    url = f"/@bob/status/{poll.pk}"
    response = client_logged_in.post(f"/tweets/{poll.pk}/poll/vote", {"choice": "2", "next": url}, follow=True)
    assert response.redirect_chain[-1][0] == url
    html = response.content.decode()
    assert "Your vote was counted." in html
    assert "poll-results" in html and "100%" in html and "(your vote)" in html
    assert 'name="choice"' not in html


def test_voting_with_htmx_answers_the_poll_with_results(client_logged_in, poll):
    response = client_logged_in.post(f"/tweets/{poll.pk}/poll/vote", {"choice": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<div class="poll" id="poll-{poll.pk}">')
    assert "1 vote · 23 hours left" in html and 'value="100"' in html


def test_a_refused_htmx_vote_is_a_toast_and_changes_nothing(client_logged_in, poll, user):
    poll_votes.poll_vote(user=user, tweet_id=poll.pk, positions=[1])
    response = client_logged_in.post(f"/tweets/{poll.pk}/poll/vote", {"choice": "2"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "You already voted in this poll." in response.content.decode()
    assert PollVote.objects.get().choice.position == 1


@pytest.mark.parametrize("choice", ["", "9", "abc", "1" * 500, "\x00"])
def test_a_page_vote_without_a_real_choice_changes_nothing(client_logged_in, poll, choice):
    response = client_logged_in.post(f"/tweets/{poll.pk}/poll/vote", {"choice": choice}, follow=True)
    assert response.status_code in (200, 400)
    assert PollVote.objects.count() == 0


def test_the_author_and_everyone_after_the_end_see_results(client, poll, other_user):
    client.force_login(other_user)
    html = client.get(f"/@bob/status/{poll.pk}").content.decode()
    assert "poll-results" in html and 'name="choice"' not in html and "Your poll" in html
    Poll.objects.filter(tweet=poll).update(closes_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    html = client.get(f"/@bob/status/{poll.pk}").content.decode()
    assert "poll-results" in html and "Final results" in html


def test_signed_out_see_the_choices_and_a_login_link(client, poll):
    html = client.get(f"/@bob/status/{poll.pk}").content.decode()
    assert "Log in to vote" in html and "poll-results" not in html


def test_choice_text_is_escaped(client, other_user):
    tweet = poll_post(other_user, choices=["<b>bold</b>", "<script>"])
    html = client.get(f"/@bob/status/{tweet.pk}").content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<script>" not in html.split("poll-choices")[1].split("</ul>")[0]


# --- cost ---------------------------------------------------------------------------------------------------


def _queries(fetch) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "fetch",
    [
        pytest.param(lambda c, a: c.get("/@author", {"limit": 50}), id="profile page"),
        pytest.param(lambda c, a: c.get(f"/api/v1/timeline/user/{a.pk}", {"limit": 50}), id="api user timeline"),
        pytest.param(lambda c, a: c.get("/search", {"q": "poll", "tab": "latest"}), id="search page"),
    ],
)
def test_a_page_of_polls_costs_one_query_more_whatever_its_size(client, fetch, django_assert_max_num_queries):
    author, viewer = UserFactory(username="author"), UserFactory(username="viewer")
    from social.graph import services as graph

    graph.follow_create(follower=viewer, followee=author)
    client.force_login(viewer)
    for i in range(3):
        post(author, f"poll plain {i}")  # found by the search too
    without = _queries(lambda: fetch(client, author))
    counts = []
    for size in (1, 30):
        for i in range(size):
            tweet = poll_post(author, text=f"poll {size}-{i}", choices=("A", "B", "C"))
            if i % 2:
                poll_votes.poll_vote(user=viewer, tweet_id=tweet.pk, positions=[2])
        with django_assert_max_num_queries(without + 1):
            counts.append(_queries(lambda: fetch(client, author)))
    assert counts[0] == counts[1] <= without + 1
    html_or_json = fetch(client, author).content.decode()
    assert html_or_json.count("poll 30-") >= 20  # a full page (the search shows 20)
