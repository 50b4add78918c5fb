"""An account's security side (Settings > Security): its log, its signed-in sessions, the browsers it used.

- The security log (SecurityEvent) records logins and changes to how the
  account is protected, with the address and browser they came from.
- Sessions: Django keeps sessions by key, not by person, so each signed-in
  session has a UserSession row (made at login, touched at most every
  SESSION_TOUCH_SECONDS by accounts/middleware.py), which is what lets
  someone see and end their other sessions.
- A login from a browser the account hasn't used before is emailed about
  (KnownBrowser): the browser is its family ("Firefox") and a long-lived
  random cookie, so an update doesn't count as new but a cleared profile does.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import hooks
from accounts.agents import browser_family, describe_agent
from accounts.models import KnownBrowser, SecurityEvent, User, UserSession
from config.kernel.request_context import address_of, client_ip
from config.kernel.tasks import enqueue_on_commit

Kind = SecurityEvent.Kind

BROWSER_COOKIE = "chirp_browser"  # a random id per browser, only ever compared as part of a hash
BROWSER_COOKIE_AGE = 5 * 365 * 24 * 3600
SEEN_KEY = "_security_seen"  # in the session: when its UserSession row was last touched (epoch seconds)
SESSION_TOUCH_SECONDS = 300


def _agent(request: HttpRequest | None) -> str:
    return (request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300]


def _ip(request: HttpRequest | None) -> str:
    return (address_of(request) if request is not None else client_ip.get() or "")[:45]


def event_record(*, user: User, kind: str, request: HttpRequest | None = None, detail: str = "") -> SecurityEvent:
    return SecurityEvent.objects.create(
        user=user, kind=kind, ip=_ip(request), user_agent=_agent(request), detail=detail[:200]
    )


@transaction.atomic
def login_record(*, request: HttpRequest, user: User, kind: str = Kind.LOGIN, response=None) -> SecurityEvent:
    """A login, pages or API: logged, and emailed about if the browser is new to the account.

    `response`, when given (pages), carries the browser's id cookie if it had none.
    """
    event = event_record(user=user, kind=kind, request=request)  # (its session's row: session_start, at login)
    browser_id = request.COOKIES.get(BROWSER_COOKIE, "")
    if response is not None and not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", browser_id):
        browser_id = secrets.token_urlsafe(24)
        response.set_cookie(
            BROWSER_COOKIE, browser_id, max_age=BROWSER_COOKIE_AGE, httponly=True, samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )  # fmt: skip
    fingerprint = hashlib.sha256(f"{browser_family(_agent(request))}|{browser_id}".encode()).hexdigest()
    had_any = KnownBrowser.objects.filter(user=user).exists()
    _browser, new = KnownBrowser.objects.get_or_create(user=user, fingerprint=fingerprint)
    if new and had_any and user.email:  # the very first browser (sign-up) is no news
        enqueue_on_commit("accounts.tasks.send_new_browser_email", event.pk)
    return event


def new_browser_email(event_id: int) -> bool:
    """Email the person about the login `event_id` from a browser new to their account (once, even if redelivered)."""
    event = SecurityEvent.objects.select_related("user").filter(pk=event_id).first()
    if event is None or not event.user.email or not cache.add(f"security:mailed:{event_id}", 1, 86400):
        return False
    user = event.user
    with translation.override(user.language or settings.LANGUAGE_CODE):  # the reader's language, not the worker's
        words = {
            "name": user.display_name,
            "username": user.username,
            "browser": describe_agent(event.user_agent),
            "ip": event.ip or _("unknown"),
            "when": f"{event.created_at:%Y-%m-%d %H:%M}",
            "url": f"{settings.SITE_URL.rstrip('/')}/settings/security",
        }
        body = (
            _(
                "Hi %(name)s,\n\n"
                "Your Chirp account @%(username)s was just logged into from a browser it hadn't used before:\n\n"
                "  %(browser)s\n"
                "  from the address %(ip)s\n"
                "  at %(when)s UTC\n\n"
                "If this was you, there is nothing to do.\n\n"
                "If it wasn't, change your password now, turn on two-factor login, and log out your other sessions:\n"
                "%(url)s\n"
            )
            % words
        )
        send_mail(_("New login to your Chirp account"), body, None, [user.email])
    return True


# --- sessions -------------------------------------------------------------------------------


def session_start(*, request: HttpRequest, user: User) -> None:
    """A session was signed in (Django's login, which every page login goes through): list it."""
    if getattr(request, "session", None) is None or not request.session.session_key:
        return
    now = timezone.now()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "ip": _ip(request), "user_agent": _agent(request), "last_seen_at": now},
        create_defaults={"user": user, "ip": _ip(request), "user_agent": _agent(request), "created_at": now},
    )
    request.session[SEEN_KEY] = int(time.time())


def session_touch(request: HttpRequest) -> None:
    """A signed-in request: its session's row says when and from where it was last used (at most every few minutes).

    Also makes the row for a session older than this feature, or one the login hook missed.
    """
    session = getattr(request, "session", None)
    if session is None or not session.session_key or "_auth_user_id" not in session:
        return
    seen = session.get(SEEN_KEY)
    if isinstance(seen, int) and time.time() - seen < SESSION_TOUCH_SECONDS:
        return
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    session_start(request=request, user=user)


def session_moved(*, old_key: str, new_key: str) -> None:
    """A password change kept the session signed in under a new key: its row follows."""
    UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def session_forget(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def sessions_drop(*, user: User, keep_key: str | None, session_id: int | None = None) -> int:
    """Delete the person's sessions but `keep_key` (or only the one `session_id`): Django's and their rows."""
    rows = UserSession.objects.filter(user=user).exclude(session_key=keep_key or "")
    if session_id is not None:
        rows = rows.filter(pk=session_id)
    keys = list(rows.values_list("session_key", flat=True))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()  # the database row and its cached copy
    rows.delete()
    return len(keys)


@transaction.atomic
def sessions_end(*, user: User, request: HttpRequest, session_id: int | None = None) -> int:
    """End the person's other sessions (or one of them): they are signed out, and their live sockets close.

    The session making the request is never ended here (that is logging out).
    API tokens are not sessions: Settings > Account revokes those.
    """
    ended = sessions_drop(user=user, keep_key=request.session.session_key, session_id=session_id)
    if ended:
        plural = "s" if ended != 1 else ""
        event_record(user=user, kind=Kind.SESSIONS_ENDED, request=request, detail=f"{ended} session{plural}")
        hooks.credentials_changed(user_id=user.pk, keep_session=None, moved_session=None)
    return ended
