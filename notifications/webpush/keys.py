"""VAPID keys (settings) and the checks of a browser's subscription keys."""

from __future__ import annotations

import base64
import binascii
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid02


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """base64url, with or without padding; ValueError for anything else."""
    if not isinstance(text, str) or not text or len(text) > 200:
        raise ValueError("not base64url")
    stripped = text.rstrip("=")
    if any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in stripped):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


def valid_p256dh(text: str) -> bool:
    """A P-256 public key as browsers give it: 65 bytes, uncompressed (0x04 x y), on the curve."""
    try:
        raw = b64url_decode(text)
    except ValueError:
        return False
    if len(raw) != 65 or raw[0] != 4:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True


def valid_auth(text: str) -> bool:
    """The browser's auth secret: 16 bytes."""
    try:
        return len(b64url_decode(text)) == 16
    except ValueError:
        return False


@cache
def _vapid(private_key: str) -> Vapid02:
    return Vapid02.from_raw(private_key.encode())


def vapid() -> Vapid02 | None:
    """The signer for this site's VAPID key; None when push isn't configured."""
    return _vapid(settings.VAPID_PRIVATE_KEY) if settings.VAPID_PRIVATE_KEY else None


def public_key() -> str:
    """What browsers subscribe with (`applicationServerKey`), base64url; "" when push isn't configured."""
    signer = vapid()
    if signer is None:
        return ""
    return settings.VAPID_PUBLIC_KEY or b64url(
        signer.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
