"""Every API error has the same body: `{"error": "message", "fields": {...}}`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from config.kernel.errors import ServiceError


def error_body(message: str, fields: dict | None = None) -> dict:
    body: dict = {"error": message}
    if fields:
        body["fields"] = fields
    return body


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
        return "Invalid input."
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else "Invalid input."
    return str(detail)


def _flatten_fields(detail: dict) -> tuple[str | None, dict[str, list[str]]]:
    """Split DRF's nested error detail into a top message and field lists."""
    top = None
    fields: dict[str, list[str]] = {}
    for name, value in detail.items():
        messages = value if isinstance(value, list) else [value]
        flat = [_first_message(m) for m in messages]
        if name in ("non_field_errors", "__all__"):
            top = top or flat[0]
        else:
            fields[name] = flat
    return top, fields


def api_exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        response = Response(error_body(exc.message, exc.fields), status=exc.status)
        if exc.retry_after is not None:
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500 handler answers JSON for /api/

    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        top, fields = _flatten_fields(exc.detail)
        message = top or (next(iter(fields.values()))[0] if fields else "Invalid input.")
        response.data = error_body(message, fields)
    else:
        response.data = error_body(_first_message(exc.detail if hasattr(exc, "detail") else exc))
    return response


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")


def json_not_found(request, exception=None) -> JsonResponse:
    return JsonResponse(error_body("Not found."), status=status.HTTP_404_NOT_FOUND)


def json_server_error(request) -> JsonResponse:
    return JsonResponse(error_body("Something went wrong on our side."), status=500)
