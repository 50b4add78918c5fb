"""What accounts does when allauth announces something (connected in accounts/apps.py): the security log."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.internal.flows import did_use_passwordless_login

from accounts import security

Kind = security.Kind
Type = Authenticator.Type

# Recovery codes come along with the first app or passkey: only making new ones (a reset) is logged.
ADDED = {Type.TOTP: Kind.TOTP_ON, Type.WEBAUTHN: Kind.PASSKEY_ADDED}
REMOVED = {Type.TOTP: Kind.TOTP_OFF, Type.WEBAUTHN: Kind.PASSKEY_REMOVED}  # recovery codes go with the last one


def _name(authenticator: Authenticator) -> str:
    return authenticator.data.get("name", "") if authenticator.type == Type.WEBAUTHN else ""


def session_signed_in(sender, request, user, **kwargs) -> None:
    """Django's login (allauth's pages, and tests' force_login): the session gets its row before its first page."""
    if request is not None:
        security.session_start(request=request, user=user)


def logged_in(sender, request, user, response=None, **kwargs) -> None:
    kind = Kind.LOGIN_PASSKEY if did_use_passwordless_login(request, user) else Kind.LOGIN
    security.login_record(request=request, user=user, kind=kind, response=response)


def authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    if authenticator.type in ADDED:
        kind = ADDED[authenticator.type]
        security.event_record(user=user, kind=kind, request=request, detail=_name(authenticator))


def authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    if authenticator.type in REMOVED:
        security.event_record(user=user, kind=REMOVED[authenticator.type], request=request, detail=_name(authenticator))


def authenticator_reset(sender, request, user, authenticator, **kwargs) -> None:
    if authenticator.type == Type.RECOVERY_CODES:
        security.event_record(user=user, kind=Kind.RECOVERY_CODES, request=request)


def authenticator_used(sender, request, user, authenticator, **kwargs) -> None:
    if authenticator.type == Type.RECOVERY_CODES:  # a code spent: worth knowing if it wasn't you
        security.event_record(user=user, kind=Kind.RECOVERY_CODE_USED, request=request)


def authentication_failed(sender, request, user, authenticator, **kwargs) -> None:
    security.event_record(user=user, kind=Kind.MFA_FAILED, request=request)
