"""Failed-login limits, counted apart so one client can't lock out everyone behind its address.

Three counters, each counting only failures:

- an account from one address (the brute-force guess): LOGIN_LIMIT_ACCOUNT_ADDRESS,
- an account from anywhere (a guess spread over many addresses): LOGIN_LIMIT_ACCOUNT,
- an address over every account (password spraying): LOGIN_LIMIT_ADDRESS, high
  enough that a household or an office behind one address isn't locked out by
  one person's typos or one client's made-up usernames.

An attempt is refused before the password is checked once any of them is
full; the answer says when to try again (`Retry-After`). A successful login
counts nothing. Pages and the API share these (through allauth's adapter).
"""

from __future__ import annotations

import hashlib

from django.conf import settings

from config.kernel import ratelimit
from config.kernel.request_context import address_of


class LoginLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _limits(request, login: str) -> list[tuple[str, ratelimit.Rate]]:
    # The login as typed may be a made-up name: key on a digest, not on the text.
    account = hashlib.sha256(login.strip().casefold().encode()).hexdigest()[:24]
    address = address_of(request)
    wanted = [
        (f"login:acct-addr:{account}:{address}", settings.LOGIN_LIMIT_ACCOUNT_ADDRESS),
        (f"login:acct:{account}", settings.LOGIN_LIMIT_ACCOUNT),
        (f"login:addr:{address}", settings.LOGIN_LIMIT_ADDRESS),
    ]
    return [(key, ratelimit.Rate.parse(text)) for key, text in wanted if text]


def check(request, login: str) -> None:
    """Raise LoginLimited if a limit is already full (the attempt itself is counted only if it fails)."""
    full = [hit for hit in ratelimit.count(_limits(request, login), cost=0) if hit.count >= hit.rate.limit]
    if full:
        raise LoginLimited(max(hit.retry_after for hit in full))


def failed(request, login: str) -> None:
    ratelimit.count(_limits(request, login))
