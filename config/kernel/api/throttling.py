"""API rate limits on fixed-window counters (config/kernel/ratelimit.py): per address, account, OAuth app and action."""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from config.kernel import ratelimit
from config.kernel.api.auth import is_oauth_token


def _rate(scope: str) -> ratelimit.Rate | None:
    text = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(scope)
    return ratelimit.Rate.parse(text) if text else None


class ClientThrottle(BaseThrottle):
    """Every request counts against its address, signed-in ones against the account too, and an
    OAuth token's against its app (all the people using that app together).

    The counters move in one round trip to Redis.
    """

    def allow_request(self, request, view) -> bool:
        limits = []
        if rate := _rate("ip"):
            limits.append((f"api:ip:{self.get_ident(request)}", rate))
        if (rate := _rate("user")) and request.user and request.user.is_authenticated:
            limits.append((f"api:user:{request.user.pk}", rate))
        if (rate := _rate("app")) and is_oauth_token(request.auth):
            limits.append((f"api:app:{request.auth.application_id}", rate))
        if not limits:
            return True
        allowed, self._wait = ratelimit.hit_many(limits)
        return allowed

    def wait(self):
        return self._wait


class ActionThrottle(BaseThrottle):
    """A view's own `throttle_scope` (sign-up, login, posting...), per account or else per address."""

    def allow_request(self, request, view) -> bool:
        scope = getattr(view, "throttle_scope", "")
        rate = _rate(scope) if scope else None
        if rate is None:
            return True
        who = (
            f"user:{request.user.pk}"
            if request.user and request.user.is_authenticated
            else f"ip:{self.get_ident(request)}"
        )
        allowed, self._wait = ratelimit.hit(f"api:{scope}:{who}", rate)
        return allowed

    def wait(self):
        return self._wait
