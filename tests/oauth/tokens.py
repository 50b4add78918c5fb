"""OAuth applications and access tokens made directly (the grant flows have tests of their own)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model
from rest_framework.test import APIClient

from config.kernel.api.auth import OAUTH_TOKEN_PREFIX


def make_app(name: str = "Birdwatch"):
    return get_application_model().objects.create(
        name=name,
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="https://birdwatch.example/callback",
    )


def make_token(user, scope: str, *, app=None, expires_in: timedelta = timedelta(hours=2)) -> str:
    """An access token for `user` (None: a client-credentials token) with `scope`; returns its value."""
    value = OAUTH_TOKEN_PREFIX + secrets.token_urlsafe(22)
    get_access_token_model().objects.create(
        user=user, application=app or make_app(), token=value, scope=scope, expires=timezone.now() + expires_in
    )
    return value


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def token_row(value: str):
    """The stored token with this value (found by checksum: the value itself may be stored hashed)."""
    return get_access_token_model().objects.get(token_checksum=hashlib.sha256(value.encode()).hexdigest())
