"""Turning two-factor login on for a test account, and the codes its authenticator app would show."""

from __future__ import annotations

import time

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from tests.factories import PASSWORD


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code for `at`, or for now; a code for now is one that stays good for at least 3 seconds.

    allauth accepts only the current 30-second step (MFA_TOTP_TOLERANCE 0): a code made in a step's last
    moment, then a password check (Argon2) on a busy machine, would reach the server in the next step.
    """
    if at is None:
        left = 30 - time.time() % 30
        if left < 3:
            time.sleep(left + 0.05)
        at = time.time()
    return format_hotp_value(hotp_value(secret, int(at) // 30))


def wrong_code(secret: str) -> str:
    right = {totp_code(secret, at=time.time() + shift) for shift in (-30, 0, 30)}
    return next(code for code in (f"{n:06d}" for n in range(123456, 999999, 7)) if code not in right)


def verified(user) -> None:
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def turn_on_totp(user) -> tuple[str, list[str]]:
    """The app's secret and the ten recovery codes, as if set up through Settings > Security."""
    verified(user)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, codes


def recovery_codes_left(user) -> int:
    instance = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return len(RecoveryCodes(instance).get_unused_codes())


def password_step(client, login: str = "alice"):
    """The login page's first step: the password. With 2FA on, it sends the browser to the code step."""
    return client.post("/accounts/login/", {"login": login, "password": PASSWORD})
