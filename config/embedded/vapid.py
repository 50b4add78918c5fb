"""The VAPID key pair of the embedded default: made once, kept in the data folder.

Web Push services know a site by its VAPID public key: every browser that
subscribed did so for that key, so it must outlive restarts (a new pair
would silently orphan every subscription). Production sets VAPID_PRIVATE_KEY
and VAPID_PUBLIC_KEY (`manage.py vapid_keys` prints a pair); without them and
outside production, this file holds the pair.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

FILE = "vapid.json"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def generate() -> tuple[str, str]:
    """A new P-256 pair: (private key as 32 raw bytes, public key as the 65-byte uncompressed point), base64url."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64url(private), b64url(public)


def kept_pair(root: Path) -> tuple[str, str]:
    """The pair in `root`/vapid.json, made (readable by the owner only) the first time."""
    path = root / FILE
    try:
        found = json.loads(path.read_text())
        return found["privateKey"], found["publicKey"]
    except (OSError, ValueError, KeyError):
        pass
    private, public = generate()
    root.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump({"privateKey": private, "publicKey": public}, out)
    try:
        os.link(temporary, path)  # the first process to get here wins; the others read its pair
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    found = json.loads(path.read_text())
    return found["privateKey"], found["publicKey"]
