"""The messages pages: inbox, conversation, sending through a form, group housekeeping."""

import pytest
from django.urls import reverse

from social.graph import services as social
from social.messages import services
from social.messages.models import Conversation, HiddenMessage, Message, Participant
from tests import images
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ben(db):
    return UserFactory(username="ben", name="Ben Bright")


def conversation_with(user, other, text="hello"):
    return services.message_send(sender=other, recipient_id=user.pk, text=text).conversation


def test_inbox_lists_conversations_with_unread_badges(client_logged_in, user, ben):
    conversation_with(user, ben, "Are you coming tonight?")
    page = client_logged_in.get("/messages")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ben Bright" in html and "Are you coming tonight?" in html
    assert 'aria-label="1 unread"' in html  # the conversation's badge and the navigation's


def test_empty_inbox_invites_a_first_message(client_logged_in):
    html = client_logged_in.get("/messages").content.decode()
    assert "Welcome to your inbox" in html and reverse("conversation-new") in html


def test_conversation_page_shows_history_and_reads_it(client_logged_in, user, ben):
    conversation = conversation_with(user, ben, "line one\nline two <b>bold?</b>")
    page = client_logged_in.get(f"/messages/{conversation.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "line one<br>line two &lt;b&gt;bold?&lt;/b&gt;" in html  # kept as text, never as markup
    assert Participant.objects.get(user=user).last_read_id == Message.objects.get().pk


def test_outsiders_get_404_on_every_page(client, user, ben):
    conversation = conversation_with(user, ben)
    message = Message.objects.get()
    eve = UserFactory(username="eve")
    client.force_login(eve)
    assert client.get(f"/messages/{conversation.pk}").status_code == 404
    assert client.get(f"/messages/{conversation.pk}/newer?after=0").status_code == 404
    assert client.post(f"/messages/{conversation.pk}/send", {"text": "let me in"}).status_code == 404
    assert client.post(f"/messages/{conversation.pk}/read").status_code == 404
    assert client.post(f"/messages/{conversation.pk}/{message.pk}/delete").status_code == 404
    assert client.get(f"/api/v1/messages/media/{message.pk}").status_code == 404
    assert Message.objects.count() == 1 and not HiddenMessage.objects.exists()


def test_sending_with_htmx_appends_the_message_and_renews_the_form(client_logged_in, user, ben):
    conversation = conversation_with(user, ben)
    form_token = "8a3ad2c1-1111-4c44-9d6a-2f5e3c6d7e8f"
    answer = client_logged_in.post(
        f"/messages/{conversation.pk}/send", {"text": "Sure, see you", "form_token": form_token}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200
    assert answer["HX-Retarget"] == "#chat-messages" and answer["HX-Reswap"] == "beforeend"
    html = answer.content.decode()
    assert "Sure, see you" in html and 'hx-swap-oob="true"' in html and form_token not in html
    twice = client_logged_in.post(
        f"/messages/{conversation.pk}/send", {"text": "Sure, see you", "form_token": form_token}, HTTP_HX_REQUEST="true"
    )
    assert twice.status_code == 204  # a double submit sends once
    assert Message.objects.filter(text="Sure, see you").count() == 1


def test_sending_an_image_through_the_form(client_logged_in, user, ben, django_capture_on_commit_callbacks):
    conversation = conversation_with(user, ben)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_logged_in.post(
            f"/messages/{conversation.pk}/send",
            {
                "text": "",
                "image": images.png_upload(),
                "alt": "A red square",
                "form_token": "5b1f6c0e-2222-4d6b-8c5e-9a0b1c2d3e4f",
            },
        )
    assert answer.status_code == 302
    message = Message.objects.get(sender=user)
    assert message.image.alt_text == "A red square"
    assert f"/api/v1/messages/media/{message.image_id}" in client_logged_in.get(answer["Location"]).content.decode()


@pytest.mark.parametrize("text", ["   ", "x" * 10_001])
def test_bad_text_shows_a_form_error_and_sends_nothing(client_logged_in, user, ben, text):
    conversation = conversation_with(user, ben)
    plain = client_logged_in.post(
        f"/messages/{conversation.pk}/send", {"text": text, "form_token": "7c1f6c0e-3333-4d6b-8c5e-9a0b1c2d3e4f"}
    )
    assert plain.status_code == 400 and 'class="form-errors"' in plain.content.decode()
    htmx = client_logged_in.post(
        f"/messages/{conversation.pk}/send", {"text": text, "form_token": "7c1f6c0e-4444-4d6b-8c5e-9a0b1c2d3e4f"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert htmx.status_code == 400 and htmx["HX-Retarget"] == "#send-form"
    assert Message.objects.count() == 1


def test_a_block_makes_the_page_read_only(client_logged_in, user, ben):
    conversation = conversation_with(user, ben)
    social.block_create(blocker=ben, blocked=user)
    html = client_logged_in.get(f"/messages/{conversation.pk}").content.decode()
    assert "This conversation is read only." in html and 'id="send-form"' not in html
    refused = client_logged_in.post(
        f"/messages/{conversation.pk}/send", {"text": "hello?", "form_token": "9d1f6c0e-5555-4d6b-8c5e-9a0b1c2d3e4f"}
    )
    assert refused.status_code == 400 and "has blocked you" in refused.content.decode()
    assert Message.objects.count() == 1


def test_message_button_on_profiles_where_allowed(client_logged_in, user, ben):
    assert reverse("message-with", args=["ben"]) in client_logged_in.get("/@ben").content.decode()
    started = client_logged_in.post(reverse("message-with", args=["ben"]))
    conversation = Conversation.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/messages/{conversation.pk}"

    UserFactory(username="shy", who_can_message="following")
    assert reverse("message-with", args=["shy"]) not in client_logged_in.get("/@shy").content.decode()
    refused = client_logged_in.post(reverse("message-with", args=["shy"]), follow=True)
    assert "only accepts messages from people they follow" in refused.content.decode()
    assert reverse("message-with", args=["alice"]) not in client_logged_in.get("/@alice").content.decode()


def test_new_message_form_starts_a_group_or_explains(client_logged_in, user, ben):
    UserFactory(username="cat")
    missing = client_logged_in.post("/messages/new", {"to": "@ben @nobody"})
    assert missing.status_code == 400 and "Nobody is called @nobody" in missing.content.decode()
    made = client_logged_in.post("/messages/new", {"to": "@ben, cat", "title": "Plans"})
    group = Conversation.objects.get()
    assert made["Location"] == f"/messages/{group.pk}" and group.is_group and group.title == "Plans"


def test_leave_and_add_people_from_the_page(client_logged_in, user, ben):
    group, _ = services.conversation_start(creator=user, participant_ids=[ben.pk], title="Crew")
    UserFactory(username="cat")
    client_logged_in.post(f"/messages/{group.pk}/add", {"to": "@cat"})
    assert sorted(group.members.values_list("user__username", flat=True)) == ["alice", "ben", "cat"]
    client_logged_in.post(f"/messages/{group.pk}/leave")
    assert client_logged_in.get(f"/messages/{group.pk}").status_code == 404


def test_page_queries_do_not_grow(client_logged_in, user, django_assert_max_num_queries):
    def talk(count):
        for _ in range(count):
            other = UserFactory()
            conversation = services.message_send(sender=other, recipient_id=user.pk, text="hi").conversation
            services.message_send(sender=user, conversation_id=conversation.pk, text=f"hello {other.username}")
        return conversation

    talk(2)
    with django_assert_max_num_queries(7):
        client_logged_in.get("/messages")
    conversation = talk(25)
    with django_assert_max_num_queries(7):
        page = client_logged_in.get("/messages")
    assert page.content.decode().count('class="conversation-item') == 20

    # The page, who may write, the history, and moving the read marker: a fixed number, however long.
    short = conversation_with(user, UserFactory(), "just one")
    with django_assert_max_num_queries(16):
        client_logged_in.get(f"/messages/{short.pk}")
    other = conversation.members.exclude(user=user).get().user
    for i in range(40):
        services.message_send(sender=other, conversation_id=conversation.pk, text=f"more {i}")
    with django_assert_max_num_queries(16):
        chat = client_logged_in.get(f"/messages/{conversation.pk}")
    assert chat.content.decode().count('class="chat-message') == 30
