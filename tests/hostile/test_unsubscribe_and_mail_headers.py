"""Hostile unsubscribe tokens (the link works without logging in, so the token is all there is), and mail
headers built from what people type (display names) that try to smuggle in lines of their own."""

from __future__ import annotations

import base64
import json

import pytest
from django.core import signing

from notifications import services
from notifications.mail import unsubscribe
from notifications.mail.compose import one_line
from tests.factories import UserFactory
from tests.notifications.mail.conftest import parts, smtp, verify  # noqa: F401 - the fixture
from tests.tweets.helpers import post

pytestmark = pytest.mark.django_db
INVALID = "This unsubscribe link isn&#x27;t valid"


def _tampered_payload(token: str, user_id: int) -> str:
    """The same signature over a payload naming someone else."""
    _, stamp, signature = token.split(":")
    other = base64.urlsafe_b64encode(json.dumps([user_id + 1, "reply"]).encode()).decode().rstrip("=")
    return f"{other}:{stamp}:{signature}"


def bad_tokens(user_id: int) -> dict[str, str]:
    good = unsubscribe.token_for(user_id, "reply")
    return {
        "signature changed": good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
        "payload changed": _tampered_payload(good, user_id),
        "signature cut": good.rsplit(":", 1)[0],
        "garbled": "%%%not-a-token%%%",
        "colons only": ":::",
        "binary": "%FF%FE%01%7F",  # (NUL: the site answers 400 before any view, tests/hostile/test_nul_bytes.py)
        "unicode": "ünsübscribe:😀:x",
        "overlong": "A" * 5000,
        "one over the limit": good + "A" * (unsubscribe.MAX_TOKEN + 1 - len(good)),
        "another salt": signing.dumps([user_id, "reply"], compress=False),
        "unknown kind": signing.dumps([user_id, "everything"], salt=unsubscribe.SALT, compress=False),
        "id as text": signing.dumps([str(user_id), "reply"], salt=unsubscribe.SALT, compress=False),
        "not a pair": signing.dumps({"u": user_id, "k": "reply"}, salt=unsubscribe.SALT, compress=False),
        "nobody": signing.dumps([user_id + 10_000, "reply"], salt=unsubscribe.SALT, compress=False),
        "compressed": signing.dumps([user_id, "reply" * 50], salt=unsubscribe.SALT, compress=True),
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_tokens_are_refused_with_one_message_and_change_nothing(client, ann, method):
    services.update_settings(user=ann, changes={"weeklyDigest": True})
    for why, token in bad_tokens(ann.pk).items():
        response = getattr(client, method)(f"/unsubscribe/{token}")
        assert response.status_code == 400, why
        page = response.content.decode()
        assert INVALID in page, why
        for detail in ("signature", "expired", "salt", "user"):  # never which part was wrong
            assert detail not in page.lower().split("<main")[-1], why
    ann.refresh_from_db()
    assert ann.notification_prefs == {"weeklyDigest": True}


def test_a_suspended_persons_token_is_refused(client, ann):
    token = unsubscribe.token_for(ann.pk, "reply")
    ann.is_active = False
    ann.save()
    assert client.post(f"/unsubscribe/{token}").status_code == 400


def test_other_methods_are_refused(client, ann):
    token = unsubscribe.token_for(ann.pk, "reply")
    assert client.put(f"/unsubscribe/{token}").status_code == 405
    assert client.delete(f"/unsubscribe/{token}").status_code == 405


@pytest.mark.parametrize(
    "name",
    [
        "Eve\r\nBcc: victim@example.com",
        "Eve\nSubject: you won",
        "Eve\r\n\r\n<script>alert(1)</script>",
        "Eve\u2028Bcc: victim@example.com",
        "Eve\x0b\x1f\x7f\x85",
    ],
)
def test_line_breaks_in_display_names_never_reach_the_headers(smtp, django_capture_on_commit_callbacks, ann, name):  # noqa: F811
    address = verify(ann)
    eve = UserFactory(username="eve")
    type(eve).objects.filter(pk=eve.pk).update(name=name)  # as if it got past the form
    eve.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        post(eve, "hostile", reply_to_id=post(ann).pk)
    [mail] = smtp.messages
    assert smtp.envelopes[0].rcpt_tos == [address]  # nobody added
    assert mail["Bcc"] is None
    assert "\n" not in mail["Subject"] and "\r" not in mail["Subject"]
    assert mail["Subject"].endswith("replied to your post") and mail["Subject"].startswith("Eve")
    assert "<script>" not in parts(mail)["text/html"]  # escaped in the HTML part


def test_one_line_bounds_and_flattens():
    assert one_line("a\r\nb\tc\x00d") == "a b c d"
    assert len(one_line("x" * 1000)) == 120
