"""A Web Push service for tests: a real HTTP server on 127.0.0.1 that checks and decrypts what it gets.

A test makes a `Browser` (its P-256 key pair and auth secret, as a browser makes
them when it subscribes), gives the site `browser.subscription()`, and reads
what arrived in `server.received`. Each push is checked as a push service would:
the VAPID JWT (`Authorization: vapid t=..., k=...`) must be signed (ES256) by
the key `k`, for `aud` = the endpoint's origin, with `exp` in the future and a
`sub`; the body must be aes128gcm that decrypts with the browser's private key.

`server.script(browser, [429, 500, 201])` sets the answers for the next pushes to
that browser, one each (then 201); "hang" answers nothing for `hang_seconds`.
`retry_after` adds that Retry-After to 429 answers.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """What a browser keeps for one push subscription."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))
    endpoint: str = ""

    @property
    def p256dh(self) -> str:
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)

    def subscription(self) -> dict:
        """As `PushSubscription.toJSON()` writes it."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }


@dataclass
class Received:
    token: str
    headers: dict
    claims: dict
    payload: dict | None
    answered: int | str


def verify_vapid(header: str, origin: str) -> dict:
    """The JWT's claims if `Authorization: vapid t=..., k=...` is good for `origin`; ValueError otherwise."""
    scheme, _, rest = header.partition(" ")
    if scheme.lower() != "vapid":
        raise ValueError(f"scheme {scheme!r}")
    parts = dict(item.strip().split("=", 1) for item in rest.split(","))
    token, public = parts["t"], unb64url(parts["k"])
    head, body, signature = token.split(".")
    if json.loads(unb64url(head)) != {"typ": "JWT", "alg": "ES256"}:
        raise ValueError("not an ES256 JWT")
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)
    try:
        key.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise ValueError("bad signature") from None
    claims = json.loads(unb64url(body))
    if claims.get("aud") != origin:
        raise ValueError(f"aud {claims.get('aud')!r} is not {origin!r}")
    if not claims.get("exp") or claims["exp"] <= time.time() or claims["exp"] > time.time() + 24 * 3600:
        raise ValueError("exp not within the next 24 hours")
    if not claims.get("sub"):
        raise ValueError("no sub")
    claims["k"] = parts["k"]
    return claims


class PushServer:
    def __init__(self, hang_seconds: float = 3.0, retry_after: str | None = None):
        self.browsers: dict[str, Browser] = {}
        self.scripts: dict[str, list] = {}
        self.received: list[Received] = []
        self.errors: list[str] = []
        self.hang_seconds = hang_seconds
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def browser(self) -> Browser:
        found = Browser()
        found.endpoint = f"{self.origin}/push/{found.token}"
        self.browsers[found.token] = found
        return found

    def script(self, browser: Browser, answers: list) -> None:
        self.scripts[browser.token] = list(answers)

    def delivered(self, browser: Browser | None = None) -> list[Received]:
        return [r for r in self.received if r.answered == 201 and (browser is None or r.token == browser.token)]

    def start(self) -> PushServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _answer_for(self, token: str):
        with self.lock:
            queue = self.scripts.get(token) or []
            return queue.pop(0) if queue else 201

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                token = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                browser = server.browsers.get(token)
                if browser is None:
                    return self._send(404)
                try:
                    claims = verify_vapid(self.headers.get("Authorization", ""), server.origin)
                    if self.headers.get("Content-Encoding") != "aes128gcm":
                        raise ValueError("not aes128gcm")
                    plain = http_ece.decrypt(
                        body, private_key=browser.key, auth_secret=browser.auth, version="aes128gcm"
                    )
                    payload = json.loads(plain)
                except Exception as error:  # a push service refuses what it can't check
                    server.errors.append(f"{type(error).__name__}: {error}")
                    return self._send(400)
                answer = server._answer_for(token)
                server.received.append(Received(token, dict(self.headers), claims, payload, answer))
                if answer == "hang":
                    time.sleep(server.hang_seconds)
                    return self._send(201)
                headers = {"Retry-After": server.retry_after} if answer == 429 and server.retry_after else {}
                self._send(answer, headers)

            def _send(self, status: int, headers: dict | None = None):
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler
