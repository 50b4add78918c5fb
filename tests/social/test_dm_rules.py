"""Who may message whom, groups, read markers, hiding: the direct-message services."""

import pytest

from config.kernel.errors import Forbidden, NotFound, ServiceError
from notifications.models import Notification
from social.graph import services as social
from social.messages import selectors, services
from social.messages.models import Conversation, Message, Participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def send(sender, text="hi", **kwargs):
    return services.message_send(sender=sender, text=text, **kwargs)


def seen_by(user, conversation_id):
    member = selectors.membership(user, conversation_id)
    return [m.text for m in selectors.visible_messages(member).order_by("id")]


def test_one_to_one_is_unique_per_pair(ann, ben):
    first, created = services.conversation_start(creator=ann, participant_ids=[ben.pk])
    again, created_again = services.conversation_start(creator=ben, participant_ids=[ann.pk])
    assert created and not created_again and first.pk == again.pk
    message = send(ben, "hello", recipient_id=ann.pk)
    assert message.conversation_id == first.pk
    assert Conversation.objects.count() == 1


def test_following_only_setting_refuses_strangers_with_a_reason(ann, ben):
    ben.who_can_message = "following"
    ben.save()
    with pytest.raises(Forbidden, match="only accepts messages from people they follow"):
        send(ann, recipient_id=ben.pk)
    assert not Message.objects.exists() and not Conversation.objects.exists()
    social.follow_create(follower=ben, followee=ann)
    assert send(ann, recipient_id=ben.pk).text == "hi"


def test_you_can_answer_someone_who_wrote_to_you(ann, ben):
    ann.who_can_message = "following"
    ann.save()
    conversation = send(ann, "hey, it's me", recipient_id=ben.pk).conversation
    assert send(ben, "hi back", conversation_id=conversation.pk).text == "hi back"


def test_blocks_stop_messages_both_ways_and_make_it_read_only(ann, ben):
    conversation = send(ann, "before", recipient_id=ben.pk).conversation
    social.block_create(blocker=ben, blocked=ann)
    with pytest.raises(Forbidden, match="has blocked you"):
        send(ann, conversation_id=conversation.pk)
    with pytest.raises(Forbidden, match="You blocked @ann"):
        send(ben, conversation_id=conversation.pk)
    view = selectors.conversation_view(ann, conversation.pk)
    assert view.read_only and "blocked you" in view.refusal
    assert seen_by(ann, conversation.pk) == ["before"]  # history stays readable
    assert Message.objects.count() == 1


def test_deactivated_people_cannot_be_messaged(ann, ben):
    ben.is_active = False
    ben.save()
    with pytest.raises(NotFound):
        send(ann, recipient_id=ben.pk)


def test_text_rules(ann, ben):
    with pytest.raises(ServiceError, match="Write a message"):
        send(ann, "   \n ", recipient_id=ben.pk)
    with pytest.raises(ServiceError, match="at most 10,000"):
        send(ann, "x" * 10_001, recipient_id=ben.pk)
    assert len(send(ann, "é" * 10_000, recipient_id=ben.pk).text) == 10_000
    assert Message.objects.count() == 1


def test_groups_hold_two_to_fifty(ann):
    people = UserFactory.create_batch(50)
    with pytest.raises(ServiceError, match="at most 50"):
        services.conversation_start(creator=ann, participant_ids=[p.pk for p in people])
    assert not Conversation.objects.exists()
    group, created = services.conversation_start(creator=ann, participant_ids=[p.pk for p in people[:49]])
    assert created and group.is_group and group.members.count() == 50
    pair_group, _ = services.conversation_start(creator=ann, participant_ids=[people[0].pk], title="Just us")
    assert pair_group.is_group and pair_group.members.count() == 2
    with pytest.raises(ServiceError, match="at least one other"):
        services.conversation_start(creator=ann, participant_ids=[ann.pk])


def test_a_group_needs_everyone_to_accept_everyone(ann, ben):
    cat = UserFactory(username="cat", who_can_message="following")
    with pytest.raises(Forbidden, match="@cat doesn't accept messages"):
        services.conversation_start(creator=ann, participant_ids=[ben.pk, cat.pk])
    social.follow_create(follower=cat, followee=ann)
    social.follow_create(follower=cat, followee=ben)
    group, _ = services.conversation_start(creator=ann, participant_ids=[ben.pk, cat.pk])
    assert group.members.count() == 3


def test_only_the_creator_adds_and_newcomers_see_only_what_follows(ann, ben):
    cat, dan = UserFactory(username="cat"), UserFactory(username="dan")
    group, _ = services.conversation_start(creator=ann, participant_ids=[ben.pk], title="Plans")
    send(ann, "secret plans", conversation_id=group.pk)
    with pytest.raises(Forbidden, match="Only the person who started"):
        services.participants_add(actor=ben, conversation_id=group.pk, user_ids=[cat.pk])
    services.participants_add(actor=ann, conversation_id=group.pk, user_ids=[cat.pk])
    send(ben, "welcome cat", conversation_id=group.pk)
    assert seen_by(cat, group.pk) == ["welcome cat"]
    assert seen_by(ben, group.pk) == ["secret plans", "welcome cat"]
    social.block_create(blocker=dan, blocked=ben)
    with pytest.raises(Forbidden):
        services.participants_add(actor=ann, conversation_id=group.pk, user_ids=[dan.pk])
    with pytest.raises(NotFound):  # not a member: the group doesn't exist for them
        services.participants_add(actor=dan, conversation_id=group.pk, user_ids=[dan.pk])


def test_anyone_can_leave_a_group_and_then_it_is_gone_for_them(ann, ben):
    group, _ = services.conversation_start(creator=ann, participant_ids=[ben.pk, UserFactory().pk])
    send(ann, "hello all", conversation_id=group.pk)
    services.conversation_leave(user=ben, conversation_id=group.pk)
    assert selectors.membership(ben, group.pk) is None
    with pytest.raises(NotFound):
        send(ben, conversation_id=group.pk)
    one_to_one = send(ann, recipient_id=ben.pk).conversation
    with pytest.raises(ServiceError, match="You can leave groups"):
        services.conversation_leave(user=ann, conversation_id=one_to_one.pk)


def test_outsiders_get_not_found_everywhere(ann, ben):
    eve = UserFactory(username="eve")
    message = send(ann, "private", recipient_id=ben.pk)
    assert selectors.conversation_view(eve, message.conversation_id) is None
    for attempt in (
        lambda: send(eve, conversation_id=message.conversation_id),
        lambda: services.message_hide(user=eve, message_id=message.pk),
        lambda: services.conversation_read(user=eve, conversation_id=message.conversation_id),
    ):
        with pytest.raises(NotFound):
            attempt()


def test_deleting_hides_only_from_yourself(ann, ben):
    message = send(ann, "oops", recipient_id=ben.pk)
    conversation_id = message.conversation_id
    services.message_hide(user=ben, message_id=message.pk)  # someone else's message, for ben only
    assert seen_by(ben, conversation_id) == []
    assert seen_by(ann, conversation_id) == ["oops"]
    services.message_hide(user=ann, message_id=message.pk)
    assert seen_by(ann, conversation_id) == []
    assert Message.objects.filter(pk=message.pk).exists()  # nobody can delete it for everyone


def test_starting_a_conversation_leaves_nothing_unread(ann, ben):
    services.conversation_start(creator=ann, participant_ids=[ben.pk])
    services.conversation_start(creator=ann, participant_ids=[ben.pk, UserFactory().pk], title="Group")
    assert selectors.unread_conversations(ann.pk) == 0 and selectors.unread_conversations(ben.pk) == 0


def test_read_markers_and_unread_counts(ann, ben):
    first = send(ann, "one", recipient_id=ben.pk)
    second = send(ann, "two", conversation_id=first.conversation_id)
    assert selectors.unread_conversations(ben.pk) == 1
    assert selectors.unread_conversations(ann.pk) == 0  # your own messages are read
    services.conversation_read(user=ben, conversation_id=first.conversation_id, up_to=first.pk)
    assert selectors.unread_conversations(ben.pk) == 1
    assert services.conversation_read(user=ben, conversation_id=first.conversation_id) == second.pk
    assert selectors.unread_conversations(ben.pk) == 0
    marker = Participant.objects.get(user=ben).last_read_id
    assert marker == second.pk


def test_a_message_notifies_once_per_sender_and_respects_preferences(ann, ben):
    conversation = send(ann, "one", recipient_id=ben.pk).conversation
    send(ann, "two", conversation_id=conversation.pk)
    notes = Notification.objects.filter(recipient=ben, verb="message")
    assert notes.count() == 1 and notes.get().read_at is None
    services.conversation_read(user=ben, conversation_id=conversation.pk)
    assert notes.get().read_at is not None  # reading the conversation reads its notification
    send(ann, "three", conversation_id=conversation.pk)
    assert notes.get().read_at is None  # a new message makes it unread again

    ann.notification_prefs = {"app": {"message": False}}
    ann.save()
    send(ben, "hi ann", conversation_id=conversation.pk)
    assert not Notification.objects.filter(recipient=ann, verb="message").exists()
    assert Message.objects.filter(sender=ben).exists()  # the message itself still arrives
