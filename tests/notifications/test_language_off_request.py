"""What is worded off the reader's request (a push, the live notification's HTML) is worded in the
recipient's language: their setting, else the site's; never that of whoever acted."""

import pytest
from django.utils import translation

from notifications import selectors
from notifications.models import Notification
from notifications.webpush import delivery, push
from tests.tweets.helpers import post
from tweets import services as tweets

pytestmark = pytest.mark.django_db


@pytest.fixture
def liked(ann, ben):
    tweets.like_create(user=ben, tweet_id=post(ann, "my post").pk)
    return Notification.objects.get(recipient=ann, verb=Notification.Verb.LIKE)


def spoken_while(monkeypatch, module, name):
    seen = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: seen.append(translation.get_language()) or real(*a, **k))
    return seen


@pytest.mark.parametrize(("chosen", "expected"), [("es", "es"), ("", "en"), ("xx", "en")])
def test_a_push_is_worded_in_the_recipients_language(monkeypatch, ann, liked, chosen, expected):
    ann.language = chosen
    seen = spoken_while(monkeypatch, delivery, "payload")
    with translation.override("es" if expected == "en" else "en"):  # whoever acted reads another
        push.push_rows(ann, [liked])
    assert seen == [expected]


@pytest.mark.parametrize(("chosen", "expected"), [("es", "es"), ("", "en")])
def test_the_live_notification_is_drawn_in_the_recipients_language(monkeypatch, ann, liked, chosen, expected):
    ann.language = chosen
    seen = spoken_while(monkeypatch, selectors, "render_to_string")
    with translation.override("es" if expected == "en" else "en"):
        event = selectors.live_notification_event(ann, liked.pk)
    assert seen == [expected]
    if expected == "en":
        assert "liked your post" in str(event)


def test_the_grouped_sentence_in_english_is_unchanged(ann, ben, liked):
    text = delivery.text_of([liked])
    assert text == f"{ben.display_name} liked your post: “my post”"
