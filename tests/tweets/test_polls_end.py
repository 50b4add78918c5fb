"""A poll's end: announced once to its author and voters (`poll_ended`), by the sweep or a timed task."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from social.graph import services as graph
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import poll_votes, tasks
from tweets.models import Poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return UserFactory(username="olga"), UserFactory(username="vera"), UserFactory(username="walt")


@pytest.fixture
def poll(people):
    olga, vera, walt = people
    tweet = post(olga, "Lunch?", poll_choices=["Soup", "Salad"], poll_duration=timedelta(minutes=5))
    poll_votes.poll_vote(user=vera, tweet_id=tweet.pk, positions=[1])
    poll_votes.poll_vote(user=walt, tweet_id=tweet.pk, positions=[2])
    return tweet


def end(tweet, ago=timedelta(seconds=1)):
    Poll.objects.filter(tweet=tweet).update(closes_at=timezone.now() - ago)


def told():
    return sorted(Notification.objects.filter(verb="poll_ended").values_list("recipient__username", "actor__username"))


def test_nothing_is_announced_before_the_end(poll):
    assert tasks.end_polls_pending() == 0
    assert tasks.end_poll(Poll.objects.get(tweet=poll).pk) is False
    assert told() == []


def test_the_sweep_tells_the_author_and_each_voter_once(poll):
    end(poll)
    assert tasks.end_polls_pending() == 1
    # The author is their own actor; voters hear it from the author.
    assert told() == [("olga", "olga"), ("vera", "olga"), ("walt", "olga")]
    assert Notification.objects.filter(verb="poll_ended", tweet=poll).count() == 3
    # Again, and a late timed task: nothing more.
    assert tasks.end_polls_pending() == 0
    assert tasks.end_poll(Poll.objects.get(tweet=poll).pk) is False
    assert len(told()) == 3
    assert Poll.objects.get(tweet=poll).notified_at is not None


def test_the_timed_task_announces_it_too(poll):
    end(poll)
    assert tasks.end_poll(Poll.objects.get(tweet=poll).pk) is True
    assert len(told()) == 3
    assert tasks.end_polls_pending() == 0


def test_a_poll_ending_within_the_minute_gets_a_task_timed_to_its_end(poll, settings):
    # Run in place, the timed task finds the poll not yet ended and does nothing: the sweep after will.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    Poll.objects.filter(tweet=poll).update(closes_at=timezone.now() + timedelta(seconds=10))
    assert poll_votes.polls_ending_soon(tasks.POLL_LOOKAHEAD_SECONDS) == [
        (Poll.objects.get(tweet=poll).pk, Poll.objects.get(tweet=poll).closes_at)
    ]
    assert tasks.end_polls_pending() == 0
    assert told() == []


def test_voters_who_may_no_longer_see_it_or_turned_it_off_are_not_told(poll, people):
    olga, vera, walt = people
    graph.block_create(blocker=olga, blocked=vera)
    walt.notification_prefs = {"app": {"poll_ended": False}}
    walt.save()
    end(poll)
    tasks.end_polls_pending()
    assert told() == [("olga", "olga")]


def test_the_notifications_page_says_what_ended(client, poll, people):
    olga, vera, _ = people
    end(poll)
    tasks.end_polls_pending()
    client.force_login(vera)
    html = client.get("/notifications").content.decode()
    assert "A poll you voted in has ended" in html
    assert "Soup" in html and "Final results" in html
    client.force_login(olga)
    html = client.get("/notifications").content.decode()
    assert "Your poll has ended" in html


def test_the_api_lists_poll_ended(api_as, poll, people):
    end(poll)
    tasks.end_polls_pending()
    found = api_as(people[1]).get("/api/v1/notifications").json()["notifications"]
    assert [(n["type"], n["actor"]["username"], n["tweet"]["id"]) for n in found] == [
        ("poll_ended", "olga", str(poll.pk))
    ]
    assert found[0]["tweet"]["poll"]["closed"] is True


def test_a_deleted_poll_is_never_announced(poll, people):
    from tweets import services

    services.tweet_delete(actor=people[0], tweet=poll)
    assert Poll.objects.count() == 0
    assert tasks.end_polls_pending() == 0
    assert told() == []


def test_erasing_a_voter_and_an_author_takes_their_votes_and_polls(poll, people):
    from accounts import lifecycle
    from tests.factories import PASSWORD
    from tweets.models import PollVote

    olga, vera, _ = people
    for person in (vera, olga):
        lifecycle.account_delete(user=person, password=PASSWORD)
        assert lifecycle.account_erase(person.pk) is True
        if person is vera:
            assert PollVote.objects.filter(poll__tweet=poll).count() == 1
    assert Poll.objects.count() == 0 and PollVote.objects.count() == 0
    assert tasks.end_polls_pending() == 0


def test_the_live_event_draws_it_as_the_page_does(poll, people):
    from notifications.selectors import live_notification_event

    end(poll)
    tasks.end_polls_pending()
    vera = people[1]
    event = live_notification_event(vera, Notification.objects.get(recipient=vera).pk)
    assert event["notification"]["type"] == "poll_ended"
    assert "A poll you voted in has ended" in event["html"] and "Final results" in event["html"]
