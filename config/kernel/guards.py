"""Guards at the door: input nothing downstream can store, and headers every refusal must carry."""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from django.http import HttpResponse, JsonResponse
from django.views.debug import SafeExceptionReporterFilter

NUL_MESSAGE = "Requests can't contain NUL characters."
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")  # an escaped NUL, not an escaped backslash before "u0000"
BODY_CHECK_LIMIT = 1024 * 1024  # form and JSON bodies up to this size are checked; uploads are parsed elsewhere


class NulByteMiddleware:
    """A NUL byte in the path, the query or a form or JSON body answers 400 at once.

    PostgreSQL can't store or compare text holding NUL, so such input would
    otherwise fail deep inside a lookup (a 500) on any route that takes a
    parameter. Forms and serializers refuse it in the fields they know; this
    covers paths, query strings and every field at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._holds_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"error": NUL_MESSAGE}, status=400)
            return HttpResponse(NUL_MESSAGE, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _holds_nul(request) -> bool:
        raw_path = request.META.get("PATH_INFO", "")
        if "\x00" in raw_path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        kind = request.content_type or ""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if kind.startswith("multipart/"):
            if 0 < length <= BODY_CHECK_LIMIT:
                # Kept, so the view can still read the body: an API view that takes only JSON answers 415.
                request.body  # noqa: B018
            return any("\x00" in value for values in request.POST.lists() for value in values[1])
        if not 0 < length <= BODY_CHECK_LIMIT:
            return False
        body = request.body
        if kind == "application/x-www-form-urlencoded":
            return b"\x00" in unquote_to_bytes(body.replace(b"+", b" "))
        return b"\x00" in body or bool(JSON_NUL.search(body))


class RetryAfterMiddleware:
    """Every 429 says when to come back; limits that know the exact wait set it themselves."""

    DEFAULT_SECONDS = "60"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(getattr(request, "login_retry_after", None) or self.DEFAULT_SECONDS)
        return response


class ReporterFilter(SafeExceptionReporterFilter):
    """Django's debug page and error mails also hide settings that hold connection URLs (with passwords)."""

    hidden_settings = re.compile("API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|DSN", flags=re.IGNORECASE)
