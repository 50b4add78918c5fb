"""Per request: staff without two-factor login are kept out of the admin; signed-in sessions stay listed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

from accounts import mfa, security

ADMIN_NEEDS_MFA = "The admin requires two-factor login: turn on an authenticator app or add a passkey."


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ADMIN_REQUIRE_MFA and request.path.startswith("/admin/") and _staff_without_mfa(request.user):
            messages.warning(request, ADMIN_NEEDS_MFA)
            return redirect("settings-security")
        response = self.get_response(request)
        security.session_touch(request)  # at most every few minutes a session: its row's last use and address
        return response


def _staff_without_mfa(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser) and not mfa.required(user)
