"""The beat task: due scheduled posts go out once, through tweet_create, and failures are shown to the author."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import draft_services, services
from tweets.models import Draft, Tweet, TweetHashtag
from tweets.tasks import publish_scheduled_posts


def schedule(author, text, **kwargs) -> Draft:
    return draft_services.draft_create(
        author=author, text_input=text, scheduled_at=timezone.now() + timedelta(hours=1), **kwargs
    )


def make_due(*drafts) -> None:
    """As if the clock had moved on: set the time in the past, in the database."""
    Draft.objects.filter(pk__in=[d.pk for d in drafts]).update(scheduled_at=timezone.now() - timedelta(seconds=5))


@pytest.mark.django_db
def test_a_due_post_goes_out_with_mentions_and_tags(ann, ben):
    due = schedule(ann, "Good morning @ben #sunrise")
    waiting = schedule(ann, "Not yet")
    make_due(due)
    assert publish_scheduled_posts() == 1
    tweet = Tweet.objects.get(author=ann)
    assert tweet.text == "Good morning @ben #sunrise"
    due.refresh_from_db()
    assert due.status == Draft.Status.PUBLISHED and due.published_tweet_id == tweet.pk
    assert Notification.objects.filter(recipient=ben, verb="mention").exists()  # the same hooks as posting
    assert TweetHashtag.objects.filter(tweet=tweet, hashtag__name="sunrise").exists()  # trends count it
    waiting.refresh_from_db()
    assert waiting.status == Draft.Status.PENDING and waiting.published_tweet_id is None
    assert publish_scheduled_posts() == 0  # a second tick publishes nothing again
    assert Tweet.objects.filter(author=ann).count() == 1


@pytest.mark.django_db
def test_a_scheduled_post_carries_its_poll_and_content_warning(ann, ben):
    with_poll = schedule(ann, "Tea or coffee?", poll_choices=["Tea", "Coffee"], poll_duration=timedelta(hours=6))
    folded = schedule(ann, "The ending, explained", content_warning="Finale spoilers", sensitive=True)
    make_due(with_poll, folded)
    assert publish_scheduled_posts() == 2
    poll_post = Tweet.objects.get(text="Tea or coffee?")
    assert [c.text for c in poll_post.poll.choices.all()] == ["Tea", "Coffee"]
    opened_at = poll_post.created_at
    assert timedelta(hours=5, minutes=59) < poll_post.poll.closes_at - opened_at <= timedelta(hours=6, seconds=1)
    warned = Tweet.objects.get(text="The ending, explained")
    assert (warned.content_warning, warned.sensitive) == ("Finale spoilers", True)


@pytest.mark.django_db
def test_the_clock_moved_on_publishes_within_the_minute(ann):
    schedule(ann, "on time")
    assert draft_services.publish_due_drafts(now=timezone.now()) == 0
    assert draft_services.publish_due_drafts(now=timezone.now() + timedelta(hours=1, seconds=1)) == 1


@pytest.mark.django_db
def test_a_reply_whose_target_was_deleted_fails_and_says_why(ann, ben, api_as):
    parent = post(ben, "soon gone")
    draft = schedule(ann, "my reply", reply_to_id=parent.pk)
    services.tweet_delete(actor=ben, tweet=parent)
    make_due(draft)
    assert publish_scheduled_posts() == 0
    draft.refresh_from_db()
    assert draft.status == Draft.Status.FAILED and "deleted" in draft.last_error
    assert not Tweet.objects.filter(author=ann).exists()
    shown = api_as(ann).get("/api/v1/scheduled").json()["scheduled"]
    assert shown[0]["status"] == "failed" and shown[0]["lastError"] == draft.last_error
    # Rescheduling retries it (here the reply target is still gone, so it is a plain edit).
    answer = api_as(ann).patch(
        f"/api/v1/scheduled/{draft.pk}",
        {"replyToId": None, "scheduledAt": (timezone.now() + timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert answer.json()["draft"]["status"] == "pending"


@pytest.mark.django_db
def test_a_suspended_author_publishes_nothing(ann):
    draft = schedule(ann, "from beyond")
    make_due(draft)
    User.objects.filter(pk=ann.pk).update(is_active=False, suspended_at=timezone.now())
    assert publish_scheduled_posts() == 0
    draft.refresh_from_db()
    assert draft.status == Draft.Status.FAILED and draft.last_error
    assert not Tweet.objects.exists()


@pytest.mark.django_db
def test_a_published_post_can_no_longer_be_edited_or_cancelled(ann, api_as):
    draft = schedule(ann, "gone out")
    make_due(draft)
    publish_scheduled_posts()
    client = api_as(ann)
    assert client.patch(f"/api/v1/scheduled/{draft.pk}", {"text": "late edit"}, format="json").status_code == 404
    assert client.delete(f"/api/v1/scheduled/{draft.pk}").status_code == 404
    assert Tweet.objects.get().text == "gone out"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_publish_each_post_once():
    """Two workers (threads with their own connections) sweep the same due posts at the same moment."""
    authors = [UserFactory() for _ in range(3)]
    drafts = [schedule(author, f"post {i} of {author.username}") for author in authors for i in range(4)]
    make_due(*drafts)
    start = threading.Barrier(2)
    counts, failures = [], []

    def run():
        try:
            start.wait()
            counts.append(draft_services.publish_due_drafts(batch_size=2))
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert sum(counts) == len(drafts)
    assert Tweet.objects.count() == len(drafts)
    assert sorted(Tweet.objects.values_list("text", flat=True)) == sorted(d.text for d in drafts)
    published = list(Draft.objects.values_list("status", "published_tweet_id"))
    assert all(status == "published" and tweet_id for status, tweet_id in published)
    assert len({tweet_id for _, tweet_id in published}) == len(drafts)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_while_publishing_waits_and_then_is_refused():
    """The publish run holds the row; an edit that comes in meanwhile waits, then finds it published."""
    author = UserFactory()
    draft = schedule(author, "racing")
    make_due(draft)
    locked, release = threading.Event(), threading.Event()
    outcome = []

    def publisher():
        from django.db import transaction

        try:
            with transaction.atomic():
                row = Draft.objects.select_for_update().select_related("author").get(pk=draft.pk)
                locked.set()
                release.wait(10)
                draft_services._publish_locked(row)
        finally:
            connection.close()

    def editor():
        try:
            locked.wait(10)
            release.set()
            draft_services.draft_update(actor=author, draft_id=draft.pk, text_input="changed")
            outcome.append("edited")
        except draft_services.ServiceError as error:
            outcome.append(error.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=publisher), threading.Thread(target=editor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcome == [409]
    assert Tweet.objects.get().text == "racing"


@pytest.mark.django_db
def test_a_scheduled_reply_after_a_block_fails_and_posts_nothing(ann, ben):
    from social.graph import services as social

    parent = post(ben, "ben's post")
    draft = schedule(ann, "reply to ben", reply_to_id=parent.pk)
    social.block_create(blocker=ben, blocked=ann)
    make_due(draft)
    assert publish_scheduled_posts() == 0
    draft.refresh_from_db()
    assert draft.status == Draft.Status.FAILED and draft.last_error
    parent.refresh_from_db()
    assert parent.reply_count == 0 and not Tweet.objects.filter(author=ann).exists()


@pytest.mark.django_db
def test_a_scheduled_post_keeps_the_authors_choice_of_link_card(ann, link_server, django_capture_on_commit_callbacks):
    removed = schedule(ann, f"no card {link_server.url('/article')}", link_card=False)
    kept = schedule(ann, f"a card {link_server.url('/plain')}")
    assert (removed.link_card, kept.link_card) == (False, True)
    make_due(removed, kept)
    with django_capture_on_commit_callbacks(execute=True):  # the card's task runs after the commit, as a worker would
        assert publish_scheduled_posts() == 2
    assert Tweet.objects.get(text__startswith="no card").link_card_id is None
    assert link_server.requests["/article"] == 0  # the page was never fetched
    with_card = Tweet.objects.select_related("link_card").get(text__startswith="a card")
    assert with_card.link_card.title == "Just a title" and link_server.requests["/plain"] == 1
