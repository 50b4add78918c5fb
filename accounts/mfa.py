"""The second factor of a login: wrong-code limits (pages and API) and the API's second step.

The codes themselves are allauth's (allauth.mfa): a TOTP code is accepted once
(a replay inside its 30 s window is refused: allauth marks it used in the
cache), a recovery code once ever (a bit in the authenticator's row, under
a row lock). We add what allauth leaves to the site: allauth counts wrong
codes under its `login_failed` limit, which this site turns off in favour of
accounts/login_limits.py, so wrong codes are counted here, per account and
per address (MFA_LIMIT_ACCOUNT, MFA_LIMIT_ADDRESS). Once either is full, no
code is even checked until the window passes: a right code is refused too, so
guessing gains nothing.

The API's login answers a correct password of an account with two-factor
login with `mfaRequired` and a short-lived signed `mfaToken` (no session, no
bearer token yet); `POST /login/mfa` with the token and a code finishes it.
"""

from __future__ import annotations

from allauth.core import context
from allauth.mfa import signals
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from allauth.mfa.webauthn.forms import AddWebAuthnForm as AllauthAddWebAuthnForm
from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from config.kernel import ratelimit
from config.kernel.errors import ServiceError
from config.kernel.request_context import address_of

TOKEN_SALT = "accounts.mfa.login"  # noqa: S105 (a signing salt, not a secret)
# What a login may be finished with where there is no browser: WebAuthn needs one (it is the page's).
CODE_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)


class MFALimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _limits(request: HttpRequest, user: User) -> list[tuple[str, ratelimit.Rate]]:
    wanted = [
        (f"mfa:acct:{user.pk}", settings.MFA_LIMIT_ACCOUNT),
        (f"mfa:addr:{address_of(request)}", settings.MFA_LIMIT_ADDRESS),
    ]
    return [(key, ratelimit.Rate.parse(text)) for key, text in wanted if text]


def check(request: HttpRequest, user: User) -> None:
    """Raise MFALimited while too many wrong codes were tried for this account or from this address."""
    full = [hit for hit in ratelimit.count(_limits(request, user), cost=0) if hit.count >= hit.rate.limit]
    if full:
        raise MFALimited(max(hit.retry_after for hit in full))


def failed(request: HttpRequest, user: User) -> None:
    ratelimit.count(_limits(request, user))


def required(user: User) -> bool:
    """Whether logging in takes a second factor (as allauth's login stage decides: an app or a passkey)."""
    return is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def code_methods(user: User) -> list[str]:
    """What the API's second step accepts for this account, in a stable order."""
    types = set(Authenticator.objects.filter(user=user, type__in=CODE_TYPES).values_list("type", flat=True))
    return [kind for kind in CODE_TYPES if kind in types]


def login_token(user: User) -> str:
    """Names the account whose password was right, for MFA_LOGIN_TOKEN_SECONDS.

    It carries a digest of the password hash, so a password change (or reset)
    voids a token issued before it. It is not a credential on its own: only
    a right code turns it into a bearer token.
    """
    return signing.dumps({"u": user.pk, "h": user.get_session_auth_hash()[:16]}, salt=TOKEN_SALT, compress=True)


def user_of_token(token: str) -> User:
    """The account a login token names, or ServiceError (401) if it is forged, expired or outdated."""
    expired = ServiceError(_("This login step has expired. Log in again with your password."), status=401)
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=settings.MFA_LOGIN_TOKEN_SECONDS)
        user = User.objects.get(pk=int(data["u"]), is_active=True)
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError):
        raise expired from None
    if not isinstance(data.get("h"), str) or data["h"] != user.get_session_auth_hash()[:16]:
        raise expired
    return user


TOO_MANY = gettext_lazy("Too many wrong codes. Wait a few minutes, then try again.")


class _LimitedCode:
    """allauth's code check, behind the wrong-code limits (the login page, re-authentication and the API)."""

    user: User

    def clean_code(self) -> str:
        request = context.request
        try:
            check(request, self.user)
        except MFALimited as limited:
            request.mfa_retry_after = limited.retry_after  # for the 429's Retry-After
            raise forms.ValidationError(TOO_MANY, code="too_many_login_attempts") from None
        try:
            return super().clean_code()
        except forms.ValidationError:
            failed(request, self.user)
            raise


class AuthenticateForm(_LimitedCode, AllauthAuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Code from your authenticator app, or a recovery code"
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "autofocus": True, "placeholder": ""})


class ReauthenticateForm(_LimitedCode, AllauthReauthenticateForm):
    pass


class AddPasskeyForm(AllauthAddWebAuthnForm):
    """allauth's form, in the site's words; a passkey logs in alone unless the person says otherwise."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Name"
        self.fields["name"].help_text = "So you can tell your passkeys apart, e.g. “Work laptop”."
        if "passwordless" in self.fields:
            self.fields["passwordless"].label = "Log in with this passkey alone, without a password"
            self.fields["passwordless"].help_text = "Your device asks for your fingerprint, face or PIN."
            self.fields["passwordless"].initial = True


def login_finish(*, request: HttpRequest, token: str, code: str) -> User:
    """The API's second step: the account the token names, if `code` is its TOTP code or an unused recovery code.

    A wrong code counts toward the limits and is 401; past the limits, 429.
    """
    user = user_of_token(token)
    form = AuthenticateForm(user=user, data={"code": code})
    if not form.is_valid():
        retry_after = getattr(request, "mfa_retry_after", None)
        if retry_after:
            raise ServiceError(TOO_MANY, status=429, retry_after=retry_after)
        raise ServiceError(_("Incorrect code."), field="code", status=401)
    authenticator = form.authenticator
    authenticator.record_usage()  # no session to record it in: what allauth's post_authentication does, less that
    signals.authenticator_used.send(
        sender=Authenticator, request=request, user=user, authenticator=authenticator,
        reauthenticated=False, passwordless=False,
    )  # fmt: skip
    return user
