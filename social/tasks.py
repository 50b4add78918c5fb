"""Background upkeep for the social graph."""

from celery import shared_task
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


@shared_task(acks_late=True)
def reconcile_follow_counts() -> int:
    """Recount followers and following for every account whose stored counts drifted."""
    from accounts.models import User
    from social.models import Follow

    def counted(field: str):
        return Coalesce(
            Subquery(
                Follow.objects.filter(**{field: OuterRef("pk")})
                .order_by()
                .values(field)
                .annotate(n=Count("*"))
                .values("n")
            ),
            Value(0),
        )

    drifted = (
        User.objects.annotate(real_followers=counted("followee"), real_following=counted("follower"))
        .exclude(followers_count=F("real_followers"), following_count=F("real_following"))
        .values_list("pk", "real_followers", "real_following")
    )
    fixed = 0
    for user_id, followers, following in drifted:
        User.objects.filter(pk=user_id).update(followers_count=followers, following_count=following)
        fixed += 1
    return fixed
