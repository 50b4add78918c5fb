"""Abuse limits: how much one account, and one address, may post, follow, like and message.

The write services call `check(action, user)` at the point where the action
is about to take effect (after their own checks, and after an idempotent
repeat has returned), so the page, the API and anything else share one
budget, and a refused or invalid attempt, or a repeated like, costs nothing.
A refusal is a `ServiceError` with status 429 and `retry_after` (seconds):
the API answers 429 with `Retry-After`, pages show the message.

Budgets are fixed-window counters in Redis (config/kernel/ratelimit.py), per
account and per client address (the request's, from config/request_context;
outside a request only the account's limit applies). IPv6 addresses count
by their /64, which is what one household or host is usually given.

The flood check refuses the same text (case and spacing ignored) a fourth
time in ten minutes, over a sliding window; posts and direct messages are
counted apart. Sign-ups are limited at the door, by allauth (page) and the
API's `signup` throttle, not here.

The numbers are settings: ABUSE_LIMITS, ABUSE_LIMITS_PER_IP, ABUSE_DUPLICATE_TEXT.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math

from django.conf import settings

from config.kernel import ratelimit, request_context
from config.kernel.errors import ServiceError

POST, FOLLOW, LIKE, MESSAGE, UPLOAD = "post", "follow", "like", "message", "upload"
NOUNS = {POST: "post", FOLLOW: "follow", LIKE: "like", MESSAGE: "message", UPLOAD: "upload"}
# The flood check's refusal points at the text field: the API's name for it.
TEXT_FIELDS = {POST: "text", MESSAGE: "messageText"}
REPEATED = {POST: "posted that", MESSAGE: "sent that message"}


class LimitReached(ServiceError):
    """Over an abuse limit: 429, with `retry_after` in seconds."""

    status = 429


def check(action: str, user, *, text: str | None = None) -> None:
    """Count one `action` by `user` (and the current request's address), or raise LimitReached.

    With `text` (posts and messages), the flood check runs first. Nothing is
    counted when anything refuses.
    """
    flood = _flood_key(action, user, text)
    token = None
    if flood is not None:
        key, rate = flood
        allowed, retry, token = ratelimit.log_hit(key, rate)
        if not allowed:
            raise LimitReached(flood_message(action, rate, retry), field=TEXT_FIELDS.get(action), retry_after=retry)
    limits = _limits(action, user)
    hits = ratelimit.count(limits, refund_refused=True) if limits else []
    refused = [hit for hit in hits if not hit.allowed]
    if refused:
        if flood is not None:
            ratelimit.log_undo(flood[0], token)
        retry = max(hit.retry_after for hit in refused)
        first = refused[0]  # the account's own limit comes first
        per_address = first.key.startswith(f"abuse:{action}:ip:")
        raise LimitReached(limit_message(action, first.rate, retry, per_address=per_address), retry_after=retry)


def page_status(response, error: ServiceError | None):
    """A page refused over a limit answers 429 with Retry-After too (the message is in its body)."""
    if isinstance(error, LimitReached):
        response.status_code = 429
        if error.retry_after:
            response["Retry-After"] = str(error.retry_after)
    return response


# --- the messages, written once ---------------------------------------------------------


def limit_message(action: str, rate: ratelimit.Rate, retry_after: int, *, per_address: bool = False) -> str:
    """ "You've reached the limit of 300 posts in 3 hours. Try again in 42 minutes." """
    noun, span, wait = NOUNS[action], _span(rate.window), _wait(retry_after)
    if per_address:
        return f"Too many {noun}s from your network: the limit is {rate.limit:,} in {span}. Try again in {wait}."
    return f"You've reached the limit of {_plural(rate.limit, noun)} in {span}. Try again in {wait}."


def flood_message(action: str, rate: ratelimit.Rate, retry_after: int) -> str:
    """ "You've already posted that 3 times in the last 10 minutes. ..." """
    times = "once" if rate.limit == 1 else "twice" if rate.limit == 2 else f"{rate.limit} times"
    return (
        f"You've already {REPEATED.get(action, 'done that')} {times} in the last {_span(rate.window)}. "
        f"Write something new, or try again in {_wait(retry_after)}."
    )


def _plural(count: int, unit: str) -> str:
    return f"{count:,} {unit}" if count == 1 else f"{count:,} {unit}s"


def _span(seconds: int) -> str:
    """A window: "a day", "3 hours", "an hour", "10 minutes"."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return ("an " if unit == "hour" else "a ") + unit if count == 1 else _plural(count, unit)
    return _plural(seconds, "second")


def _wait(seconds: int) -> str:
    """A wait, never shorter than the real one: "40 seconds", "42 minutes", "2 hours 10 minutes"."""
    if seconds < 60:
        return _plural(max(seconds, 1), "second")
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return _plural(minutes, "minute")
    hours, minutes = divmod(minutes, 60)
    return _plural(hours, "hour") + (f" {_plural(minutes, 'minute')}" if minutes else "")


# --- keys and rates ---------------------------------------------------------------------------


def _rate(table: dict, action: str) -> ratelimit.Rate | None:
    text = (table or {}).get(action)
    return ratelimit.Rate.parse(text) if text else None  # empty turns a limit off


def _limits(action: str, user) -> list[tuple[str, ratelimit.Rate]]:
    limits = []
    if rate := _rate(settings.ABUSE_LIMITS, action):
        limits.append((f"abuse:{action}:user:{user.pk}", rate))
    address = request_context.client_ip.get()
    if address and (rate := _rate(settings.ABUSE_LIMITS_PER_IP, action)):
        limits.append((f"abuse:{action}:ip:{network_of(address)}", rate))
    return limits


def network_of(address: str) -> str:
    """The address a limit counts: IPv4 as it is, IPv6 by its /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return f"{ipaddress.IPv6Network((ip, 64), strict=False).network_address}/64"
    return str(ip)


def normalised(text: str) -> str:
    """What the flood check compares: case-folded, whitespace collapsed."""
    return " ".join(text.casefold().split())


def _flood_key(action: str, user, text: str | None) -> tuple[str, ratelimit.Rate] | None:
    if not text or not (same := normalised(text)) or not settings.ABUSE_DUPLICATE_TEXT:
        return None
    digest = hashlib.sha256(same.encode()).hexdigest()[:32]
    return f"abuse:same:{action}:{user.pk}:{digest}", ratelimit.Rate.parse(settings.ABUSE_DUPLICATE_TEXT)
