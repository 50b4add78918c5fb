"""Fetching a page someone linked to, without letting them aim our servers at anything else.

A link in a post is a URL a stranger chose, and our worker fetches it from
inside our network (server-side request forgery). So, for every hop:

- only http and https, on a host that resolves (in at most the time left) to
  public addresses only: no private, loopback, link-local (169.254.169.254,
  the cloud metadata service), multicast, reserved or unspecified address,
  in IPv4 or IPv6, nor one of those wrapped in IPv6 (IPv4-mapped, NAT64,
  6to4, Teredo);
- the connection goes to the address that was checked (the pool is made for
  that IP, with the name sent as Host and as TLS SNI, and the certificate
  checked against the name): a second DNS answer can't swap in another one;
- redirects are followed by hand, each one checked as above, at most
  LINK_PREVIEW_MAX_REDIRECTS;
- one deadline for everything (resolving, connecting, every read), so a page
  that drips a byte a second stops at LINK_PREVIEW_TIMEOUT like any other;
- at most `max_bytes` are read; a longer body is refused without reading on;
- only the content types asked for.

`LINK_PREVIEW_ALLOW_LOOPBACK` (tests only) lets 127.0.0.0/8 and ::1 through,
and nothing else, so tests can run a local HTTP server.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings
from urllib3.exceptions import HTTPError

HTML_TYPES = ("text/html",)
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fetch-dns")


class FetchRefused(Exception):
    """The URL, an address it leads to, or its answer is not one we fetch; the message says why (for logs)."""


class Unreachable(FetchRefused):
    """No answer: the name didn't resolve, the connection failed or the time ran out (worth trying again)."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str  # lower case, without parameters
    charset: str | None
    body: bytes


def user_agent() -> str:
    return f"Chirp link preview (+{settings.SITE_URL})"


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL we would fetch, or FetchRefused; no network."""
    if len(url) > 2048:
        raise FetchRefused("URL too long")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchRefused("malformed URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(f"scheme {scheme!r} not fetched")
    if parts.username or parts.password:
        raise FetchRefused("credentials in URL")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused("no host")
    try:
        host = host.encode("idna").decode("ascii")  # what DNS, the Host header and SNI take
    except UnicodeError:
        raise FetchRefused("bad host name") from None
    return scheme, host, port or (443 if scheme == "https" else 80)


def refusal(address: str) -> str | None:
    """Why this IP address may not be fetched from, or None when it is a public one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is None and ip in _NAT64:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None:
            return refusal(str(inner))
    if ip.is_loopback and settings.LINK_PREVIEW_ALLOW_LOOPBACK:
        return None
    for name in ("is_loopback", "is_link_local", "is_multicast", "is_private", "is_reserved", "is_unspecified"):
        if getattr(ip, name):
            return f"{ip} {name[3:].replace('_', '-')}"
    if not ip.is_global:  # shared (100.64/10) and the other special ranges
        return f"{ip} not global"
    return None


def resolve(host: str, port: int, deadline: float) -> str:
    """The address to connect to: every address the name has must be public (else FetchRefused)."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        future = _resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
        try:
            found = future.result(timeout=_left(deadline))
        except FutureTimeout:
            raise Unreachable("DNS timed out") from None
        except (OSError, UnicodeError) as error:
            raise Unreachable(f"DNS: {error}") from None
        addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise FetchRefused("no address")
    for address in addresses:  # one bad answer refuses the name: no picking among a mix
        if reason := refusal(address):
            raise FetchRefused(f"address refused: {reason}")
    return addresses[0]


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise Unreachable("timed out")
    return left


def _pool(scheme: str, host: str, address: str, port: int, deadline: float):
    timeout = urllib3.Timeout(connect=_left(deadline), read=_left(deadline))
    common = {"timeout": timeout, "retries": False, "maxsize": 1}
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address, port, server_hostname=host, assert_hostname=host,
            cert_reqs="CERT_REQUIRED", ca_certs=settings.LINK_PREVIEW_CA_BUNDLE or certifi.where(), **common,
        )  # fmt: skip
    return urllib3.HTTPConnectionPool(address, port, **common)


def _host_header(scheme: str, host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    default = 443 if scheme == "https" else 80
    return shown if port == default else f"{shown}:{port}"


def fetch(url: str, *, types: tuple[str, ...] = HTML_TYPES, max_bytes: int | None = None) -> Fetched:
    """GET `url` under the rules above: the body and what it is, or FetchRefused."""
    max_bytes = max_bytes or settings.LINK_PREVIEW_MAX_BYTES
    deadline = time.monotonic() + settings.LINK_PREVIEW_TIMEOUT
    for _hop in range(settings.LINK_PREVIEW_MAX_REDIRECTS + 1):
        scheme, host, port = check_url(url)
        address = resolve(host, port, deadline)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "Host": _host_header(scheme, host, port),
            "User-Agent": user_agent(),
            "Accept": ", ".join(types),
            "Accept-Encoding": "identity",  # what we count is what arrives: no 1 MB gzip of 1 GB
        }
        pool = _pool(scheme, host, address, port, deadline)
        try:
            response = pool.urlopen(
                "GET", target, headers=headers, redirect=False, preload_content=False, decode_content=False,
                assert_same_host=False,
            )  # fmt: skip
            try:
                if response.status in REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchRefused("redirect without Location")
                    url = urljoin(url, location.strip())
                    continue
                if response.status != 200:
                    raise FetchRefused(f"HTTP {response.status}")
                content_type, charset = _content_type(response.headers.get("Content-Type", ""))
                if content_type not in types:
                    raise FetchRefused(f"content type {content_type or 'missing'!r}")
                length = response.headers.get("Content-Length", "")
                if length.isdigit() and int(length) > max_bytes:
                    raise FetchRefused(f"Content-Length {length} over {max_bytes}")
                body = _read(response, max_bytes, deadline)
                return Fetched(url=url, content_type=content_type, charset=charset, body=body)
            finally:
                response.release_conn()
                response.close()
        except (HTTPError, HTTPException, OSError, ValueError) as error:  # UnicodeError is a ValueError
            raise FetchRefused(f"{type(error).__name__}: {error}") from None
        finally:
            pool.close()
    raise FetchRefused(f"more than {settings.LINK_PREVIEW_MAX_REDIRECTS} redirects")


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST `body` to `url` under the same address rules (Web Push): no redirect is followed, at most
    64 KB of the answer is read, all within `timeout`. FetchRefused for a URL or address we don't
    send to; Unreachable when there is no answer in time (or no connection)."""
    deadline = time.monotonic() + timeout
    scheme, host, port = check_url(url)
    address = resolve(host, port, deadline)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {"Host": _host_header(scheme, host, port), "User-Agent": f"Chirp (+{settings.SITE_URL})", **headers}
    pool = _pool(scheme, host, address, port, deadline)
    try:
        response = pool.urlopen(
            "POST", target, body=body, headers=sent, redirect=False, preload_content=False,
            assert_same_host=False,
        )  # fmt: skip
        try:
            _read(response, 64 * 1024, deadline)
        except FetchRefused:
            pass  # an answer's body tells us nothing we act on; its status does
        finally:
            response.release_conn()
            response.close()
        return Answer(response.status, {name.lower(): value for name, value in response.headers.items()})
    except (HTTPError, HTTPException, OSError, ValueError) as error:
        raise Unreachable(f"{type(error).__name__}: {error}") from None
    finally:
        pool.close()


def _read(response, max_bytes: int, deadline: float) -> bytes:
    """The body, read against the one deadline: each read waits at most for the time left."""
    chunks, size = [], 0
    while True:
        sock = getattr(response.connection, "sock", None)
        if sock is not None:
            sock.settimeout(_left(deadline))
        chunk = response.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchRefused(f"body over {max_bytes} bytes")
        chunks.append(chunk)
        _left(deadline)


def _content_type(header: str) -> tuple[str, str | None]:
    kind, _, rest = header.partition(";")
    charset = None
    for parameter in rest.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return kind.strip().lower(), charset
