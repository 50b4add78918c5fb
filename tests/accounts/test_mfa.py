"""Two-factor login: turning it on, logging in with a code (page and API), and the attacks on the codes."""

import re
import time

import pytest
from django.core import signing
from knox.models import AuthToken

from accounts import mfa
from accounts.models import SecurityEvent
from tests.accounts.mfa_helpers import (
    password_step,
    recovery_codes_left,
    totp_code,
    turn_on_totp,
    verified,
    wrong_code,
)
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind


def logged_in_as(client):
    return client.get("/").context["user"]


# --- turning it on ------------------------------------------------------------------------


def test_turning_on_the_app_with_a_code_from_its_qr_code(client, user, django_capture_on_commit_callbacks):
    verified(user)
    assert password_step(client).status_code == 302
    asked = client.get("/accounts/2fa/totp/activate/")  # allauth asks for the password again first
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    confirmed = client.post(asked["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data:image/svg+xml" in html  # the QR code
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html).group(1)

    wrong = client.post("/accounts/2fa/totp/activate/", {"code": wrong_code(secret)})
    assert wrong.status_code == 200 and not mfa.required(user)

    with django_capture_on_commit_callbacks(execute=True):
        right = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert right.status_code == 302 and right["Location"] == "/accounts/2fa/recovery-codes/"
    assert mfa.required(user)
    codes_page = client.get(right["Location"]).content.decode()
    assert len(re.findall(r"\b\d{8}\b", codes_page)) >= 10
    download = client.get("/accounts/2fa/recovery-codes/download/")
    assert download.status_code == 200 and len(re.findall(r"\b\d{8}\b", download.content.decode())) == 10
    assert SecurityEvent.objects.filter(user=user, kind=Kind.TOTP_ON).exists()


def test_the_2fa_overview_is_settings_security(client, user):
    client.force_login(user)
    assert client.get("/accounts/2fa/")["Location"] == "/settings/security"
    assert client.get("/accounts/2fa/webauthn/")["Location"] == "/settings/security#passkeys"  # after a removal


def test_regenerating_recovery_codes_voids_the_old_ones(client, user, django_capture_on_commit_callbacks):
    secret, old_codes = turn_on_totp(user)
    password_step(client)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    client.post("/accounts/2fa/reauthenticate/", {"code": old_codes[9]})  # making new codes asks for a code again
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/recovery-codes/generate/")
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(user=user, kind=Kind.RECOVERY_CODES).exists()
    client.post("/accounts/logout/")

    password_step(client)
    refused = client.post("/accounts/2fa/authenticate/", {"code": old_codes[0]})
    assert refused.status_code == 200 and "Incorrect code" in refused.content.decode()
    assert not logged_in_as(client).is_authenticated


# --- logging in on the page ---------------------------------------------------------------


def test_login_page_asks_for_the_code_then_logs_in(client, user):
    secret, _ = turn_on_totp(user)
    first = password_step(client)
    assert first.status_code == 302 and first["Location"] == "/accounts/2fa/authenticate/"
    assert not logged_in_as(client).is_authenticated  # a right password alone opens nothing
    step = client.get("/accounts/2fa/authenticate/")
    assert step.status_code == 200 and "Two-factor login" in step.content.decode()

    done = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert done.status_code == 302
    assert logged_in_as(client) == user
    assert SecurityEvent.objects.filter(user=user, kind=Kind.LOGIN).count() == 1


def test_login_page_with_a_recovery_code_spends_it(client, user):
    _, codes = turn_on_totp(user)
    password_step(client)
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[3]}).status_code == 302
    assert logged_in_as(client) == user
    assert recovery_codes_left(user) == 9
    assert SecurityEvent.objects.filter(user=user, kind=Kind.RECOVERY_CODE_USED).exists()


def test_a_recovery_code_works_once(client, user):
    _, codes = turn_on_totp(user)
    password_step(client)
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    client.post("/accounts/logout/")

    password_step(client)
    again = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert again.status_code == 200 and "Incorrect code" in again.content.decode()
    assert not logged_in_as(client).is_authenticated
    assert recovery_codes_left(user) == 9


def test_a_totp_code_can_not_be_replayed_within_its_window(client, user):
    secret, _ = turn_on_totp(user)
    password_step(client)
    code = totp_code(secret)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")

    password_step(client)
    replay = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert replay.status_code == 200 and "Incorrect code" in replay.content.decode()
    assert not logged_in_as(client).is_authenticated


def test_guessed_codes_lock_the_account_even_for_the_right_code(client, user, settings):
    secret, _ = turn_on_totp(user)
    password_step(client)
    for _ in range(5):
        response = client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
        assert response.status_code == 200
    locked = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert "Too many wrong codes" in locked.content.decode()
    assert not logged_in_as(client).is_authenticated
    assert SecurityEvent.objects.filter(user=user, kind=Kind.MFA_FAILED).count() == 5


def test_the_account_lock_holds_from_another_address(client, user):
    secret, _ = turn_on_totp(user)
    password_step(client)
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)}, REMOTE_ADDR="10.0.0.1")
    from django.test import Client

    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    password_step(elsewhere)
    response = elsewhere.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 429


def test_one_address_guessing_at_many_accounts_is_locked(settings):
    from django.test import Client

    settings.MFA_LIMIT_ADDRESS = "6/15m"
    people = [UserFactory(username=f"victim{n}") for n in range(4)]
    secrets = [turn_on_totp(person)[0] for person in people]
    guesser = Client(REMOTE_ADDR="10.6.6.6")
    for person, secret in zip(people[:3], secrets[:3], strict=True):
        password_step(guesser, person.username)
        for _ in range(2):
            guesser.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
        guesser.post("/accounts/logout/")
    password_step(guesser, people[3].username)
    response = guesser.post("/accounts/2fa/authenticate/", {"code": totp_code(secrets[3])})
    assert response.status_code == 429  # a fresh account, a right code, but from the guessing address

    honest = Client(REMOTE_ADDR="10.7.7.7")
    password_step(honest, people[3].username)
    assert honest.post("/accounts/2fa/authenticate/", {"code": totp_code(secrets[3])}).status_code == 302


def test_the_code_step_without_a_password_first_goes_back_to_login(client, user):
    turn_on_totp(user)
    response = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the API ------------------------------------------------------------------------------


def api_password(api_client, login="alice"):
    return api_client.post("/api/v1/login", {"username": login, "password": PASSWORD}, format="json")


def test_api_login_asks_for_a_code_then_answers_a_token(api_client, user):
    secret, _ = turn_on_totp(user)
    first = api_password(api_client)
    assert first.status_code == 200
    body = first.json()
    assert body["mfaRequired"] is True and body["methods"] == ["totp", "recovery_codes"]
    assert "token" not in body and not AuthToken.objects.exists()

    done = api_client.post("/api/v1/login/mfa", {"mfaToken": body["mfaToken"], "code": totp_code(secret)})
    assert done.status_code == 200
    assert done.json()["user"]["username"] == "alice"
    me = api_client.get("/api/v1/bookmarks", HTTP_AUTHORIZATION=f"Bearer {done.json()['token']}")
    assert me.status_code == 200
    assert SecurityEvent.objects.filter(user=user, kind=Kind.LOGIN).count() == 1


def test_api_login_without_2fa_is_one_step(api_client, user):
    response = api_password(api_client)
    assert response.status_code == 200 and "token" in response.json() and "mfaRequired" not in response.json()


def test_api_recovery_code_works_once(api_client, user):
    _, codes = turn_on_totp(user)
    token = api_password(api_client).json()["mfaToken"]
    assert api_client.post("/api/v1/login/mfa", {"mfaToken": token, "code": codes[1]}).status_code == 200
    token = api_password(api_client).json()["mfaToken"]
    reused = api_client.post("/api/v1/login/mfa", {"mfaToken": token, "code": codes[1]})
    assert reused.status_code == 401 and reused.json()["fields"] == {"code": ["Incorrect code."]}
    assert AuthToken.objects.count() == 1


def test_api_totp_code_replayed_is_refused(api_client, user):
    secret, _ = turn_on_totp(user)
    token = api_password(api_client).json()["mfaToken"]
    code = totp_code(secret)
    assert api_client.post("/api/v1/login/mfa", {"mfaToken": token, "code": code}).status_code == 200
    replay = api_client.post("/api/v1/login/mfa", {"mfaToken": token, "code": code})
    assert replay.status_code == 401
    assert AuthToken.objects.count() == 1


def test_api_guessing_locks_the_account_with_retry_after(api_client, user):
    secret, _ = turn_on_totp(user)
    token = api_password(api_client).json()["mfaToken"]
    for _ in range(5):
        wrong = api_client.post("/api/v1/login/mfa", {"mfaToken": token, "code": wrong_code(secret)})
        assert wrong.status_code == 401
        assert wrong.json()["error"] == "Incorrect code."
    locked = api_client.post("/api/v1/login/mfa", {"mfaToken": token, "code": totp_code(secret)})
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert "Too many wrong codes" in locked.json()["error"]
    assert not AuthToken.objects.exists()


def test_api_and_page_share_the_lock(client, api_client, user):
    secret, _ = turn_on_totp(user)
    password_step(client)
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
    token = api_password(api_client).json()["mfaToken"]
    assert api_client.post("/api/v1/login/mfa", {"mfaToken": token, "code": totp_code(secret)}).status_code == 429


@pytest.mark.parametrize("how", ["forged", "expired", "other_salt", "after_password_change", "garbage"])
def test_api_mfa_token_that_opens_nothing_is_401(api_client, user, how, settings):
    secret, _ = turn_on_totp(user)
    token = api_password(api_client).json()["mfaToken"]
    if how == "forged":
        token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    elif how == "expired":
        settings.MFA_LOGIN_TOKEN_SECONDS = 0
        time.sleep(1)
    elif how == "other_salt":
        token = signing.dumps({"u": user.pk, "h": user.get_session_auth_hash()[:16]}, salt="something.else")
    elif how == "after_password_change":
        user.set_password("a-brand-new-passphrase")
        user.save()
    else:
        token = "not a token at all"
    response = api_client.post("/api/v1/login/mfa", {"mfaToken": token, "code": totp_code(secret)})
    assert response.status_code == 401
    assert "expired" in response.json()["error"]
    assert not AuthToken.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"mfaToken": "x"}, {"code": "123456"}, {"mfaToken": 5, "code": "1"}, {"mfaToken": "x", "code": "1" * 33},
     {"mfaToken": "x" * 1001, "code": "123456"}, {"mfaToken": "x", "code": ["123456"]}],
)  # fmt: skip
def test_api_mfa_bad_input_is_400(api_client, user, body):
    response = api_client.post("/api/v1/login/mfa", body, format="json")
    assert response.status_code == 400 and "error" in response.json()


def test_api_wrong_password_for_a_2fa_account_says_nothing_of_2fa(api_client, user):
    turn_on_totp(user)
    response = api_client.post("/api/v1/login", {"username": "alice", "password": "wrong-password"})
    assert response.status_code == 401 and "mfa" not in response.content.decode().lower()


def test_passkey_only_account_answers_recovery_codes_over_the_api(api_client, user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Phone"})
    codes = RecoveryCodes.activate(user).get_unused_codes()
    body = api_password(api_client).json()
    assert body["methods"] == ["recovery_codes"]
    done = api_client.post("/api/v1/login/mfa", {"mfaToken": body["mfaToken"], "code": codes[0]})
    assert done.status_code == 200


def test_turning_the_app_off_is_logged_and_login_is_one_step_again(client, user, django_capture_on_commit_callbacks):
    secret, _ = turn_on_totp(user)
    password_step(client)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not mfa.required(user)
    assert SecurityEvent.objects.filter(user=user, kind=Kind.TOTP_OFF).exists()
    client.post("/accounts/logout/")
    assert password_step(client)["Location"] == "/"
