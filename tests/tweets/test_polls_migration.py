"""The multiple-choice migration keeps every old vote as a whole ballot and backfills voters = votes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import UserFactory

BEFORE = [("tweets", "0013_statuses_count_trigger")]
AFTER = [("tweets", "0014_poll_multiple")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_votes_become_ballots_and_voters_count_is_backfilled():
    author, ann, ben = (UserFactory(username=name) for name in ("olga", "ann", "ben"))  # accounts as they are now
    old = migrate(BEFORE)
    tweet = old.get_model("tweets", "Tweet").objects.create(author_id=author.pk, text="Tea?", has_poll=True)
    poll = old.get_model("tweets", "Poll").objects.create(
        tweet=tweet, closes_at=timezone.now() + timedelta(days=1), votes_count=2
    )
    Choice = old.get_model("tweets", "PollChoice")
    tea = Choice.objects.create(poll=poll, position=1, text="Tea", votes_count=2)
    Choice.objects.create(poll=poll, position=2, text="Coffee", votes_count=0)
    for person in (ann, ben):
        old.get_model("tweets", "PollVote").objects.create(poll=poll, user_id=person.pk, choice=tea)

    new = migrate(AFTER)
    migrated = new.get_model("tweets", "Poll").objects.get(pk=poll.pk)
    assert (migrated.multiple, migrated.votes_count, migrated.voters_count) == (False, 2, 2)
    votes = new.get_model("tweets", "PollVote").objects.filter(poll_id=poll.pk)
    assert sorted(votes.values_list("user_id", "ballot")) == sorted([(ann.pk, True), (ben.pk, True)])

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
