"""Writes for the social graph: follow, follow requests, block, mute, muted words."""

from __future__ import annotations

from datetime import timedelta
from itertools import batched

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from config.kernel import abuse
from config.kernel.errors import Conflict, Forbidden, NotFound, ServiceError
from config.kernel.sql import counted, insert_once, row_exists
from config.kernel.tasks import after_commit
from social.graph import hooks, muted_words
from social.graph.models import Block, Follow, FollowRequest, Mute, MutedWord
from social.graph.selectors import forget_suggestions
from social.graph.visibility import RelationSet

FOLLOWING, REQUESTED, NONE = "following", "requested", "none"
# Whole sentences per action, so each language words them its own way.
_CANT_SELF = {
    "follow": lambda: _("You can't follow yourself."),
    "unfollow": lambda: _("You can't unfollow yourself."),
    "block": lambda: _("You can't block yourself."),
    "unblock": lambda: _("You can't unblock yourself."),
    "mute": lambda: _("You can't mute yourself."),
    "unmute": lambda: _("You can't unmute yourself."),
}


def _count_pair(follower_id: int, followee_id: int, delta: int) -> None:
    """Moves the follower's following count and the followee's followers count (never below 0) in one UPDATE."""
    table = User._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET "  # noqa: S608 - our table name, values as parameters
            "following_count = CASE WHEN id = %s THEN GREATEST(following_count + %s, 0) ELSE following_count END, "
            "followers_count = CASE WHEN id = %s THEN GREATEST(followers_count + %s, 0) ELSE followers_count END "
            "WHERE id IN (%s, %s)",
            [follower_id, delta, followee_id, delta, follower_id, followee_id],
        )


def _sync_timelines(*pairs: tuple[int, int]) -> None:
    """(reader, author) timelines to bring in line with the graph (timelines.receivers)."""
    hooks.timelines_stale(pairs=list(pairs))


def _make_follow(follower_id: int, followee_id: int) -> bool:
    """Create the follow, move both counts, and bring the followee's posts into the timeline."""
    if not insert_once(Follow, follower_id=follower_id, followee_id=followee_id, created_at=timezone.now()):
        return False
    _count_pair(follower_id, followee_id, +1)
    _sync_timelines((follower_id, followee_id))
    return True


def _drop_follow(follower_id: int, followee_id: int, *, sync: bool = True) -> bool:
    deleted, _by_model = Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).delete()
    if deleted:
        _count_pair(follower_id, followee_id, -1)
        if sync:
            _sync_timelines((follower_id, followee_id))
    return bool(deleted)


def _not_self(actor: User, other: User, doing: str) -> None:
    if actor.pk == other.pk:
        raise Forbidden(_CANT_SELF[doing]())  # a well-formed request, refused: 403


@transaction.atomic
def follow_create(*, follower: User, followee: User) -> str:
    """Follow a public account, or ask to follow a private one. Idempotent.

    A new follow or follow request counts against the follow limit
    (config/kernel/abuse.py); a repeat costs nothing, and a refusal takes the new row
    back with the transaction.
    """
    _not_self(follower, followee, "follow")
    if reason := RelationSet.for_viewer(follower, [followee.pk]).refusal(followee):
        raise Forbidden(reason)
    if row_exists(Follow, follower_id=follower.pk, followee_id=followee.pk):
        return FOLLOWING
    after_commit(forget_suggestions, follower.pk)
    if followee.is_private:
        _request, asked = FollowRequest.objects.get_or_create(requester=follower, target=followee)
        if asked:
            abuse.check(abuse.FOLLOW, follower)
            hooks.followed(follower=follower, followee=followee, requested=True)
        return REQUESTED
    if _make_follow(follower.pk, followee.pk):
        abuse.check(abuse.FOLLOW, follower)
        hooks.followed(follower=follower, followee=followee, requested=False)
    return FOLLOWING


@transaction.atomic
def follow_delete(*, follower: User, followee: User) -> str:
    """Unfollow, or withdraw a pending request. Idempotent."""
    _not_self(follower, followee, "unfollow")
    dropped = _drop_follow(follower.pk, followee.pk)
    withdrawn, _by_model = FollowRequest.objects.filter(requester=follower, target=followee).delete()
    if dropped or withdrawn:  # a repeat has nothing to undo
        hooks.unfollowed(follower=follower, followee=followee)
    return NONE


def _own_request(target: User, request_id: int) -> FollowRequest:
    request = FollowRequest.objects.select_related("requester").filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("No such follow request."))
    if request.target_id != target.pk:
        raise Forbidden(_("Only the account that was asked can answer this request."))
    return request


@transaction.atomic
def follow_request_approve(*, target: User, request_id: int) -> Follow:
    request = _own_request(target, request_id)
    _accept(request)
    return Follow.objects.select_related("follower").get(follower_id=request.requester_id, followee=target)


def _accept(request: FollowRequest) -> bool:
    request.delete()
    made = _make_follow(request.requester_id, request.target_id)
    hooks.request_accepted(requester=request.requester, target=request.target)
    return made


@transaction.atomic
def follow_request_deny(*, target: User, request_id: int) -> None:
    request = _own_request(target, request_id)
    request.delete()
    hooks.request_denied(requester=request.requester, target=target)


def follow_requests_accept_all(*, target: User) -> int:
    """When an account turns public, everyone who asked now follows it."""
    accepted = 0
    for request in FollowRequest.objects.filter(target=target).select_related("requester", "target").order_by("id"):
        accepted += _accept(request)
    return accepted


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> None:
    """Block: both follows and both pending requests go; neither side sees the other."""
    _not_self(blocker, blocked, "block")
    Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    _drop_follow(blocker.pk, blocked.pk, sync=False)
    _drop_follow(blocked.pk, blocker.pk, sync=False)
    FollowRequest.objects.filter(requester=blocker, target=blocked).delete()
    FollowRequest.objects.filter(requester=blocked, target=blocker).delete()
    hooks.blocked(blocker=blocker, blocked=blocked)
    after_commit(forget_suggestions, blocker.pk, blocked.pk)
    # Retweets by third parties can still carry the other's posts; hydration hides those.
    _sync_timelines((blocker.pk, blocked.pk), (blocked.pk, blocker.pk))


@transaction.atomic
def block_delete(*, blocker: User, blocked: User) -> None:
    _not_self(blocker, blocked, "unblock")
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


@transaction.atomic
def mute_create(*, muter: User, muted: User) -> None:
    _not_self(muter, muted, "mute")
    _mute, made = Mute.objects.get_or_create(muter=muter, muted=muted)
    after_commit(forget_suggestions, muter.pk)
    if made:
        _sync_timelines((muter.pk, muted.pk))


@transaction.atomic
def mute_delete(*, muter: User, muted: User) -> None:
    _not_self(muter, muted, "unmute")
    deleted, _by_model = Mute.objects.filter(muter=muter, muted=muted).delete()
    if deleted and Follow.objects.filter(follower=muter, followee=muted).exists():
        _sync_timelines((muter.pk, muted.pk))


def recount_follows(users) -> int:
    """Set followers and following of the `users` queryset from the follow rows; returns how many drifted."""
    followers, following = counted(Follow, "followee", "follower"), counted(Follow, "follower", "followee")
    drifted = list(
        users.annotate(real_followers=followers, real_following=following)
        .exclude(followers_count=F("real_followers"), following_count=F("real_following"))
        .values_list("pk", flat=True)
    )
    for chunk in batched(drifted, 1000):
        User.objects.filter(pk__in=chunk).update(followers_count=followers, following_count=following)
    return len(drifted)


# --- muted words -----------------------------------------------------------------------------------

EXPIRIES = {  # seconds
    None: gettext_lazy("Forever"),
    86400: gettext_lazy("24 hours"),
    7 * 86400: gettext_lazy("7 days"),
    30 * 86400: gettext_lazy("30 days"),
}


def _clean_phrase(phrase) -> str:
    if not isinstance(phrase, str):
        raise ServiceError(_("The muted word must be text."), field="phrase")
    phrase = " ".join(phrase.split())
    if "\x00" in phrase:
        raise ServiceError(_("A muted word can't contain NUL characters."), field="phrase")
    if not phrase:
        raise ServiceError(_("Enter a word, phrase or hashtag to mute."), field="phrase")
    if len(phrase) > muted_words.MAX_LENGTH:
        raise ServiceError(
            _("A muted word can be at most %(limit)s characters.") % {"limit": muted_words.MAX_LENGTH}, field="phrase"
        )
    return phrase


def _clean_context(context) -> str:
    if context not in muted_words.CONTEXTS:
        raise ServiceError(
            _("Choose where to mute it: %(contexts)s.") % {"contexts": ", ".join(muted_words.CONTEXTS)}, field="context"
        )
    return context


def is_expiry(value) -> bool:
    """None or one of the durations (any JSON number equal to one: 86400.0 is 86400); never a bool."""
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool) and value in EXPIRIES)


def _expiry(expires_in):
    if not is_expiry(expires_in):
        raise ServiceError(_("Mute it forever (null), or for 86400, 604800 or 2592000 seconds."), field="expiresIn")
    return timezone.now() + timedelta(seconds=expires_in) if expires_in else None


def _not_duplicate(user: User, phrase: str, *, but: int | None = None) -> None:
    key = muted_words.phrase_key(phrase)
    for other in muted_words.muted_words_list(user).exclude(pk=but).values_list("phrase", flat=True):
        if muted_words.phrase_key(other) == key:
            raise Conflict(_("You already muted “%(phrase)s”.") % {"phrase": other}, field="phrase")


@transaction.atomic
def muted_word_create(*, user: User, phrase, context="everywhere", expires_in=None) -> MutedWord:
    """Mute a word, phrase or hashtag where `context` says, forever or for `expires_in` seconds."""
    phrase, context, expires_at = _clean_phrase(phrase), _clean_context(context), _expiry(expires_in)
    User.objects.select_for_update().filter(pk=user.pk).first()  # one write at a time per person: limit, duplicates
    MutedWord.objects.filter(user=user, expires_at__lte=timezone.now()).delete()  # expired ones don't count
    if MutedWord.objects.filter(user=user).count() >= muted_words.MAX_PER_PERSON:
        raise Conflict(
            _("You can mute at most %(limit)s words. Remove some first.") % {"limit": muted_words.MAX_PER_PERSON}
        )
    _not_duplicate(user, phrase)
    word = MutedWord.objects.create(user=user, phrase=phrase, context=context, expires_at=expires_at)
    _forget_words(user)
    return word


@transaction.atomic
def muted_word_update(*, user: User, word_id: int, **changes) -> MutedWord:
    """Change a muted word's phrase, context or expiry (`expires_in` counts from now)."""
    word = muted_words.muted_words_list(user).select_for_update().filter(pk=word_id).first()
    if word is None:
        raise NotFound(_("No such muted word."))
    if "phrase" in changes:
        word.phrase = _clean_phrase(changes["phrase"])
        _not_duplicate(user, word.phrase, but=word.pk)
    if "context" in changes:
        word.context = _clean_context(changes["context"])
    if "expires_in" in changes:
        word.expires_at = _expiry(changes["expires_in"])
    word.save(update_fields=["phrase", "context", "expires_at"])
    _forget_words(user)
    return word


@transaction.atomic
def muted_word_delete(*, user: User, word_id: int) -> None:
    deleted, _by_model = muted_words.muted_words_list(user).filter(pk=word_id).delete()
    if not deleted:
        raise NotFound(_("No such muted word."))
    _forget_words(user)


def _forget_words(user: User) -> None:
    user.mutes_words = MutedWord.objects.filter(user=user).exists()
    User.objects.filter(pk=user.pk).update(mutes_words=user.mutes_words)
    muted_words.forget(user)  # now, for this request's later reads...
    after_commit(muted_words.forget, user)  # ...and once committed, for everyone's
    hooks.muted_words_changed(user=user)


def muted_words_sweep() -> int:
    """Delete expired muted words (they stopped matching when they expired; this only tidies)."""
    expired = list(
        MutedWord.objects.filter(expires_at__lte=timezone.now()).values_list("user_id", flat=True).distinct()
    )
    deleted, _by_model = MutedWord.objects.filter(expires_at__lte=timezone.now()).delete()
    User.objects.filter(pk__in=expired).update(mutes_words=Exists(MutedWord.objects.filter(user_id=OuterRef("pk"))))
    for user_id in expired:
        muted_words.forget(User(pk=user_id))
    return deleted
