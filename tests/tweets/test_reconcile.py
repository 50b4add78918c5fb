import pytest

from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services, tasks
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def test_reconcile_fixes_drifted_counts_and_leaves_right_ones(user, other_user):
    tweet = post(user, "counted")
    services.like_create(user=other_user, tweet_id=tweet.pk)
    services.retweet_create(user=other_user, tweet_id=tweet.pk)
    post(other_user, "reply", reply_to_id=tweet.pk)
    post(other_user, "quote", quote_of_id=tweet.pk)
    untouched = post(UserFactory(), "right already")
    Tweet.objects.filter(pk=tweet.pk).update(like_count=7, retweet_count=0, reply_count=3, quote_count=9)

    assert tasks.reconcile_tweet_counts(batch_size=2) == 4
    tweet.refresh_from_db()
    assert (tweet.like_count, tweet.retweet_count, tweet.reply_count, tweet.quote_count) == (1, 1, 1, 1)
    untouched.refresh_from_db()
    assert untouched.like_count == 0
    assert tasks.reconcile_tweet_counts() == 0


def test_counts_never_go_negative(user, other_user):
    tweet = post(user, "x")
    Tweet.objects.filter(pk=tweet.pk).update(like_count=0)
    services.like_create(user=other_user, tweet_id=tweet.pk)
    Tweet.objects.filter(pk=tweet.pk).update(like_count=0)  # drifted low
    target = services.like_delete(user=other_user, tweet_id=tweet.pk)
    assert target.like_count == 0
