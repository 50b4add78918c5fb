from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils.translation import gettext as _

from accounts import login_limits, services
from config.kernel.request_context import address_of


class AccountAdapter(DefaultAccountAdapter):
    """allauth's hooks, pointed at our services so pages and API share one path."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.name = (form.cleaned_data.get("name") or "").strip() or user.username
        if commit:
            user.save()
        return user

    def set_password(self, user, password) -> None:
        # Both the reset and the change flows land here, in pages and API alike.
        request = context.request
        match = getattr(request, "resolver_match", None)
        changed = match is not None and match.url_name in KEEPING_VIEWS
        services.password_set(
            user=user, password=password, keep_session=_session_kept(user), request=request, reset=not changed
        )

    def logout(self, request) -> None:
        services.user_logout(request=request)

    def pre_authenticate(self, request, **credentials) -> None:
        # Our limits (accounts/login_limits.py) instead of allauth's, whose per-address
        # count of failures locked every account behind an address after ten typos.
        try:
            login_limits.check(request, _login_of(credentials))
        except login_limits.LoginLimited as limited:
            request.login_retry_after = limited.retry_after  # for the 429's Retry-After
            raise self.validation_error("too_many_login_attempts") from None

    def authentication_failed(self, request, **credentials) -> None:
        login_limits.failed(request, _login_of(credentials))

    def get_client_ip(self, request) -> str:
        # allauth's page rate limits (sign-up, login) count the same address as the
        # API throttles and abuse limits: REMOTE_ADDR, or behind NUM_PROXIES trusted
        # proxies the one they saw. allauth's own default would see only the proxy.
        return address_of(request)


def _login_of(credentials: dict) -> str:
    return credentials.get("email") or credentials.get("username") or ""


# allauth's views that keep the signed-in session after the password changes (under a new key).
KEEPING_VIEWS = {"account_change_password", "account_set_password"}


def _session_kept(user) -> str | None:
    """The key of the session changing its own password that allauth will keep signed in, if any."""
    request = context.request
    match = getattr(request, "resolver_match", None)
    if request is None or match is None or match.url_name not in KEEPING_VIEWS:
        return None
    if app_settings.LOGOUT_ON_PASSWORD_CHANGE or request.user.pk != user.pk:
        return None
    return request.session.session_key


class MFAAdapter(DefaultMFAAdapter):
    """allauth.mfa's hooks: the name apps and passkeys show, and passkeys' names."""

    def _get_site_name(self) -> str:
        return settings.MFA_TOTP_ISSUER  # what authenticator apps and passkey prompts call us

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        # Passkeys are bound to this id: the request's host unless the operator names the site's domain.
        entity = super().get_public_key_credential_rp_entity()
        return {**entity, "id": settings.MFA_WEBAUTHN_RP_ID or entity["id"]}

    def get_totp_label(self, user) -> str:
        return f"@{user.username}"  # public anyway; an email address in the app would show it to onlookers

    def generate_authenticator_name(self, user, type) -> str:
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return _("Passkey %(number)s") % {"number": count + 1}
