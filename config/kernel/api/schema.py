"""How the OpenAPI schema describes the API, so that it says exactly what the server does.

- Every operation documents the errors it can answer, with the one error body
  (`{"error", "fields"}`): the statuses every operation shares are added here
  (400 bad input, 401 bad credentials, 403 a refused CSRF check, 404 where the
  path names something, 409 a reused `Idempotency-Key`, 413 an upload too
  large, 415 a body in an unsupported media type, 429 rate limited); the
  statuses particular to an operation are listed on it with `errors(...)`.
- Lists document `cursor` and `limit` as the server reads them.
- Ids in paths are documented as ids (a string of digits).
- A request serializer may add JSON Schema rules the fields can't say one by
  one (`schema_rules`, for example "text or mediaIds"), and a DELETE that
  answers a body documents it under 200, not drf-spectacular's 204.
"""

from __future__ import annotations

import copy
from functools import cache

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import MultiPartParser

from config.kernel.api import patterns
from config.kernel.api.fields import TextField
from config.kernel.api.pagination import DEFAULT_LIMIT, MAX_LIMIT

PAGE_PARAMETERS = [
    OpenApiParameter(
        "cursor", {"type": "string", "pattern": patterns.CURSOR},
        description="The nextCursor of the previous page; empty or absent for the first page.",
    ),
    OpenApiParameter(
        "limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        description=f"1 to {MAX_LIMIT}, default {DEFAULT_LIMIT}.",
    ),
]  # fmt: skip


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a message, and for bad input the fields at fault."""

    error = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="The request fields at fault, each with its messages (on 400, and on some 403 and 409).",
    )


DESCRIPTIONS = {
    400: "Bad input: the request breaks this schema (a malformed or missing value, a NUL byte).",
    401: "Missing or bad credentials.",
    403: "Not allowed.",
    404: "Not found (also for what you may not see).",
    409: "Conflict with the current state.",
    413: "Too large.",
    415: "The body is not in a media type this operation takes.",
    429: "Rate limited: wait `Retry-After` seconds.",
}


def errors(*statuses: int, **described: str) -> dict:
    """Error answers for `@extend_schema(responses={..., **errors(403, 404)})`.

    A status may be given a description of its own: `errors(s404="No such user.")`.
    """
    answers = {status: OpenApiResponse(ErrorSerializer, description=DESCRIPTIONS[status]) for status in statuses}
    for key, text in described.items():
        answers[int(key.removeprefix("s"))] = OpenApiResponse(ErrorSerializer, description=text)
    return answers


RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}


def _idempotent(view, method: str) -> bool:
    handler = getattr(view, method.lower(), None)
    return bool(getattr(handler, "idempotent", False))


class ChirpAutoSchema(AutoSchema):
    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["name"].endswith("_id"):
                parameter["schema"] = {"type": "string", "pattern": patterns.ID}
                parameter.setdefault("description", "An id.")
        return parameters

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if (
            isinstance(field, TextField)
            and not field.allow_blank
            and field.trim_whitespace
            and schema.get("type") == "string"
            and "pattern" not in schema
        ):
            schema["pattern"] = patterns.NOT_BLANK  # DRF trims, then finds it blank

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        rules = getattr(serializer, "schema_rules", None)
        if rules and direction == "request":
            for key, value in copy.deepcopy(rules).items():
                if key == "properties":
                    for name, extra in value.items():
                        schema["properties"][name].update(extra)
                else:
                    schema[key] = value
        return schema

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if not body:
            return body
        serializers_by_type = self.get_request_serializer()
        if not isinstance(serializers_by_type, dict):
            serializers_by_type = {None: serializers_by_type}
        for serializer in serializers_by_type.values():
            serializer = getattr(serializer, "request", serializer)  # OpenApiRequest
            rules = getattr(serializer, "schema_rules", {})
            if any(key in rules for key in ("anyOf", "oneOf", "allOf", "required")):
                body["required"] = True  # the rules ask for some field, so {} is not enough
        return body

    def _get_response_bodies(self, direction="response"):
        if self.method == "DELETE" and not isinstance(self.get_response_serializers(), dict):
            answer = self.get_response_serializers()
            responses = {"200": self._get_response_for_code(answer, "200", direction=direction)}
        else:
            responses = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            if str(status) not in responses:
                answer = OpenApiResponse(ErrorSerializer, description=DESCRIPTIONS[status])
                responses[str(status)] = self._get_response_for_code(answer, str(status), direction=direction)
        if "429" in responses:
            responses["429"]["headers"] = copy.deepcopy(RETRY_AFTER)
        return dict(sorted(responses.items()))

    def _error_statuses(self) -> list[int]:
        """The errors any operation like this one can answer, whatever it does."""
        statuses = [400, 429]  # a NUL byte anywhere is 400; every caller has a rate limit
        authenticators = self.view.get_authenticators()
        if authenticators:
            statuses.append(401)  # a bad token is refused even where none is needed
        unsafe = self.method not in ("GET", "HEAD", "OPTIONS")
        if unsafe and any(isinstance(a, SessionAuthentication) for a in authenticators):
            statuses.append(403)  # a browser session without its CSRF token
        if "{" in self.path:
            statuses.append(404)
        if _idempotent(self.view, self.method):
            statuses.append(409)  # the same Idempotency-Key with a different request
        if self._get_request_body():
            statuses.append(415)
            if any(isinstance(parser, MultiPartParser) for parser in self.view.get_parsers()):
                statuses.append(413)
        return statuses


@cache
def list_schema(name: str, key: str, item_serializer):
    """One component per name: two endpoints listing users share "UserList"."""
    return inline_serializer(
        name, {key: item_serializer(many=True), "nextCursor": serializers.CharField(allow_null=True)}
    )
