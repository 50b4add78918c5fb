"""Writes for accounts: sign-up, tokens, passwords, profile and privacy."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm, ResetPasswordForm, ResetPasswordKeyForm, UserTokenForm
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from knox.models import AuthToken

from accounts import hooks, oauth, security
from accounts.models import ProfileImage, User
from config.kernel import abuse, images, media
from config.kernel.errors import ServiceError
from config.kernel.languages import supported as supported_language
from config.kernel.media_tasks import process_image
from config.kernel.tasks import after_commit
from config.kernel.timezones import valid_zone

PROFILE_FIELDS = ("name", "bio", "location", "website")


@transaction.atomic
def user_signup(*, request: HttpRequest, email: str, username: str, password: str, name: str = "") -> User:
    """Create an account through allauth's form and adapter, as the sign-up page does."""
    from accounts.forms import SignupForm  # the form imports allauth settings lazily

    form = SignupForm(data={"email": email, "username": username, "password1": password, "name": name})
    if not form.is_valid():
        raise ServiceError.from_form(form, rename={"password1": "password"})
    user = form.save(request)
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address and settings.ACCOUNT_EMAIL_VERIFICATION != "none":
        after_commit(address.send_confirmation, request, signup=True)
    return user


def user_authenticate(*, request: HttpRequest, login: str, password: str) -> User:
    """Check credentials with allauth's form, so its failed-login limits apply."""
    form = LoginForm(data={"login": login, "password": password}, request=request)
    if form.is_valid():
        # allauth hands back inactive users so its pages can explain; the API refuses here.
        if not form.user.is_active:
            raise ServiceError(_("This account is inactive."), status=403)
        return form.user
    error = ServiceError.from_form(form, rename={"login": "username"})
    codes = {e.code for e in form.non_field_errors().as_data()}
    if "too_many_login_attempts" in codes:
        error.status = 429
        error.retry_after = getattr(request, "login_retry_after", None) or 60
    elif codes:
        error.status = 401  # wrong credentials or an inactive account, not malformed input
    raise error


def token_create(*, user: User) -> str:
    """A new bearer token; only its hash is stored, so this is the one chance to read it."""
    _instance, token = AuthToken.objects.create(user=user)
    return token


@transaction.atomic
def token_revoke(*, token: AuthToken) -> None:
    """The token stops working, and so do live sockets opened with it."""
    token.delete()
    hooks.credentials_changed(user_id=token.user_id, keep_session=None, moved_session=None)


@transaction.atomic
def tokens_revoke_all(*, user: AbstractBaseUser) -> int:
    deleted, _rows = AuthToken.objects.filter(user=user).delete()
    hooks.credentials_changed(user_id=user.pk, keep_session=None, moved_session=None)
    return deleted


@transaction.atomic
def password_set(
    *,
    user: AbstractBaseUser,
    password: str,
    keep_session: str | None = None,
    request: HttpRequest | None = None,
    reset: bool = False,
) -> None:
    """Change a password and revoke every API token issued under the old one (and, on a reset, every app's).

    Django drops sessions whose password hash no longer matches; live sockets
    check theirs once this commits, so those of other sessions and every
    token close. `keep_session` is the key of the session that made the
    change and stays signed in: its sockets wait for `session_moved`.
    `reset`: set from a reset link rather than changed by its owner (the log says which).
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    AuthToken.objects.filter(user=user).delete()
    if reset:  # apps never saw the password, but whoever had the account may have approved one (DECISIONS)
        oauth.connected_apps_revoke_all(user=user)
    # Django would refuse the other sessions at their next request; ending them now also unlists them.
    security.sessions_drop(user=user, keep_key=keep_session)
    kind = security.Kind.PASSWORD_RESET if reset else security.Kind.PASSWORD_CHANGED
    security.event_record(user=user, kind=kind, request=request)  # in the person's security log
    hooks.credentials_changed(user_id=user.pk, keep_session=keep_session, moved_session=None)


def session_moved(*, request: HttpRequest) -> None:
    """A password change kept this request's session signed in under a new key: its sockets follow."""
    old_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not old_key or not request.user.is_authenticated or request.session.session_key == old_key:
        return
    request.session.save()  # the new key, with the new password's hash, before the sockets look it up
    security.session_moved(old_key=old_key, new_key=request.session.session_key)
    hooks.credentials_changed(
        user_id=request.user.pk, keep_session=None, moved_session=(old_key, request.session.session_key)
    )


def user_logout(*, request: HttpRequest) -> None:
    """End the request's session (pages, and API calls made with it) and close its live sockets."""
    user_id = request.user.pk if request.user.is_authenticated else None
    security.session_forget(request.session.session_key)
    logout(request)
    if user_id is not None:
        hooks.credentials_changed(user_id=user_id, keep_session=None, moved_session=None)


def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Email a reset link if the address has an account; never say whether it does."""
    form = ResetPasswordForm(data={"email": email})
    if form.is_valid():
        form.save(request)
    elif not _is_unknown_email_error(form):
        raise ServiceError.from_form(form)  # a malformed address is the caller's to fix


def _is_unknown_email_error(form) -> bool:
    errors = form.errors.as_data().get("email", [])
    return bool(errors) and all(error.code == "unknown_email" for error in errors)


@transaction.atomic
def password_reset_confirm(*, token: str, new_password: str) -> User:
    """Finish a reset with the token from the email (the link's last part)."""
    uidb36, _dash, key = token.strip().strip("/").partition("-")
    token_form = UserTokenForm(data={"uidb36": uidb36, "key": key})
    if not uidb36 or not key or not token_form.is_valid():
        raise ServiceError(_("This reset link is invalid or has expired."), field="token")
    user = token_form.reset_user
    form = ResetPasswordKeyForm(user=user, temp_key=key, data={"password1": new_password, "password2": new_password})
    if not form.is_valid():
        raise ServiceError.from_form(form, rename={"password1": "newPassword", "password2": "newPassword"})
    form.save()  # through the adapter, so tokens are revoked as on every password change
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    changes: dict[str, Any],
    avatar=None,
    header=None,
    remove_avatar: bool = False,
    remove_header: bool = False,
    is_private: bool | None = None,
) -> User:
    """Apply validated profile fields; decode, crop and re-encode any new images."""
    if is_private is not None:
        privacy_update(user=user, is_private=is_private)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    # Process every image before writing anything, so a bad header leaves no avatar file behind.
    new_images: dict[str, ProfileImage] = {}
    try:
        for field, upload in (("avatar", avatar), ("header", header)):
            if upload:
                abuse.check(abuse.UPLOAD, user)  # decoded here, on the request: counted like any upload
                new_images[field] = _profile_image(user, field, upload)
    except Exception:
        media.delete_files(new_images.values())
        raise

    update_fields = []
    for field, value in changes.items():
        setattr(user, field, value.strip() if isinstance(value, str) else value)
        update_fields.append(field)

    old_files = []
    for field, remove in (("avatar", remove_avatar), ("header", remove_header)):
        if field not in new_images and not remove:
            continue
        current = getattr(user, field)
        if current:
            old_files.append(current.name)
        setattr(user, field, new_images[field].file.name if field in new_images else "")
        update_fields.append(field)

    storage = User._meta.get_field("avatar").storage
    try:
        if update_fields:
            user.save(update_fields=update_fields)
        # The files are the user's now; the rows only carried them through processing.
        ProfileImage.objects.filter(pk__in=[item.pk for item in new_images.values()]).delete()
    except Exception:
        media.delete_files(new_images.values())
        raise
    for name in old_files:
        after_commit(storage.delete, name)
    return user


def _profile_image(user: User, kind: str, upload) -> ProfileImage:
    """An avatar or header through the image pipeline, run in place: the profile shows the new picture at once.

    Cropped to one frame, a JPEG decoded straight at reduced scale, it is a
    small and bounded job (docs/DECISIONS.md). Raises ServiceError for `kind`.
    """
    try:
        item = media.store(ProfileImage(owner=user, kind=kind), upload)
    except ServiceError as error:
        raise ServiceError(error.message, field=kind, status=error.status) from None
    try:
        process_image(ProfileImage._meta.label, item.pk)
        item.refresh_from_db()
    except Exception:
        media.delete_files([item])
        raise
    if not item.is_ready:
        raise ServiceError(item.failure or images.NOT_AN_IMAGE, field=kind)
    return item


@transaction.atomic
def display_update(
    *,
    user: User,
    show_sensitive_media: bool,
    expand_content_warnings: bool,
    autoplay_videos: bool = True,
    time_zone: str | None = None,
    language: str | None = None,
) -> User:
    """The reader's display settings (Settings > Display): sensitive images, content warnings, autoplay,
    the time zone dates are shown in and the pages' language ("" for the browser's; None leaves it)."""
    fields = ["show_sensitive_media", "expand_content_warnings", "autoplay_videos"]
    user.show_sensitive_media = bool(show_sensitive_media)
    user.expand_content_warnings = bool(expand_content_warnings)
    user.autoplay_videos = bool(autoplay_videos)
    if time_zone is not None:
        if time_zone and not valid_zone(time_zone):
            raise ServiceError(_("Choose a time zone from the list."), field="time_zone")
        user.time_zone = time_zone
        fields.append("time_zone")
    if language is not None:
        if language and not supported_language(language):
            raise ServiceError(_("Choose a language from the list."), field="language")
        user.language = language
        fields.append("language")
    user.save(update_fields=fields)
    return user


@transaction.atomic
def privacy_update(
    *,
    user: User,
    is_private: bool | None = None,
    who_can_message: str | None = None,
    notification_prefs: dict[str, bool] | None = None,
) -> User:
    if notification_prefs is not None:
        hooks.notification_prefs_set(user=user, preferences=notification_prefs)
    update_fields = []
    if is_private is not None and is_private != user.is_private:
        user.is_private = is_private
        update_fields.append("is_private")
        hooks.privacy_changed(user=user, is_private=is_private)
    if who_can_message is not None and who_can_message != user.who_can_message:
        if who_can_message not in User.WhoCanMessage.values:
            raise ServiceError(_("Choose everyone or following."), field="whoCanMessage")
        user.who_can_message = who_can_message
        update_fields.append("who_can_message")
    if update_fields:
        user.save(update_fields=update_fields)
    return user
