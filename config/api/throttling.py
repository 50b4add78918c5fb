"""API rate limits on fixed-window counters (config/ratelimit.py), per address, per account, per action."""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from config import ratelimit


class _CounterThrottle(BaseThrottle):
    scope = ""

    def rate(self, view) -> str | None:
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope_for(view))

    def scope_for(self, view) -> str:
        return self.scope

    def ident(self, request, view) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        rate, ident = self.rate(view), self.ident(request, view)
        if not rate or ident is None:
            return True
        allowed, self._wait = ratelimit.hit(f"api:{self.scope_for(view)}:{ident}", ratelimit.Rate.parse(rate))
        return allowed

    def wait(self):
        return self._wait


class PerIPThrottle(_CounterThrottle):
    """Every request, signed in or not, counts against its client address."""

    scope = "ip"

    def ident(self, request, view):
        return self.get_ident(request)


class PerUserThrottle(_CounterThrottle):
    """Signed-in requests also count against the account, whatever the address."""

    scope = "user"

    def ident(self, request, view):
        return request.user.pk if request.user and request.user.is_authenticated else None


class ActionThrottle(_CounterThrottle):
    """A view's own `throttle_scope` (sign-up, login, posting...), per account or else per address."""

    def scope_for(self, view) -> str:
        return getattr(view, "throttle_scope", "")

    def ident(self, request, view):
        if not self.scope_for(view):
            return None
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"ip:{self.get_ident(request)}"
