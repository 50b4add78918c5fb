"""Writes for direct messages: start a conversation, send, read, hide, leave, add people."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from accounts.models import User
from config.kernel import abuse
from config.kernel import media as pipeline
from config.kernel import text as text_rules
from config.kernel.errors import Conflict, Forbidden, NotFound, ServiceError
from config.kernel.media_tasks import process_after_commit
from social.messages import hooks
from social.messages.models import Conversation, HiddenMessage, Message, MessageImage, Participant
from social.messages.rules import PairRelations, group_refusal, send_refusal

NO_CONVERSATION = "No such conversation."
NO_MESSAGE = "No such message."


def _membership(user: User, conversation_id: int | None) -> Participant:
    found = (
        Participant.objects.select_related("conversation").filter(user=user, conversation_id=conversation_id).first()
        if conversation_id
        else None
    )
    if found is None:
        raise NotFound(_("No such conversation."))
    return found


def _members(conversation: Conversation) -> list[User]:
    return list(User.objects.filter(conversations=conversation).order_by("pk"))


def _people(user_ids: list[int], *, field: str = "participantIds") -> list[User]:
    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    if len(users) != len(set(user_ids)):
        raise NotFound(_("No such user."), field=field)
    return users


# --- starting -------------------------------------------------------------------------------


@transaction.atomic
def conversation_start(
    *, creator: User, participant_ids: list[int], title: str = "", is_group: bool | None = None
) -> tuple[Conversation, bool]:
    """Open a one-to-one conversation (the existing one, if any) or start a group. Returns (it, created)."""
    others_ids = list(dict.fromkeys(i for i in participant_ids if i != creator.pk))
    if not others_ids:  # well-formed, but only yourself
        raise Forbidden(_("Choose at least one other person."), field="participantIds")
    if len(others_ids) + 1 > Conversation.MAX_PARTICIPANTS:
        raise ServiceError(
            _("A group can have at most %(limit)s people, you included.") % {"limit": Conversation.MAX_PARTICIPANTS},
            field="participantIds",
        )
    title = " ".join((title or "").split())
    if len(title) > Conversation.TITLE_MAX:
        raise ServiceError(
            _("Group names can be at most %(limit)s characters.") % {"limit": Conversation.TITLE_MAX}, field="title"
        )
    others = _people(others_ids)
    if is_group is None:
        is_group = len(others) > 1 or bool(title)
    if not is_group:
        if len(others) > 1:
            raise ServiceError(_("A one-to-one conversation has one other person."), field="participantIds")
        return _one_to_one(creator, others[0])
    if reason := group_refusal([creator, *others], PairRelations.among([creator.pk, *others_ids]), others):
        raise Forbidden(reason)
    conversation = Conversation.objects.create(is_group=True, title=title, created_by=creator)
    _join(conversation, [creator, *others], creator=creator)
    return conversation, True


def _one_to_one(creator: User, other: User) -> tuple[Conversation, bool]:
    key = Conversation.pair_key_for(creator.pk, other.pk)
    existing = Conversation.objects.filter(pair_key=key).first()
    if existing is not None:
        return existing, False
    if reason := PairRelations.among([creator.pk, other.pk]).refusal(creator, other):
        raise Forbidden(reason)
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(is_group=False, pair_key=key, created_by=creator)
    except IntegrityError:  # both started it at once
        return Conversation.objects.get(pair_key=key), False
    _join(conversation, [creator, other], creator=creator)
    return conversation, True


def _join(conversation: Conversation, users: list[User], *, creator: User | None = None, history_from: int = 0):
    """Add members. Only the creator sees a conversation before its first message (and has read it)."""
    Participant.objects.bulk_create(
        Participant(
            conversation=conversation,
            user=user,
            last_activity_id=conversation.pk if is_creator else None,
            last_read_id=conversation.pk if is_creator else history_from,
            history_from_id=history_from,
        )
        for user in users
        for is_creator in [creator is not None and user.pk == creator.pk]
    )


# --- sending ----------------------------------------------------------------------------------


def _checked_text(raw: str, *, has_image: bool) -> str:
    body = text_rules.normalise(raw or "")
    if len(body) > Message.MAX_LENGTH:
        raise ServiceError(
            _("Messages can be at most %(limit)s characters; this one has %(count)s.")
            % {"limit": f"{Message.MAX_LENGTH:,}", "count": f"{len(body):,}"},
            field="messageText",
        )
    if not body.strip() and not has_image:
        raise ServiceError(_("Write a message or add an image."), field="messageText")
    return body.strip()


def _image_for(sender: User, media_id: int | None) -> MessageImage | None:
    if media_id is None:
        return None
    image = MessageImage.objects.filter(pk=media_id, owner=sender, message__isnull=True).first()
    if image is None:
        raise NotFound(
            _("No such image. Upload it with purpose=message, then send it once, within a day."), field="mediaId"
        )
    if image.state == MessageImage.State.FAILED:
        raise ServiceError(
            _("That file couldn't be used: %(failure)s") % {"failure": image.failure or _("it could not be read")},
            field="mediaId",
        )
    return image


@transaction.atomic
def message_send(
    *,
    sender: User,
    text: str = "",
    conversation_id: int | None = None,
    recipient_id: int | None = None,
    media_id: int | None = None,
    upload=None,
    alt_text: str = "",
) -> Message:
    """Send to a conversation you are in, or to one person (starting your conversation if needed).

    A message that may be sent counts against the messaging limit and the
    flood check (config/kernel/abuse.py); a refusal takes back a conversation started here.
    """
    if (conversation_id is None) == (recipient_id is None):
        raise ServiceError(_("Give either a conversationId or a recipientId."), field="conversationId")
    image = _image_for(sender, media_id)
    body = _checked_text(text, has_image=image is not None or upload is not None)
    if recipient_id is not None:
        conversation, _created = conversation_start(creator=sender, participant_ids=[recipient_id], is_group=False)
    else:
        conversation = _membership(sender, conversation_id).conversation
    members = _members(conversation)
    if reason := send_refusal(sender, members, conversation):
        raise Forbidden(reason)
    abuse.check(abuse.MESSAGE, sender, text=body)
    if upload is not None:
        abuse.check(abuse.UPLOAD, sender)
        image = _image_store(sender, upload, alt_text)
    message = Message.objects.create(conversation=conversation, sender=sender, text=body, image=image)
    Participant.objects.filter(conversation=conversation).update(last_activity_id=message.pk)
    Participant.objects.filter(conversation=conversation, user=sender).update(last_read_id=message.pk)
    hooks.message_sent(message=message, members=members)
    return message


# --- reading, hiding -------------------------------------------------------------------------


@transaction.atomic
def conversation_read(*, user: User, conversation_id: int, up_to: int | None = None) -> int:
    """Move the reader's marker to `up_to` (or the newest message). Returns the marker."""
    membership = _membership(user, conversation_id)
    newest = Message.objects.filter(conversation_id=conversation_id).aggregate(top=Max("id"))["top"] or 0
    marker = min(up_to, newest) if up_to is not None else newest
    if marker <= membership.last_read_id:
        return membership.last_read_id
    Participant.objects.filter(pk=membership.pk).update(last_read_id=marker)
    members = list(Participant.objects.filter(conversation_id=conversation_id).values_list("user_id", flat=True))
    hooks.conversation_read(reader=user, conversation_id=conversation_id, marker=marker, member_ids=members)
    return marker


@transaction.atomic
def message_hide(*, user: User, message_id: int) -> None:
    """Delete a message for yourself: it leaves your view only; everyone else keeps it."""
    message = Message.objects.filter(
        pk=message_id, conversation__members__user=user, pk__gt=F("conversation__members__history_from_id")
    ).first()
    if message is None:
        raise NotFound(_("No such message."))
    HiddenMessage.objects.get_or_create(user=user, message=message)


# --- groups -----------------------------------------------------------------------------------


@transaction.atomic
def conversation_leave(*, user: User, conversation_id: int) -> None:
    membership = _membership(user, conversation_id)
    conversation = membership.conversation
    if not conversation.is_group:
        raise Conflict(_("You can leave groups; a one-to-one conversation stays."))
    membership.delete()
    if not Participant.objects.filter(conversation=conversation).exists():
        conversation.delete()  # the last one out: nobody can read it any more


@transaction.atomic
def participants_add(*, actor: User, conversation_id: int, user_ids: list[int]) -> list[User]:
    """The group's creator adds people every member may message. They see what is said from now on."""
    conversation = _membership(actor, conversation_id).conversation
    if not conversation.is_group:
        raise Conflict(_("People can only be added to groups."), field="participantIds")
    if conversation.created_by_id != actor.pk:
        raise Forbidden(_("Only the person who started the group can add people."))
    members = _members(conversation)
    new_ids = [i for i in dict.fromkeys(user_ids) if i not in {m.pk for m in members}]
    if not new_ids:
        raise Conflict(_("They are all in the group already."), field="participantIds")
    if len(members) + len(new_ids) > Conversation.MAX_PARTICIPANTS:
        raise Conflict(
            _("A group can have at most %(limit)s people.") % {"limit": Conversation.MAX_PARTICIPANTS},
            field="participantIds",
        )
    newcomers = _people(new_ids)
    everyone = [*members, *newcomers]
    if reason := group_refusal(everyone, PairRelations.among([u.pk for u in everyone]), newcomers):
        raise Forbidden(reason)
    newest = Message.objects.filter(conversation=conversation).aggregate(top=Max("id"))["top"] or 0
    _join(conversation, newcomers, history_from=newest)
    Participant.objects.filter(conversation=conversation, user__in=newcomers).update(
        last_activity_id=newest or conversation.pk
    )
    return newcomers


# --- images -------------------------------------------------------------------------------------


@transaction.atomic
def message_image_upload(*, owner: User, upload, alt_text: str = "") -> MessageImage:
    """Keep an image for a later POST /messages (`mediaId`); only its owner can see it until sent."""
    abuse.check(abuse.UPLOAD, owner)
    return _image_store(owner, upload, alt_text)


def _image_store(owner: User, upload, alt_text: str) -> MessageImage:
    """Check the header and keep the original privately (config/kernel/media.py); processed after commit."""
    image = pipeline.store(MessageImage(owner=owner), upload, alt_text=alt_text)
    process_after_commit(image)
    return image
