"""The browsers a person subscribed to Web Push: checked, stored, listed, removed."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from config.kernel import fetch
from config.kernel.errors import NotFound, ServiceError
from config.kernel.redis import get_redis
from config.kernel.sql import row_exists
from config.kernel.tasks import after_commit
from notifications.models import PushSubscription
from notifications.webpush import keys

logger = logging.getLogger(__name__)
RESOLVE_SECONDS = 3.0  # the endpoint's name is resolved on the request that subscribes
HAS_ANY_TTL = 60 * 60  # bounds how long a lost update can last


def check_endpoint(endpoint) -> str:
    """The endpoint, if it is one we would POST to: an https URL (http only in tests, with loopback
    allowed) of at most 2048 characters, whose host resolves to public addresses only. ServiceError else.

    Checked again before every push (delivery): a name may point elsewhere later.
    """
    if not isinstance(endpoint, str) or not endpoint:
        raise ServiceError(gettext("Give the subscription's endpoint URL."), field="endpoint")
    try:
        scheme, host, port = fetch.check_url(endpoint)
    except fetch.FetchRefused:
        raise ServiceError(
            gettext("The endpoint must be an https URL of at most 2048 characters."), field="endpoint"
        ) from None
    if scheme != "https" and not settings.LINK_PREVIEW_ALLOW_LOOPBACK:
        raise ServiceError(gettext("The endpoint must be an https URL of at most 2048 characters."), field="endpoint")
    try:
        fetch.resolve(host, port, time.monotonic() + RESOLVE_SECONDS)
    except fetch.Unreachable:
        raise ServiceError(gettext("The endpoint's host could not be found."), field="endpoint") from None
    except fetch.FetchRefused:
        raise ServiceError(
            gettext("The endpoint is on a private or local address; push goes only to public push services."),
            field="endpoint",
        ) from None
    return endpoint


def check_keys(keys_given) -> tuple[str, str]:
    if not isinstance(keys_given, dict):
        raise ServiceError(gettext("Give the subscription's keys: {p256dh, auth}."), field="keys")
    p256dh, auth = keys_given.get("p256dh"), keys_given.get("auth")
    if not isinstance(p256dh, str) or not keys.valid_p256dh(p256dh):
        raise ServiceError(
            gettext("keys.p256dh must be a P-256 public key (65 bytes, base64url)."), field="keys.p256dh"
        )
    if not isinstance(auth, str) or not keys.valid_auth(auth):
        raise ServiceError(gettext("keys.auth must be 16 bytes, base64url."), field="keys.auth")
    return p256dh.rstrip("="), auth.rstrip("=")


@transaction.atomic
def subscribe(*, user, endpoint, keys_given, user_agent: str = "") -> tuple[PushSubscription, bool]:
    """Store the browser's subscription for `user`; (it, created).

    The same endpoint again updates its row (a browser renews its keys); an endpoint another
    account had moves to this one (someone else signed in on that browser). Past
    WEBPUSH_MAX_SUBSCRIPTIONS, the browser used least recently goes.
    """
    if not keys.public_key():
        raise ServiceError(gettext("Push notifications aren't set up on this site."), status=503)
    p256dh, auth = check_keys(keys_given)
    endpoint = check_endpoint(endpoint)
    previous_owner = PushSubscription.objects.filter(endpoint=endpoint).values_list("user_id", flat=True).first()
    values = {"user": user, "p256dh": p256dh, "auth": auth, "user_agent": (user_agent or "")[:300]}
    # Locks the row; two tabs subscribing at once make one row (the loser of the insert reads it back).
    found, created = PushSubscription.objects.update_or_create(endpoint=endpoint, defaults=values)
    if previous_owner is not None and previous_owner != user.pk:
        after_commit(_forget_has_any, previous_owner)
    _trim(user)
    after_commit(_forget_has_any, user.pk)  # the next read finds the row
    return found, created


def _trim(user) -> None:
    used_last = Coalesce("last_used_at", "created_at")  # a new browser counts as just used
    extra = PushSubscription.objects.filter(user=user).order_by(used_last.desc(), "-pk")
    stale = list(extra.values_list("pk", flat=True)[settings.WEBPUSH_MAX_SUBSCRIPTIONS :])
    if stale:
        PushSubscription.objects.filter(pk__in=stale).delete()


@transaction.atomic
def unsubscribe(*, user, subscription_id: int) -> None:
    """Remove one of the person's browsers; NotFound for anyone else's (or one already gone)."""
    deleted, _ = PushSubscription.objects.filter(user=user, pk=subscription_id).delete()
    if not deleted:
        raise NotFound(gettext("No such push subscription."))
    after_commit(_forget_has_any, user.pk)


def unsubscribe_endpoint(*, user, endpoint: str) -> bool:
    """The browser said it unsubscribed (push.js): its row goes, if it is this person's."""
    deleted, _ = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    if deleted:
        _forget_has_any(user.pk)
    return bool(deleted)


def expired(subscription_id: int, user_id: int) -> None:
    """The push service answered 404 or 410: the browser is gone."""
    PushSubscription.objects.filter(pk=subscription_id).delete()
    _forget_has_any(user_id)


def used(subscription_id: int) -> None:
    PushSubscription.objects.filter(pk=subscription_id).update(last_used_at=timezone.now())


def of_user(user) -> list[PushSubscription]:
    return list(PushSubscription.objects.filter(user=user).order_by("-created_at", "-pk"))


# --- "has this person any browser?", asked for every notification ------------------------
# Asked on the request that made the notification: a Redis GET rather than a query, filled
# from PostgreSQL on a miss (Redis holds only what can be rebuilt).


def _has_any_key(user_id: int) -> str:
    return f"push:has:{user_id}"


def has_any(user_id: int) -> bool:
    redis = get_redis()
    found = redis.get(_has_any_key(user_id))
    if found is not None:
        return found == b"1"
    answer = row_exists(PushSubscription, user_id=user_id)
    _remember_has_any(user_id, answer)
    return answer


def _remember_has_any(user_id: int, answer: bool) -> None:
    get_redis().set(_has_any_key(user_id), b"1" if answer else b"0", ex=HAS_ANY_TTL)


def _forget_has_any(user_id: int) -> None:
    try:
        get_redis().delete(_has_any_key(user_id))
    except Exception:  # the next read rebuilds it; until its TTL at worst a push finds no browser
        logger.warning("could not clear %s", _has_any_key(user_id), exc_info=True)
