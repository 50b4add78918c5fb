"""The reader's language: their choice in Settings > Display, else the language cookie (the footer's
switch, for visitors), else the browser's Accept-Language, else English.

Two steps, because a signed-in reader's choice needs the session: LanguageMiddleware runs first, so
every response (a CSRF refusal too) is in the visitor's language and get_language() is never on
Django's slow no-language path; UserLanguageMiddleware, after authentication, puts the reader's own
choice over it. Both name the language in Content-Language, and pages vary on Accept-Language.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def supported(code: str | None) -> str | None:
    """`code` if it is one of settings.LANGUAGES, else None (a stored or posted value is not trusted)."""
    if code and code in dict(settings.LANGUAGES):
        return code
    return None


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_request(request)  # cookie, then Accept-Language
        # For this request only: the thread's language is given back after it, so what the thread does
        # next outside a request (a test, a task run in place) is not in the last reader's language.
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
        return response


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = supported(getattr(user, "language", "")) if user is not None and user.is_authenticated else None
        if chosen and chosen != request.LANGUAGE_CODE:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
