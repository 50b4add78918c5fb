"""What every Mastodon endpoint shares: its error shape, its authentication, its paging.

Mastodon's errors are `{"error": "..."}` (422 for bad values, 404 for what
doesn't exist or can't be seen); its lists page with a `Link` header
(`max_id` / `since_id` / `min_id`), not a cursor in the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.kernel.api.auth import BearerTokenAuthentication, OAuthTokenAuthentication
from config.kernel.errors import ServiceError

DEFAULT_LIMIT = 20
MAX_LIMIT = 40  # Mastodon's own cap for most lists
PAGE_KEYS = ("max_id", "since_id", "min_id")


def mastodon_exception_handler(exc, context):
    """Mastodon's `{"error": message}`; validation errors are 422, as Mastodon answers them."""
    if isinstance(exc, ServiceError):
        status = 422 if exc.status == 400 else exc.status
        return Response({"error": exc.message}, status=status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Record not found")
    if isinstance(exc, exceptions.ValidationError):
        return Response({"error": _first(exc.detail), "details": exc.detail}, status=422)
    if isinstance(exc, exceptions.APIException):
        response = Response({"error": _first(exc.detail)}, status=exc.status_code)
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            response["WWW-Authenticate"] = 'Bearer realm="Doorkeeper", error="invalid_token"'
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))
        return response
    return None


def _first(detail) -> str:
    if isinstance(detail, dict):
        return next((_first(v) for v in detail.values()), "Validation failed")
    if isinstance(detail, list):
        return _first(detail[0]) if detail else "Validation failed"
    return str(detail)


class MastodonSchema(AutoSchema):
    """Mastodon's endpoints in Chirp's OpenAPI schema: each path, method and the scope it needs (tag `mastodon`).

    Their bodies are Mastodon's documented entities (docs/API.md lists what Chirp answers), so the
    schema names them as JSON objects rather than copying Mastodon's reference.
    """

    def get_tags(self) -> list[str]:
        return ["mastodon"]

    def get_operation_id(self) -> str:
        words = [w for w in re.split(r"[^A-Za-z0-9]+", self.path) if w and w != "api"]
        return "_".join(["mastodon", self.method.lower(), *words])

    def get_description(self) -> str:
        return (self.view.__class__.__doc__ or "").strip() or "Mastodon's endpoint of this path (docs/API.md)."

    def get_request_serializer(self):
        return OpenApiTypes.OBJECT if self.method in ("POST", "PUT", "PATCH") else None

    def get_response_serializers(self):
        answers = {200: OpenApiTypes.OBJECT, 401: MastodonErrorSerializer, 403: MastodonErrorSerializer}
        if "{" in self.path:
            answers[404] = MastodonErrorSerializer
        if self.method in ("POST", "PUT", "PATCH"):
            answers[422] = MastodonErrorSerializer
        return answers


class MastodonErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="What went wrong, for people.")


class MastodonView(APIView):
    """Base for Mastodon endpoints. `oauth_scopes` (read by config/kernel/api/endpoint_scopes.py) names
    the scope each method needs, as Mastodon documents it: a group ("statuses": GET read:statuses,
    others write:statuses), a dict of method -> scope, OPEN or CLOSED."""

    authentication_classes = [BearerTokenAuthentication, OAuthTokenAuthentication]
    schema = MastodonSchema()
    oauth_scopes: str | dict[str, str] = "closed"

    def get_exception_handler(self):
        return mastodon_exception_handler


def page_params(request, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> dict:
    """`max_id`, `since_id`, `min_id` (ints or None) and `limit` (clamped, as Mastodon clamps it)."""

    def as_int(name: str) -> int | None:
        value = request.query_params.get(name)
        if value in (None, ""):
            return None
        try:
            return int(value)
        except ValueError:
            return None  # Mastodon ignores an id it can't read

    try:
        limit = int(request.query_params.get("limit", default))
    except ValueError:
        limit = default
    return {
        "max_id": as_int("max_id"),
        "since_id": as_int("since_id"),
        "min_id": as_int("min_id"),
        "limit": max(1, min(limit, maximum)),
    }


def paged(request, items: Sequence, id_of: Callable[[object], int | str], body: list) -> Response:
    """A list answer with Mastodon's `Link` header: `next` (older, max_id) and `prev` (newer, min_id)."""
    response = Response(body)
    if items:
        base = request.build_absolute_uri(request.path)
        keep = [(k, v) for k, values in request.query_params.lists() if k not in PAGE_KEYS for v in values]
        older = urlencode([("max_id", id_of(items[-1])), *keep])
        newer = urlencode([("min_id", id_of(items[0])), *keep])
        response["Link"] = f'<{base}?{older}>; rel="next", <{base}?{newer}>; rel="prev"'
    return response
