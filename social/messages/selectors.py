"""Reads for direct messages: the inbox, a conversation, its history. Members only, always."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from config.kernel.api.pagination import PageRequest, keyset_page
from config.kernel.sql import one_value
from social.graph.visibility import RelationSet
from social.messages.models import Conversation, HiddenMessage, Message, MessageImage, Participant
from social.messages.rules import PairRelations, send_refusal


def membership(user: User, conversation_id: int | None) -> Participant | None:
    """The viewer's place in a conversation, or None: to anyone else it doesn't exist."""
    if not conversation_id or not user.is_authenticated:
        return None
    return Participant.objects.select_related("conversation").filter(user=user, conversation_id=conversation_id).first()


def one_to_one_with(user: User, other: User) -> Participant | None:
    return (
        Participant.objects.select_related("conversation")
        .filter(user=user, conversation__pair_key=Conversation.pair_key_for(user.pk, other.pk))
        .first()
    )


def _not_hidden_from(user_id: int) -> Q:
    return ~Q(Exists(HiddenMessage.objects.filter(user_id=user_id, message=OuterRef("pk"))))


def visible_messages(member: Participant):
    """What this member sees: since they joined, minus what they deleted for themselves.

    Messages from inactive accounts (suspended, or being deleted) are left out:
    nothing is removed, so lifting a suspension brings them back.
    """
    return (
        Message.objects.filter(conversation_id=member.conversation_id, id__gt=member.history_from_id)
        .filter(_not_hidden_from(member.user_id), sender__is_active=True)
        .select_related("sender", "image")
    )


def all_messages_page(user: User, page: PageRequest) -> tuple[list[Message], int | None]:
    """Every message the person sees, in all their conversations, newest first (as visible_messages says)."""
    rows = (
        Message.objects.filter(conversation__members__user=user, id__gt=F("conversation__members__history_from_id"))
        .filter(_not_hidden_from(user.pk), sender__is_active=True)
        .select_related("sender", "image")
    )
    return keyset_page(rows, page)


def history_page(member: Participant, page: PageRequest) -> tuple[list[Message], int | None]:
    """Newest first, older pages below the cursor (a page shows them the other way up)."""
    return keyset_page(visible_messages(member), page)


def messages_after(member: Participant, after_id: int, limit: int = 100) -> list[Message]:
    """New since `after_id`, oldest first: what an open conversation adds when told of them."""
    return list(visible_messages(member).filter(id__gt=after_id).order_by("id")[:limit])


def unread_conversations(user_id: int) -> int:
    """Conversations with something newer than the reader's marker: the navigation badge."""
    # Written out: every page's navigation asks, and building the ORM's query cost more than running it.
    return one_value(
        f"SELECT count(*) FROM {Participant._meta.db_table} WHERE user_id = %s AND last_activity_id > last_read_id",  # noqa: S608 - table name
        [user_id],
    )


# A one-to-one conversation whose other person deleted their account stays for the one
# left, read only; one whose other person is inactive (suspended, or being deleted)
# shows nothing of them. (name, why it is read only)
DELETED_ACCOUNT = (gettext_lazy("Deleted account"), gettext_lazy("This account was deleted."))
UNAVAILABLE_ACCOUNT = (gettext_lazy("This account isn't available"), gettext_lazy("This account isn't available."))


@dataclass
class ConversationView:
    """A conversation as one member sees it.

    `members` holds every participant; `visible_members` and `others` only
    the active accounts among them (the viewer included in the first), which
    is all that pages and the API show.
    """

    member: Participant
    members: list[Participant]
    last_message: Message | None = None
    unread: int = 0
    refusal: str | None = None  # why the viewer can't write here now, if they can't
    others: list[User] = field(init=False)
    visible_members: list[Participant] = field(init=False)

    def __post_init__(self):
        me = self.member.user_id
        self.visible_members = [m for m in self.members if m.user_id == me or m.user.is_active]
        self.others = [m.user for m in self.visible_members if m.user_id != me]

    @property
    def conversation(self) -> Conversation:
        return self.member.conversation

    @property
    def absent(self) -> tuple[str, str] | None:
        """(name, reason) when this is a one-to-one conversation whose other person is gone or hidden."""
        if self.conversation.is_group or self.others:
            return None
        if any(m.user_id != self.member.user_id for m in self.members):
            return UNAVAILABLE_ACCOUNT
        return DELETED_ACCOUNT

    @property
    def name(self) -> str:
        if (absent := self.absent) is not None:
            return str(absent[0])
        if self.conversation.title:
            return self.conversation.title
        names = [user.display_name for user in self.others]
        if not names:
            return _("Just you")
        if len(names) == 1:
            return names[0]
        return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}

    @property
    def read_only(self) -> bool:
        return self.refusal is not None

    @property
    def markers_json(self) -> str:
        """The others' read markers, for the page script that moves "Seen" as they read."""
        return json.dumps(
            {str(m.user_id): str(m.last_read_id) for m in self.visible_members if m.user_id != self.member.user_id}
        )

    def mark_seen(self, messages: list[Message]) -> None:
        """Label the viewer's newest message that others have read: "Seen", or "Seen by N" in a group."""
        others = [m for m in self.visible_members if m.user_id != self.member.user_id]
        for message in reversed(messages):
            if message.sender_id != self.member.user_id:
                continue
            seen = sum(1 for m in others if m.last_read_id >= message.pk)
            if seen:
                message.seen_text = (
                    _("Seen by %(count)s") % {"count": seen} if self.conversation.is_group else _("Seen")
                )
                return


def _members_of(conversation_ids: list[int]) -> dict[int, list[Participant]]:
    found: dict[int, list[Participant]] = {}
    for member in (
        Participant.objects.filter(conversation_id__in=conversation_ids)
        .select_related("user")
        .order_by("joined_at", "pk")
    ):
        found.setdefault(member.conversation_id, []).append(member)
    return found


def conversation_view(user: User, conversation_id: int | None) -> ConversationView | None:
    member = membership(user, conversation_id)
    if member is None:
        return None
    view = ConversationView(member=member, members=_members_of([member.conversation_id])[member.conversation_id])
    absent = view.absent
    view.refusal = (
        str(absent[1]) if absent else send_refusal(user, [m.user for m in view.visible_members], member.conversation)
    )
    return view


def inbox_page(user: User, page: PageRequest) -> tuple[list[ConversationView], int | None]:
    """The viewer's conversations by latest activity, each with its last message and unread count."""
    newest_visible = (
        Message.objects.filter(conversation_id=OuterRef("conversation_id"), id__gt=OuterRef("history_from_id"))
        .filter(_not_hidden_from(user.pk), sender__is_active=True)
        .order_by("-id")
        .values("id")[:1]
    )
    unread = (
        Message.objects.filter(conversation_id=OuterRef("conversation_id"), id__gt=OuterRef("last_read_id"))
        .exclude(sender_id=user.pk)
        .filter(_not_hidden_from(user.pk), sender__is_active=True)
        .order_by()
        .values("conversation_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    rows = (
        Participant.objects.filter(user=user, last_activity_id__isnull=False)
        .select_related("conversation")
        .annotate(newest_id=Subquery(newest_visible), unread=Coalesce(Subquery(unread), Value(0)))
    )
    rows, next_cursor = keyset_page(rows, page, key="last_activity_id")
    ids = [row.conversation_id for row in rows]
    members = _members_of(ids)
    last = Message.objects.select_related("sender", "image").in_bulk([r.newest_id for r in rows if r.newest_id])
    relations = RelationSet.for_viewer(user, [m.user_id for ms in members.values() for m in ms])
    views = []
    for row in rows:
        view = ConversationView(
            member=row, members=members.get(row.conversation_id, []), last_message=last.get(row.newest_id),
            unread=row.unread,
        )  # fmt: skip
        absent = view.absent
        view.refusal = (
            str(absent[1])
            if absent
            else next((relations.refusal(o) for o in view.others if relations.is_blocked(o)), None)
        )
        views.append(view)
    return views, next_cursor


def users_for_new_conversation(viewer: User, handles: list[str]) -> tuple[list[User], list[str]]:
    """Look up people by username for the "new message" form: (found, names not found)."""
    wanted = {h.strip().lstrip("@").lower() for h in handles if h.strip().lstrip("@")}
    found = list(
        User.objects.annotate(upper=Upper("username"))  # the unique index on UPPER(username) answers it
        .filter(upper__in=[w.upper() for w in wanted], is_active=True)
        .exclude(pk=viewer.pk)
    )
    missing = sorted(wanted - {u.username.lower() for u in found} - {viewer.username.lower()})
    return found, missing


def may_message(viewer: User, other: User) -> bool:
    """Whether a "Message" button belongs on `other`'s profile for the viewer."""
    if not viewer.is_authenticated or viewer.pk == other.pk:
        return False
    relations = PairRelations.among([viewer.pk, other.pk])
    if relations.refusal(viewer, other) is None:
        return True
    if not other.is_active or relations.block_between(viewer, other):
        return False
    # Only their setting stands in the way, and it gives way where they wrote first.
    existing = one_to_one_with(viewer, other)
    return existing is not None and existing.conversation.messages.filter(sender=other).exists()


def image_for_viewer(user: User, image_id: int | None) -> MessageImage | None:
    """A message image, for the members who can see its message; before it is sent, for its uploader."""
    image = MessageImage.objects.filter(pk=image_id).first() if image_id else None
    if image is None:
        return None
    message = Message.objects.filter(image=image).only("pk", "conversation_id").first()
    if message is None:
        return image if image.owner_id == user.pk else None
    member = membership(user, message.conversation_id)
    if member is None or not visible_messages(member).filter(pk=message.pk).exists():
        return None
    return image
