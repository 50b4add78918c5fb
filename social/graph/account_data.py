"""An account's follows, requests, blocks, mutes and muted words, for its erasure and data export (config/wiring.py)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from config.kernel.timefmt import iso_z
from social.graph.models import Block, Follow, FollowRequest, Mute, MutedWord
from social.graph.services import recount_follows


@transaction.atomic
def erase_user(*, user: User) -> None:
    """Follows both ways (freeing the others' counts), requests, blocks and mutes."""
    follows = Follow.objects.filter(Q(follower=user) | Q(followee=user))
    others = {pk for pair in follows.values_list("follower_id", "followee_id") for pk in pair} - {user.pk}
    follows.delete()
    FollowRequest.objects.filter(Q(requester=user) | Q(target=user)).delete()
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
    Mute.objects.filter(Q(muter=user) | Q(muted=user)).delete()
    MutedWord.objects.filter(user=user).delete()
    recount_follows(User.objects.filter(pk__in=others))


def export_user(*, user: User, files) -> list[tuple[str, list[dict]]]:
    """The people they follow and who follow them, leaving out accounts that are gone (inactive)."""
    return [
        ("following.json", _people(Follow.objects.filter(follower=user, followee__is_active=True), "followee")),
        ("followers.json", _people(Follow.objects.filter(followee=user, follower__is_active=True), "follower")),
        ("muted_words.json", _muted_words(user)),
    ]


def _muted_words(user: User) -> list[dict]:
    return [
        {"phrase": w.phrase, "context": w.context, "expiresAt": iso_z(w.expires_at), "createdAt": iso_z(w.created_at)}
        for w in MutedWord.objects.filter(user=user).order_by("id")
    ]


def _people(follows, side: str) -> list[dict]:
    return [
        {"id": str(person.pk), "username": person.username, "name": person.name, "followedAt": iso_z(f.created_at)}
        for f in follows.select_related(side).order_by("id")
        for person in [getattr(f, side)]
    ]
