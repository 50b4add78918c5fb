"""Background upkeep for the social graph."""

from itertools import batched

from celery import shared_task
from django.db.models import F, Q

from config.kernel.tasks import RETRY_WHILE_AWAY, Slice, enqueue


def recount_follows(users) -> int:
    """Set followers and following of the `users` queryset from the follow rows; returns how many drifted."""
    from accounts.models import User
    from social.graph.models import Follow
    from tweets.tasks import counted

    followers, following = counted(Follow, "followee", "follower"), counted(Follow, "follower", "followee")
    drifted = list(
        users.annotate(real_followers=followers, real_following=following)
        .exclude(followers_count=F("real_followers"), following_count=F("real_following"))
        .values_list("pk", flat=True)
    )
    for chunk in batched(drifted, 1000):
        User.objects.filter(pk__in=chunk).update(followers_count=followers, following_count=following)
    return len(drifted)


@shared_task(acks_late=True)
def reconcile_follow_counts(batch_size: int = 5000, after: int = 0) -> int:
    """Recount followers and following for every account whose stored counts drifted.

    In slices of accounts by id; past the time budget it queues itself to
    carry on (if that can't be queued, the next hourly run starts over).
    """
    from accounts.models import User

    fixed, last_id, budget = 0, after, Slice()
    while True:
        ids = list(User.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return fixed
        last_id = ids[-1]
        fixed += recount_follows(User.objects.filter(pk__gte=ids[0], pk__lte=last_id))
        if budget.over:
            enqueue(reconcile_follow_counts, batch_size, last_id)
            return fixed


# Lost (Redis or a worker away)? The hourly reconciliations recount the same numbers.
@shared_task(bind=True, **RETRY_WHILE_AWAY)
def recount_around(self, user_id: int) -> int:
    """After a suspension is made or lifted: the counts this account adds to others, afresh."""
    from accounts.models import User
    from social.graph.models import Follow
    from tweets.models import Like, Tweet
    from tweets.tasks import recount_tweets

    followed = Follow.objects.filter(follower_id=user_id).values("followee_id")
    followers = Follow.objects.filter(followee_id=user_id).values("follower_id")
    fixed = recount_follows(User.objects.filter(Q(pk__in=followed) | Q(pk__in=followers)))
    own = Tweet.objects.filter(author_id=user_id)
    touched = (
        Q(pk__in=Like.objects.filter(user_id=user_id).values("tweet_id"))
        | Q(pk__in=own.exclude(retweet_of=None).values("retweet_of_id"))
        | Q(pk__in=own.exclude(reply_to=None).values("reply_to_id"))
        | Q(pk__in=own.exclude(quote_of=None).values("quote_of_id"))
    )
    return fixed + recount_tweets(Tweet.objects.filter(touched))
