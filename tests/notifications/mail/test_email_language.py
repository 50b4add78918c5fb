"""Mail is written in its recipient's language (User.language; blank: the site's), not in the language of
whatever request or worker happened to make it.

Needs the merged Spanish catalogue (locale/es/LC_MESSAGES/django.po, compiled) to pass.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from notifications import services
from notifications.mail import tasks
from social.graph import services as social
from tests.factories import UserFactory
from tests.notifications.mail.conftest import parts, verify
from tests.tweets.helpers import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


def test_a_spanish_readers_digest_is_in_spanish(smtp, act, ben):
    reader = UserFactory(username="lola", language="es")
    verify(reader)
    services.update_settings(user=reader, changes={"types": {"mention": {"email": "daily"}}})
    act(post, ben, f"hey @{reader.username} look")  # made in ben's request, in English
    tasks.sweep_email.delay()
    [digest] = smtp.messages
    assert digest["Subject"] == "Tu resumen diario de Chirp: 1 notificación nueva"
    body = parts(digest)
    assert '<html lang="es">' in body["text/html"]
    for text in body.values():
        assert "Recibes este correo porque elegiste un resumen diario de menciones." in text
        assert "Ver tus notificaciones" in text
        assert "look" in text  # the post itself as written
        assert "You get this email" not in text


def test_a_spanish_reader_gets_a_spanish_mail_from_an_english_request_and_the_reverse(smtp, act, ann, ben):
    lola = UserFactory(username="lola", language="es")
    verify(lola)
    verify(ann)  # language blank: the site's, English
    with translation.override("en"):
        act(social.follow_create, follower=ben, followee=lola)
    with translation.override("es"):
        act(social.follow_create, follower=ben, followee=ann)
    to_lola, to_ann = smtp.to(lola.email), smtp.to(ann.email)
    assert len(to_lola) == len(to_ann) == 1
    spanish, english = parts(to_lola[0])["text/plain"], parts(to_ann[0])["text/plain"]
    assert "Recibes este correo porque elegiste recibir un correo al instante sobre nuevos seguidores." in spanish
    assert "You get this email because you chose to get an email right away about new followers." in english
    assert "Recibes" not in english
