"""Rate limits for the API, kept in the cache (Redis in the stack)."""

from rest_framework.throttling import SimpleRateThrottle


class PerIPThrottle(SimpleRateThrottle):
    """Every request, signed in or not, counts against its client address."""

    scope = "ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PerUserThrottle(SimpleRateThrottle):
    """Signed-in requests also count against the account, whatever the address."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
