"""What a push says, and sending it to one browser.

The payload is JSON, encrypted for the browser (RFC 8291, aes128gcm, by pywebpush's
encoder) and signed for this site (VAPID, RFC 8292). It is POSTed through the
fetcher's rules (config/kernel/fetch.py): the endpoint's host must still resolve to
public addresses at send time, the connection goes to the address checked, no
redirect is followed, and one deadline covers it all.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pywebpush import WebPusher

from config.kernel import fetch
from notifications.models import Notification, PushSubscription
from notifications.webpush import keys

logger = logging.getLogger(__name__)
Verb = Notification.Verb
URGENT = {Verb.MESSAGE, Verb.MENTION, Verb.REPLY}  # addressed to the person: "high" wakes a sleeping phone
EXCERPT = 80  # characters of the post quoted in the push
JWT_LIFETIME = 12 * 60 * 60  # RFC 8292 allows up to 24 h
JWT_REUSE = 60 * 60  # one signature per push service origin per hour, not per push

# Whole sentences, so a language may put the people anywhere in them, and agree the verb with how many
# they are (English doesn't: singular and plural are the same). Read in the recipient's language
# (push.push_rows), whatever request or task runs this.
PHRASES = {
    Verb.LIKE: lambda n: ngettext("%(who)s liked your post", "%(who)s liked your post", n),
    Verb.RETWEET: lambda n: ngettext("%(who)s retweeted your post", "%(who)s retweeted your post", n),
    Verb.QUOTE: lambda n: ngettext("%(who)s quoted your post", "%(who)s quoted your post", n),
    Verb.REPLY: lambda n: ngettext("%(who)s replied to your post", "%(who)s replied to your post", n),
    Verb.MENTION: lambda n: ngettext("%(who)s mentioned you", "%(who)s mentioned you", n),
    Verb.FOLLOW: lambda n: ngettext("%(who)s followed you", "%(who)s followed you", n),
    Verb.FOLLOW_REQUEST: lambda n: ngettext("%(who)s asked to follow you", "%(who)s asked to follow you", n),
    Verb.FOLLOW_ACCEPTED: lambda n: ngettext(
        "%(who)s accepted your follow request", "%(who)s accepted your follow request", n
    ),
    Verb.MESSAGE: lambda n: ngettext("%(who)s sent you a message", "%(who)s sent you a message", n),
}


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def text_of(rows: list[Notification]) -> str:
    """ "Ada liked your post: “first words…”", "Ada and 9 others liked your post", "Your data export is ready"."""
    first = rows[0]
    verb = first.verb
    if verb == Verb.EXPORT_READY:
        return _("Your data export is ready.")
    if verb == Verb.POST_REMOVED:
        return _("The moderators removed a post of yours.")
    if verb == Verb.POLL_ENDED:
        own = first.actor_id == first.recipient_id
        return _("Your poll has ended.") if own else _("A poll you voted in has ended.")
    actors = list(dict.fromkeys(row.actor_id for row in rows))
    who = first.actor.display_name
    if len(actors) > 1:
        others = len(actors) - 1
        who = ngettext("%(name)s and %(count)s other", "%(name)s and %(count)s others", others) % {
            "name": who,
            "count": others,
        }
    phrase = PHRASES.get(verb)
    said = phrase(len(actors)) % {"who": who} if phrase is not None else f"{who} {verb}"
    tweet = first.tweet
    if tweet is not None and tweet.text:
        said = _("%(sentence)s: “%(excerpt)s”") % {"sentence": said, "excerpt": _excerpt(tweet.text)}
    return said


def url_of(rows: list[Notification]) -> str:
    """Where clicking the push goes (an absolute URL)."""
    first = rows[0]
    tweet = first.tweet
    if first.verb == Verb.EXPORT_READY:
        return absolute(reverse("settings-account") + "#export")
    if first.verb == Verb.POST_REMOVED:
        return absolute(reverse("moderation-notices"))
    if first.verb == Verb.FOLLOW_REQUEST:
        return absolute(reverse("follow-requests"))
    if first.verb == Verb.MESSAGE:
        return absolute(reverse("message-with", args=[first.actor.username]))
    if tweet is not None:
        return absolute(reverse("tweet", kwargs={"username": tweet.author.username, "tweet_id": tweet.pk}))
    if len({row.actor_id for row in rows}) == 1:
        return absolute(reverse("profile", args=[first.actor.username]))
    return absolute(reverse("notifications"))


def tag_of(rows: list[Notification]) -> str:
    """The browser shows one notification per tag: a later push of the same group replaces the earlier."""
    first = rows[0]
    if first.verb in (Verb.LIKE, Verb.RETWEET, Verb.FOLLOW):
        return f"{first.verb}:{first.tweet_id or 0}"
    if first.verb == Verb.MESSAGE:
        return f"message:{first.actor_id}"
    return f"notification:{first.pk}"


def icon_of(rows: list[Notification]) -> str:
    avatar = rows[0].actor.avatar
    if avatar and rows[0].actor_id != rows[0].recipient_id:
        url = avatar.url
        return absolute(url) if url.startswith("/") else url
    return absolute(static("icons/icon-192.png"))


def payload(rows: list[Notification]) -> dict:
    """One push for one group of notifications (notifications.selectors.group: same verb, same post)."""
    return {
        "title": "Chirp",
        "body": text_of(rows),
        "icon": icon_of(rows),
        "url": url_of(rows),
        "tag": tag_of(rows),
        "notificationIds": [str(row.pk) for row in rows],
    }


def urgency_of(verb: str) -> str:
    return "high" if verb in URGENT else "normal"


# --- sending ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What came of one push: `sent`, `gone` (404/410: the browser unsubscribed), `retry`
    (429, 5xx, no answer: `status` None) or `failed` (another 4xx, or an endpoint we won't reach)."""

    kind: str
    status: int | None = None
    retry_after: str | None = None
    reason: str = ""


@lru_cache(maxsize=64)
def _authorization(audience: str, window: int) -> str:
    """The VAPID header for a push service's origin; the same signature serves a whole hour."""
    # Valid at least JWT_LIFETIME after its last use (the end of its hour), at most that plus an hour.
    claims = {"aud": audience, "exp": (window + 1) * JWT_REUSE + JWT_LIFETIME, "sub": settings.VAPID_SUBJECT}
    return keys.vapid().sign(claims)["Authorization"]


def authorization(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return _authorization(f"{parts.scheme}://{parts.netloc}", int(time.time()) // JWT_REUSE)


def encrypt(subscription: PushSubscription, data: dict) -> bytes:
    info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return WebPusher(info).encode(body, "aes128gcm")["body"]


def send(subscription: PushSubscription, data: dict, *, urgency: str, ttl: int) -> Outcome:
    """POST one encrypted push to one browser's push service."""
    if keys.vapid() is None:
        return Outcome("failed", reason="VAPID keys not configured")
    headers = {
        "Authorization": authorization(subscription.endpoint),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(max(int(ttl), 0)),
        "Urgency": urgency,
    }
    try:
        answer = fetch.post(
            subscription.endpoint, encrypt(subscription, data), headers, timeout=settings.WEBPUSH_TIMEOUT
        )
    except fetch.Unreachable as error:
        return Outcome("retry", reason=str(error))
    except fetch.FetchRefused as error:  # the name now points at a private address, or the URL is no longer good
        return Outcome("failed", reason=str(error))
    status = answer.status
    if 200 <= status < 300:
        return Outcome("sent", status)
    if status in (404, 410):
        return Outcome("gone", status)
    if status == 429 or status >= 500:
        return Outcome("retry", status, answer.headers.get("retry-after"))
    return Outcome("failed", status, reason=f"HTTP {status}")


def retry_delay(outcome: Outcome, attempt: int, *, now: float | None = None) -> float:
    """Seconds to wait before try `attempt + 1`: the service's Retry-After (seconds or an HTTP date)
    when it gave one, else 10 s, 20 s, 40 s... up to 10 minutes."""
    now = time.time() if now is None else now
    given = (outcome.retry_after or "").strip()
    if given.isdigit():
        return float(int(given))
    if given:
        try:
            return max(email.utils.parsedate_to_datetime(given).timestamp() - now, 0.0)
        except (TypeError, ValueError):
            pass
    return float(min(10 * 2**attempt, 600))
