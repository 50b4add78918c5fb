"""The API answers as its OpenAPI schema says: schemathesis, in process, with every check on.

Every operation of /api/v1/schema/ is fuzzed (examples, coverage and fuzzing
phases; valid and invalid input) against the WSGI app, as a signed-in person
with something to act on, and every response must pass all of schemathesis'
checks: no 5xx, documented status codes, content types, headers and bodies,
valid requests accepted and invalid ones refused.

Two operations are left out of the fuzz because they destroy the credentials
the run uses: POST /logout (revokes the token) and DELETE /account (deletes
the person). Ordinary tests at the end of this file call each (with all the
checks on their answers), and tests/accounts/test_login.py and
tests/accounts/test_deletion.py cover what they do.

Bounded for CI: 30 fuzzing examples per operation (plus the coverage phase's
boundary cases), derandomized with a fixed seed, no deadline; about a minute
and a half on two cores. `--dist loadfile` keeps the file in one worker.
"""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from PIL import Image
from schemathesis.openapi.checks import RejectedPositiveData

from accounts import services as account_services
from config.kernel.api import patterns
from config.wsgi import application
from social.graph import services as social_services
from social.messages import services as dm_services
from tests.factories import PASSWORD, UserFactory
from tweets import draft_services
from tweets import services as tweet_services

pytestmark = pytest.mark.django_db

# Deterministic in CI; FUZZ_SEED and FUZZ_EXAMPLES explore further by hand.
SEED = int(os.environ.get("FUZZ_SEED", "15"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        # NUL bytes are refused at the door (config/kernel/guards.py, documented as 400), so none are generated.
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
            "allow-x00": False,
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {"enabled": True},
    }
)

schema = (
    schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)
    .exclude(method="POST", path="/api/v1/logout")
    .exclude(method="DELETE", path="/api/v1/account")
)


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _image("PNG"), content_type="image/png")


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


for _media_type, _format in (
    ("image/png", "PNG"),
    ("image/jpeg", "JPEG"),
    ("image/gif", "GIF"),
    ("image/webp", "WEBP"),
):
    schemathesis.openapi.media_type(_media_type, st.just(_image(_format)))


# Path parameters of things that exist, by parameter name; the `world` fixture fills them in.
KNOWN: dict[str, list[str]] = {}
ID = re.compile(patterns.ID)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, aim at something that exists (a random id almost never does)."""
    if not path_parameters:
        return st.just(path_parameters)

    def aimed(choices: dict[str, int]) -> dict:
        result = dict(path_parameters)
        for name, index in choices.items():
            known = KNOWN.get(name) or []
            # Only where the drawn value was valid already: a negative case stays negative.
            if known and isinstance(result.get(name), str) and (name == "handle" or ID.fullmatch(result[name])):
                result[name] = known[index % len(known)]
        return result

    index_strategy = st.fixed_dictionaries({name: st.integers(0, 50) for name in path_parameters})
    return st.one_of(st.just(path_parameters), index_strategy.map(aimed))


# The one exception. Django's password validators also refuse passwords that are too common (a
# list of 20,000) or too like the username or email; JSON Schema can't say that, and the fuzzer
# does draw "aaaaaaaa". Such a 400 is right, so only that failure is dropped, only for the two
# operations that set a password; every other check, and every other refusal there, still counts.
PASSWORD_OPERATIONS = {"POST /api/v1/signup", "POST /api/v1/password-reset/confirm"}
PASSWORD_POLICY = ("This password is too common.", "The password is too similar to the ")


# The same for a scheduled time: "5 minutes to a year from now" moves with the clock, so JSON Schema
# can't say it. Only a 400 whose one field at fault is `scheduledAt` is dropped.
SCHEDULE_OPERATIONS = {
    "POST /api/v1/scheduled", "PATCH /api/v1/scheduled/{draft_id}", "PATCH /api/v1/drafts/{draft_id}",
}  # fmt: skip


# And for a push subscription: a key that is a point of P-256 and an endpoint whose host resolves
# to public addresses only (notifications/webpush/subscriptions.py) are beyond JSON Schema too.
PUSH_OPERATION = "POST /api/v1/account/push-subscriptions"
PUSH_FIELDS = {"endpoint", "keys", "keys.p256dh", "keys.auth"}


@schema.hook
def filter_failure(context, failure, case, response):
    if case.operation.label == PUSH_OPERATION and isinstance(failure, RejectedPositiveData):
        return not (response.status_code == 400 and set(response.json().get("fields", {})) <= PUSH_FIELDS)
    if case.operation.label in SCHEDULE_OPERATIONS and isinstance(failure, RejectedPositiveData):
        return not (response.status_code == 400 and set(response.json().get("fields", {})) == {"scheduledAt"})
    if case.operation.label not in PASSWORD_OPERATIONS or not isinstance(failure, RejectedPositiveData):
        return True
    if response.status_code != 400:
        return True
    fields = response.json().get("fields", {})
    messages = [message for name in ("password", "newPassword") for message in fields.get(name, [])]
    only_policy = set(fields) <= {"password", "newPassword"} and messages
    return not (only_policy and all(message.startswith(PASSWORD_POLICY) for message in messages))


@pytest.fixture
def shared_connection():
    """The app answers on this test's connection, inside its transaction, as Django's test client does.

    Django closes "old" connections when a request starts and ends; inside the
    test's transaction that would close the connection the test's data lives on.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def generous_limits(settings):
    """Sign-up, log-in and reset limits high enough that the fuzzer reaches the code behind them.

    And a fast password hasher: Argon2 is slow on purpose, and the fuzzer logs in and signs up
    a few hundred times.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **rates,
            "signup": "10000/hour",
            "login": "10000/min",
            "password_reset": "10000/hour",
        },
    }


@pytest.fixture(scope="module")
def media_folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz-media")
    return {"MEDIA_ROOT": root / "media", "PRIVATE_MEDIA_ROOT": root / "private_media"}


@pytest.fixture(autouse=True)
def _media_root(settings, media_folders):
    """Replaces tests/conftest.py's for this module: the world's images are kept for all of it."""
    for name, folder in media_folders.items():
        setattr(settings, name, folder)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_folders):
    """A signed-in person with followers, a pending request, posts, likes, messages and notifications.

    Made once, in a transaction that is never committed: each operation's test runs in a savepoint
    inside it (pytest-django's `db`) and is rolled back to it, as Django's setUpTestData does.
    """
    from notifications.models import Notification
    from social.graph.models import FollowRequest

    with django_db_blocker.unblock(), override_settings(**media_folders), transaction.atomic():
        me = UserFactory(username="fuzzer", name="Fuzz Er", is_private=True)
        friend = UserFactory(username="friend")
        fan = UserFactory(username="fan")
        private = UserFactory(username="private", is_private=True)
        asker = UserFactory(username="asker")
        social_services.follow_create(follower=me, followee=friend)
        social_services.follow_create(follower=me, followee=private)  # a request of mine, pending
        for follower in (friend, fan, asker):
            social_services.follow_create(follower=follower, followee=me)
        for request in FollowRequest.objects.filter(target=me, requester__in=[friend, fan]):
            social_services.follow_request_approve(target=me, request_id=request.pk)
        first = tweet_services.tweet_create(author=me, text_input="Hello #fuzz @friend")
        photo = tweet_services.media_upload(owner=me, upload=_upload("photo.png"), alt_text="a square")
        pictured = tweet_services.tweet_create(author=me, text_input="", media_ids=[photo.pk])
        theirs = tweet_services.tweet_create(author=friend, text_input="Hi @fuzzer")
        asked = tweet_services.tweet_create(  # a poll the fuzzer may vote in
            author=friend, text_input="Tea?", poll_choices=["Yes", "No", "Later"], poll_duration=timedelta(days=1)
        )
        reply = tweet_services.tweet_create(author=fan, text_input="nice", reply_to_id=first.pk)
        tweet_services.like_create(user=friend, tweet_id=first.pk)
        tweet_services.like_create(user=me, tweet_id=theirs.pk)
        _, retweet = tweet_services.retweet_create(user=me, tweet_id=theirs.pk)
        one = dm_services.message_send(sender=me, recipient_id=friend.pk, text="hi friend")
        dm_services.message_send(sender=friend, conversation_id=one.conversation_id, text="hi back")
        group, _ = dm_services.conversation_start(creator=me, participant_ids=[friend.pk, fan.pk], title="Group")
        said = dm_services.message_send(sender=fan, conversation_id=group.pk, text="group hello")
        image = dm_services.message_image_upload(owner=me, upload=_upload("dm.png"))
        shown = dm_services.message_send(sender=me, conversation_id=group.pk, media_id=image.pk)
        draft = draft_services.draft_create(author=me, text_input="a draft")
        later = draft_services.draft_create(
            author=me, text_input="later", scheduled_at=timezone.now() + timedelta(days=1)
        )
        KNOWN.update(
            draft_id=[str(draft.pk), str(later.pk)],
            handle=["fuzzer", "friend", str(fan.pk), "private", "asker"],
            tweet_id=[str(t.pk) for t in (first, theirs, reply, retweet, pictured, asked)],
            conversation_id=[str(one.conversation_id), str(group.pk)],
            message_id=[str(one.pk), str(said.pk), str(shown.pk)],
            request_id=[str(r.pk) for r in FollowRequest.objects.filter(target=me)],
            notification_id=[str(n.pk) for n in Notification.objects.filter(recipient=me)],
            image_id=[str(image.pk)],
        )
        yield account_services.token_create(user=me)
        transaction.set_rollback(True)
    KNOWN.clear()


@pytest.fixture
def token(world, db, shared_connection, generous_limits):
    return world


@schema.parametrize()
# An operation's examples share its test's transaction, on purpose: they act on the same people.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_matches_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


# The two operations the fuzz leaves out, by hand: each answer is still checked against the schema.


@pytest.fixture
def someone(db, shared_connection, token_for):
    person = UserFactory(username="leaving")
    return person, {"Authorization": f"Bearer {token_for(person)}"}


def test_logout_answers_as_documented(someone):
    _, credentials = someone
    logout = schema["/api/v1/logout"]["POST"]
    response = logout.Case().call_and_validate(headers=credentials)
    assert response.status_code == 200 and response.json() == {"message": "Logged out."}
    again = logout.Case().call_and_validate(headers=credentials)
    assert again.status_code == 401  # that token stopped working


def test_account_deletion_answers_as_documented(someone):
    person, credentials = someone
    delete = schema["/api/v1/account"]["DELETE"]
    wrong = delete.Case(body={"password": "not-the-password"}, media_type="application/json")
    response = wrong.call_and_validate(headers=credentials)
    assert response.status_code == 403 and "password" in response.json()["fields"]
    right = delete.Case(body={"password": PASSWORD}, media_type="application/json")
    response = right.call_and_validate(headers=credentials)
    assert response.status_code == 200 and response.json()["message"]
    person.refresh_from_db()
    assert not person.is_active
