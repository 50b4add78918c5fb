"""The OAuth 2 provider's own rules, on top of django-oauth-toolkit (DOT).

- Developers' apps: DOT's Application plus a DeveloperApp row (website, the
  scopes the app may ask for). Every app uses the authorization-code grant;
  confidential ones may also use client credentials (app-only, read scopes).
- Validator: DOT's, with our grant and scope rules and the replay rule of
  RFC 6749 §4.1.2: a code used twice revokes what its first use made.
- Connected apps: what a person approved, and revoking it (its tokens stop at
  once; open sockets recheck).

Tokens are stored as their SHA-256 only (COMPLIANT_BCP_RFC9700_TOKEN_STORAGE);
DOT's models are not swapped. Code elsewhere uses oauth2_provider.models'
get_application_model() / get_access_token_model() / get_refresh_token_model().
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)
from oauth2_provider.oauth2_validators import OAuth2Validator

from accounts import hooks, security
from accounts.models import DeveloperApp, SecurityEvent, User
from config.kernel.api.auth import OAUTH_REFRESH_PREFIX, OAUTH_TOKEN_PREFIX
from config.kernel.api.oauth_scopes import SCOPES, covers
from config.kernel.errors import ServiceError

Application = get_application_model()
AccessToken = get_access_token_model()
RefreshToken = get_refresh_token_model()
Grant = get_grant_model()

CLIENT_TYPES = (Application.CLIENT_CONFIDENTIAL, Application.CLIENT_PUBLIC)
MAX_APPS = 50  # per developer
MAX_REDIRECT_URIS = 10
CODE_MEMORY_SECONDS = 24 * 3600  # how long a used code is remembered, to catch its replay


def new_access_token(request, refresh_token=False) -> str:
    return OAUTH_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_refresh_token(request, refresh_token=False) -> str:
    return OAUTH_REFRESH_PREFIX + secrets.token_urlsafe(32)


def pkce_required(client_id: str) -> bool:
    """Public clients (no secret) must use PKCE; confidential ones may rely on their secret."""
    return not Application.objects.filter(client_id=client_id, client_type=Application.CLIENT_CONFIDENTIAL).exists()


def _code_key(code: str) -> str:
    return "oauth:code-used:" + hashlib.sha256(code.encode()).hexdigest()


def is_mastodon_client(client_id: str) -> bool:
    """Whether the app was registered through Mastodon's API (its clients send no `state`)."""
    return bool(client_id) and DeveloperApp.objects.filter(application__client_id=client_id, api="mastodon").exists()


def allowed_scopes(application) -> set[str]:
    details = DeveloperApp.objects.filter(application=application).first()
    return set(details.scope_list) if details else set()


class Validator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        if grant_type == "client_credentials":  # app-only reads: confidential apps only (they can keep a secret)
            return client.client_type == Application.CLIENT_CONFIDENTIAL
        if grant_type not in ("authorization_code", "refresh_token"):
            return False  # no implicit, password or device grants
        return super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        """Known scopes the app registered for; client credentials get read scopes only."""
        if not scopes or not set(scopes) <= SCOPES.keys():
            return False
        if request.grant_type == "client_credentials" and not all(s == "read" or s.startswith("read:") for s in scopes):
            return False
        registered = allowed_scopes(client)
        return all(covers(registered, scope) for scope in scopes)

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        registered = allowed_scopes(request.client) if request.client else set()
        if request.grant_type == "client_credentials":
            return sorted(s for s in registered if s == "read" or s.startswith("read:"))
        return sorted(registered)

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        if not valid:
            family = cache.get(_code_key(code))
            if family:  # a replayed code: what its first exchange made is revoked (RFC 6749 §4.1.2)
                cache.delete(_code_key(code))
                RefreshToken.revoke_family(family)
        return valid

    def save_bearer_token(self, token, request, *args, **kwargs):
        saved = super().save_bearer_token(token, request, *args, **kwargs)
        if request.grant_type == "authorization_code" and token.get("refresh_token"):
            checksum = hashlib.sha256(token["refresh_token"].encode()).hexdigest()
            family = RefreshToken.objects.filter(token_checksum=checksum).values_list("token_family", flat=True).first()
            if family:
                cache.set(_code_key(request.code), family, CODE_MEMORY_SECONDS)
        return saved


# --- developers' apps ---------------------------------------------------------------------------


_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PATH = r"[A-Za-z0-9._~!$&'()*+,;=:@%/-]"
# What a redirect URI may be (the API schema says the same): http(s), a host name or the loopback
# address, an optional port, a path and query; no fragment, no spaces, no user:password@.
REDIRECT_URI = (
    rf"^https?://(localhost|127\.0\.0\.1|{_LABEL}(\.{_LABEL})?\.[A-Za-z]{{2,63}})(:[0-9]{{2,4}})?"
    rf"(/{_PATH}*)?(\?({_PATH}|\?)*)?$"
)

WEBSITE = rf"^(https?://{_LABEL}(\.{_LABEL})?\.[A-Za-z]{{2,63}}(/{_PATH}*)?)?$"  # or empty


# Out-of-band: the consent page shows the code for the person to paste (Mastodon apps only).
OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"


def _clean_redirect_uri(uri: str, allow_oob: bool = False) -> str:
    uri = uri.strip()
    if allow_oob and uri == OOB_REDIRECT_URI:
        return uri
    if not re.fullmatch(REDIRECT_URI, uri):
        raise ServiceError(
            _("“%(uri)s” is not an absolute URL without a #fragment.") % {"uri": uri[:100]}, field="redirectUris"
        )
    return uri


def app_create(
    *,
    user: User | None,
    name: str,
    redirect_uris: list[str],
    scopes: list[str],
    website: str = "",
    client_type: str = "",
    api: str = "chirp",
) -> tuple:
    """A new app of `user`'s and its client secret (shown once: only its hash is kept).

    Apps registered through Mastodon's POST /api/v1/apps (api="mastodon") belong to no one, as
    Mastodon's do, and may use the out-of-band redirect URI.
    """
    mastodon = api == "mastodon"
    name = name.strip()
    client_type = client_type or Application.CLIENT_CONFIDENTIAL
    if not name or len(name) > 100:
        raise ServiceError(_("Give the app a name of 1 to 100 characters."), field="name")
    if client_type not in CLIENT_TYPES:
        raise ServiceError(_("The client type is confidential or public."), field="clientType")
    uris = list(dict.fromkeys(_clean_redirect_uri(uri, allow_oob=mastodon) for uri in redirect_uris))
    if not uris or len(uris) > MAX_REDIRECT_URIS:
        raise ServiceError(_("Give 1 to %(max)s redirect URIs.") % {"max": MAX_REDIRECT_URIS}, field="redirectUris")
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise ServiceError(_("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown[:5])}, field="scopes")
    if not scopes:
        raise ServiceError(_("Ask for at least one scope."), field="scopes")
    if website and not re.fullmatch(WEBSITE, website):
        raise ServiceError(_("The website is an http or https address."), field="website")
    if user is not None and Application.objects.filter(user=user).count() >= MAX_APPS:
        raise ServiceError(_("You have %(max)s apps already; delete one first.") % {"max": MAX_APPS}, status=409)
    secret = secrets.token_urlsafe(48)
    app = Application(
        user=user,
        name=name,
        client_type=client_type,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(uri for uri in uris if uri != OOB_REDIRECT_URI),
        client_secret=secret if client_type == Application.CLIENT_CONFIDENTIAL else "",
        algorithm=Application.NO_ALGORITHM,
    )
    try:
        if app.redirect_uris:
            app.clean()  # DOT's checks of the redirect URIs (allowed schemes)
    except Exception as error:  # ValidationError; DOT names its own fields
        raise ServiceError(_("A redirect URI isn't allowed (https only, or http on this machine)."),
                           field="redirectUris") from error  # fmt: skip
    app.redirect_uris = " ".join(uris)  # DOT's check knows no URN scheme: the OOB URI is added after it
    with transaction.atomic():
        app.save()
        DeveloperApp.objects.create(application=app, website=website[:300], scopes=" ".join(dict.fromkeys(scopes)),
                                    api="mastodon" if mastodon else "chirp")  # fmt: skip
    return app, (secret if client_type == Application.CLIENT_CONFIDENTIAL else None)


def apps_of(user: User) -> list:
    return list(Application.objects.filter(user=user).select_related("chirp").order_by("-id"))


def app_of(user: User, app_id: int):
    app = Application.objects.filter(user=user, pk=app_id).select_related("chirp").first()
    if app is None:
        raise ServiceError(_("No such app."), status=404)
    return app


def app_delete(*, user: User, app_id: int) -> None:
    """Delete one of `user`'s apps: every token it holds, for anyone, stops working."""
    app = app_of(user, app_id)
    holders = set(AccessToken.objects.filter(application=app).values_list("user_id", flat=True))
    app.delete()  # DOT's tokens and grants go with it (foreign keys cascade)
    for user_id in holders - {None}:
        hooks.credentials_changed(user_id=user_id, keep_session=None, moved_session=None)


# --- connected apps (what a person approved) ---------------------------------------------------------


@dataclass
class ConnectedApp:
    application: object
    scopes: list[str]
    last_used_at: datetime | None


def connected_apps(user: User) -> list[ConnectedApp]:
    """Each app holding a live token of `user`'s, with the scopes granted and its last use. Three queries."""
    now = timezone.now()
    scopes: dict[int, set[str]] = {}
    last: dict[int, datetime] = {}
    live_access = AccessToken.objects.filter(user=user, expires__gt=now, application__isnull=False)
    for app_id, scope, updated in live_access.values_list("application_id", "scope", "updated"):
        scopes.setdefault(app_id, set()).update(scope.split())
        last[app_id] = max(last.get(app_id, updated), updated)
    live_refresh = RefreshToken.objects.filter(user=user, revoked__isnull=True)
    for app_id, updated in live_refresh.values_list("application_id", "updated"):
        scopes.setdefault(app_id, set())
        last[app_id] = max(last.get(app_id, updated), updated)
    apps = Application.objects.filter(pk__in=scopes).select_related("chirp").order_by("name")
    return [ConnectedApp(app, [s for s in SCOPES if s in scopes[app.pk]], last.get(app.pk)) for app in apps]


def connected_app_revoke(*, user: User, application_id: int) -> bool:
    """End an app's access to `user`'s account: all its tokens for them, at once. False if it had none."""
    with transaction.atomic():
        refreshed = RefreshToken.objects.filter(user=user, application_id=application_id, revoked__isnull=True).update(
            revoked=timezone.now(), access_token=None
        )
        deleted, _rows = AccessToken.objects.filter(user=user, application_id=application_id).delete()
        Grant.objects.filter(user=user, application_id=application_id).delete()
        hooks.credentials_changed(user_id=user.pk, keep_session=None, moved_session=None)
    return bool(refreshed or deleted)


def connected_apps_revoke_all(*, user: User) -> int:
    """End every app's access to `user`'s account (a password reset: an intruder may have approved one)."""
    with transaction.atomic():
        RefreshToken.objects.filter(user=user, revoked__isnull=True).update(revoked=timezone.now(), access_token=None)
        deleted, _rows = AccessToken.objects.filter(user=user).delete()
        Grant.objects.filter(user=user).delete()
    return deleted


def approval_record(*, user: User, application, request, scopes: str) -> None:
    """The person approved an app: a line in their security log."""
    security.event_record(user=user, kind=SecurityEvent.Kind.APP_APPROVED, request=request,
                          detail=f"{application.name}: {scopes}")  # fmt: skip
