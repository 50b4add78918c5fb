"""`Idempotency-Key` for creating POSTs.

The key row is inserted in the same transaction as the work it guards. A
concurrent retry with the same key blocks on the unique index until the first
request commits, then finds its stored answer; if the first failed, nothing
was stored and the retry runs afresh. Only successful answers are kept.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from config.kernel.errors import ServiceError
from config.kernel.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    {"type": "string", "pattern": f"^[\\u0020-\\u007e]{{0,{MAX_KEY_LENGTH}}}$"},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique client-chosen key (up to 255 printable ASCII characters, for example a UUID); a retry with "
        "the same key returns the first answer and creates nothing, and the same key with a different request is 409."
    ),
)


def _fingerprint(request) -> str:
    """Tells a retry from a different request. Keyed, because the body may hold a password:
    a plain hash of it would be a fast, unsalted password hash sitting in the database."""
    try:
        payload = json.dumps(request.data, sort_keys=True, default=_describe_upload)
    except (TypeError, ValueError):
        payload = repr(sorted(request.data.keys()))
    message = f"{request.method} {request.path}\n{payload}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _describe_upload(value) -> str:
    return f"file:{getattr(value, 'name', '')}:{getattr(value, 'size', '')}"


def _scope(request) -> str:
    user = request.user
    return f"user:{user.pk}" if user and user.is_authenticated else "anonymous"


def idempotent(view_method=None, *, reissue: dict[str, Callable[[dict], str]] | None = None):
    """Decorate an APIView's `post` so a repeated key replays the first answer.

    `reissue` names answer fields that hold a credential (a new bearer token):
    those are never stored; a replay gets a fresh one from the function, given
    the stored answer.
    """
    if view_method is None:
        return lambda method: idempotent(method, reissue=reissue)
    reissue = reissue or {}

    @wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH or not (key.isascii() and key.isprintable()):
            raise ServiceError(
                _("%(header)s must be at most %(max)s printable ASCII characters.")
                % {"header": HEADER, "max": MAX_KEY_LENGTH}
            )
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(scope=_scope(request), key=key, request_hash=fingerprint)
            except IntegrityError:
                record = IdempotencyKey.objects.get(scope=_scope(request), key=key)
                if record.request_hash != fingerprint:
                    raise ServiceError(
                        _("This %(header)s was already used for a different request.") % {"header": HEADER}, status=409
                    ) from None
                body = dict(record.response_body) if reissue else record.response_body
                for field, make in reissue.items():
                    body[field] = make(body)
                return Response(body, status=record.response_status)

            response = view_method(self, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                record.response_status = response.status_code
                record.response_body = {k: v for k, v in response.data.items() if k not in reissue}
                record.save(update_fields=["response_status", "response_body"])
            else:
                transaction.set_rollback(True)
            return response

    wrapper.idempotent = True  # the schema documents its 409
    return wrapper


def claim_form_token(user, token) -> bool:
    """True the first time this user submits the form with `token`, in this transaction.

    A double-clicked form sends the same token twice; the second request waits
    on the unique index, then finds the first one's row and is told no.
    """
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(scope=f"form:{user.pk}", key=str(token), request_hash="", response_status=303)
    except IntegrityError:
        return False
    return True
