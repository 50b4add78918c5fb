"""Two votes by one person at the same moment, on two connections: exactly one counts.

Real commits (`transaction=True`): each thread has its own connection and transaction.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from rest_framework.test import APIClient

from config.kernel.errors import Conflict
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import poll_votes
from tweets.models import Poll, PollChoice, PollVote

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def poll_and_voter():
    author, voter = UserFactory(username="author"), UserFactory(username="voter")
    tweet = post(author, "Tea or coffee?", poll_choices=["Tea", "Coffee"], poll_duration=timedelta(hours=1))
    return tweet, voter


def _counts(tweet):
    return (
        PollVote.objects.filter(poll__tweet=tweet).count(),
        Poll.objects.get(tweet=tweet).votes_count,
        sum(PollChoice.objects.filter(poll__tweet=tweet).values_list("votes_count", flat=True)),
    )


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_the_second_of_two_overlapping_votes_waits_then_loses(poll_and_voter):
    """The first vote's transaction is held open; the second, for another choice, waits on the
    unique (poll, user) index, then is refused once the first commits. One vote, counted once."""
    tweet, voter = poll_and_voter
    inserted, release = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                poll_votes.poll_vote(user=voter, tweet_id=tweet.pk, positions=[1])
                inserted.set()
                release.wait(10)
            outcome["first"] = "counted"
        finally:
            connections.close_all()

    def second():
        try:
            poll_votes.poll_vote(user=voter, tweet_id=tweet.pk, positions=[2])
            outcome["second"] = "counted"
        except Conflict as error:
            outcome["second"] = error.message
        finally:
            connections.close_all()

    one = threading.Thread(target=first)
    one.start()
    assert inserted.wait(10)
    two = threading.Thread(target=second)
    two.start()
    deadline = time.monotonic() + 10
    while _waiting_on_a_lock() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_on_a_lock() == 1, "the second vote should be waiting for the first"
    release.set()
    one.join(10)
    two.join(10)
    assert outcome == {"first": "counted", "second": "You already voted in this poll."}
    assert _counts(tweet) == (1, 1, 1)
    assert PollVote.objects.get().choice.position == 1


def test_two_simultaneous_api_votes_count_once(poll_and_voter):
    """Two requests started together by the same person: one 201, one 409, whichever wins."""
    tweet, voter = poll_and_voter
    start = threading.Barrier(2)
    statuses = []

    def vote(choice):
        client = APIClient()
        client.force_authenticate(voter)
        try:
            start.wait(10)
            response = client.post(f"/api/v1/tweets/{tweet.pk}/poll/votes", {"choice": choice}, format="json")
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(choice,)) for choice in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(statuses) == [201, 409]
    assert _counts(tweet) == (1, 1, 1)


def test_votes_by_many_people_at_once_all_count(poll_and_voter):
    """Counts are added in place (votes_count + 1), so simultaneous votes by others never lose one."""
    tweet, _ = poll_and_voter
    voters = [UserFactory(username=f"crowd{i}") for i in range(6)]
    start = threading.Barrier(len(voters))
    errors = []

    def vote(person, position):
        try:
            start.wait(10)
            poll_votes.poll_vote(user=person, tweet_id=tweet.pk, positions=[position])
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(p, 1 + i % 2)) for i, p in enumerate(voters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    assert _counts(tweet) == (6, 6, 6)
    assert list(PollChoice.objects.filter(poll__tweet=tweet).values_list("votes_count", flat=True)) == [3, 3]


def test_two_overlapping_ballots_naming_different_choices_count_once():
    """A multiple-choice poll: ballots {1, 2} and {3} by one person share no (poll, user, choice) row,
    yet the second waits on the one-ballot-per-person index and loses. One ballot, counted once."""
    author, voter = UserFactory(username="author"), UserFactory(username="voter")
    tweet = post(author, "Pets?", poll_choices=["Cats", "Dogs", "Fish"], poll_duration=timedelta(hours=1),
                 poll_multiple=True)  # fmt: skip
    inserted, release = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                poll_votes.poll_vote(user=voter, tweet_id=tweet.pk, positions=[1, 2])
                inserted.set()
                release.wait(10)
            outcome["first"] = "counted"
        finally:
            connections.close_all()

    def second():
        try:
            poll_votes.poll_vote(user=voter, tweet_id=tweet.pk, positions=[3])
            outcome["second"] = "counted"
        except Conflict as error:
            outcome["second"] = error.message
        finally:
            connections.close_all()

    one = threading.Thread(target=first)
    one.start()
    assert inserted.wait(10)
    two = threading.Thread(target=second)
    two.start()
    deadline = time.monotonic() + 10
    while _waiting_on_a_lock() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_on_a_lock() == 1, "the second ballot should be waiting for the first"
    release.set()
    one.join(10)
    two.join(10)
    assert outcome == {"first": "counted", "second": "You already voted in this poll."}
    assert _counts(tweet) == (2, 2, 2)
    poll = Poll.objects.get(tweet=tweet)
    assert poll.voters_count == 1
    assert sorted(PollVote.objects.values_list("choice__position", flat=True)) == [1, 2]
