"""One-click unsubscribe (RFC 8058): a signed token names the person and the kind of mail, nothing more.

It works without logging in, so the token is the only proof: django.core.signing
with a salt of its own (a token made for anything else never passes here).
Only the kind of mail in the token is turned off. Tokens don't expire: a link in
an old mail must still stop that mail.
"""

from __future__ import annotations

from django.core import signing

from accounts.models import User
from notifications import preferences, services
from notifications.mail import kinds

SALT = "chirp.notifications.mail.unsubscribe"
MAX_TOKEN = 200  # ours are about 60 characters; anything much longer isn't ours, and isn't decoded


def token_for(user_id: int, kind: str) -> str:
    return signing.dumps([user_id, kind], salt=SALT, compress=False)


def read(token: str) -> tuple[User, str] | None:
    """The (active) person and kind the token names, or None for anything else, for whatever reason."""
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN:
        return None
    try:
        value = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return None
    if not (isinstance(value, list) and len(value) == 2 and type(value[0]) is int and value[1] in kinds.KINDS):
        return None
    user = User.objects.filter(pk=value[0], is_active=True).first()
    return (user, value[1]) if user is not None else None


def is_subscribed(user: User, kind: str) -> bool:
    return kinds.is_on(preferences.of(user), kind)


def unsubscribe(user: User, kind: str) -> bool:
    """Turn mail of `kind` off; False when it already was (a second click changes nothing)."""
    prefs = preferences.of(user)
    if not kinds.is_on(prefs, kind):
        return False
    services.update_settings(user=user, changes=kinds.turn_off(prefs, kind))
    return True
