"""Who may message whom: the recipient's setting and blocks, for one pair or a whole group."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Value
from django.utils.translation import gettext as _

from accounts.models import User
from social.graph.models import Block, Follow
from social.messages.models import Message


@dataclass
class PairRelations:
    """Follows and blocks among a set of people, loaded in one query."""

    follows: set[tuple[int, int]]  # (follower, followee)
    blocks: set[tuple[int, int]]  # (blocker, blocked)

    @classmethod
    def among(cls, user_ids: Iterable[int]) -> PairRelations:
        ids = list(set(user_ids))
        follows = (
            Follow.objects.filter(follower_id__in=ids, followee_id__in=ids)
            .annotate(kind=Value("follow"))
            .values_list("kind", "follower_id", "followee_id")
        )
        blocks = (
            Block.objects.filter(blocker_id__in=ids, blocked_id__in=ids)
            .annotate(kind=Value("block"))
            .values_list("kind", "blocker_id", "blocked_id")
        )
        relations = cls(follows=set(), blocks=set())
        for kind, source, target in follows.union(blocks, all=True):
            (relations.follows if kind == "follow" else relations.blocks).add((source, target))
        return relations

    def block_between(self, sender: User, other: User) -> str | None:
        """The reason a block stops `sender` from writing to `other`, if one does."""
        if (other.pk, sender.pk) in self.blocks:
            return _("@%(username)s has blocked you, so you can't message them.") % {"username": other.username}
        if (sender.pk, other.pk) in self.blocks:
            return _("You blocked @%(username)s. Unblock them to send messages.") % {"username": other.username}
        return None

    def refusal(self, sender: User, recipient: User, *, they_wrote: bool = False) -> str | None:
        """Why `sender` may not message `recipient`, or None when they may.

        Someone who only accepts messages from people they follow can still be
        answered in a conversation they wrote in themselves.
        """
        if not recipient.is_active:
            return _("@%(username)s can't receive messages.") % {"username": recipient.username}
        if reason := self.block_between(sender, recipient):
            return reason
        follows_sender = (recipient.pk, sender.pk) in self.follows
        if recipient.who_can_message == User.WhoCanMessage.FOLLOWING and not (follows_sender or they_wrote):
            return _("@%(username)s only accepts messages from people they follow.") % {"username": recipient.username}
        return None


def group_refusal(people: list[User], relations: PairRelations, joining: Iterable[User]) -> str | None:
    """Why the `joining` people can't be in a group with `people`: each must be one every other may message."""
    joining_ids = {user.pk for user in joining}
    for newcomer in (user for user in people if user.pk in joining_ids):
        for other in people:
            if other.pk == newcomer.pk:
                continue
            for sender, recipient in ((other, newcomer), (newcomer, other)):
                if relations.refusal(sender, recipient) is not None:
                    return _(
                        "@%(recipient)s doesn't accept messages from @%(sender)s, so they can't be in a group together."
                    ) % {"recipient": recipient.username, "sender": sender.username}
    return None


def send_refusal(sender: User, members: list[User], conversation) -> str | None:
    """Why `sender` can't write in this conversation now (a block, or the other's setting)."""
    others = [member for member in members if member.pk != sender.pk]
    relations = PairRelations.among([sender.pk, *(m.pk for m in others)])
    if conversation.is_group:
        for other in others:
            if reason := relations.block_between(sender, other):
                return reason
        return None
    if not others:
        return _("There is nobody left in this conversation.")
    other = others[0]
    they_wrote = Message.objects.filter(conversation=conversation, sender=other).exists()
    return relations.refusal(sender, other, they_wrote=they_wrote)
