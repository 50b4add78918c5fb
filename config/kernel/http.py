"""Small helpers for HTML views."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str) -> str:
    """Where to go back to after a form post: `next`, then the referrer, if on this site."""
    target = request.POST.get("next") or request.GET.get("next") or request.headers.get("referer") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback
