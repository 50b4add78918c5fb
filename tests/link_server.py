"""A real HTTP server on 127.0.0.1 for link preview tests: pages, redirects, slow and endless bodies.

It serves the routes of `PAGES` (and any a test adds), counts the requests
per path and the bytes it managed to send, so a test can show that the
fetcher asked once, or stopped reading at about 1 MB of a 50 MB page.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.images import image_bytes

ARTICLE = """<!doctype html><html><head><meta charset="utf-8">
<title>Plain title</title>
<meta property="og:title" content="Rust &amp; Django: a love story">
<meta property="og:description" content="How two communities learned from each other.">
<meta property="og:site_name" content="The Example Times">
<meta property="og:image" content="/image.png">
</head><body><p>Hello</p></body></html>"""

PLAIN = """<html><head><title>
  Just a title </title><meta name="description" content="And a description."></head><body></body></html>"""

TWITTER = """<html><head><meta name="twitter:card" content="summary">
<meta name="twitter:title" content="Twitter title"><meta name="twitter:description" content="Twitter words">
</head></html>"""

EMPTY = "<html><head></head><body><p>No title here.</p></body></html>"

OEMBED = """<html><head><meta property="og:description" content="From the page">
<link rel="alternate" type="application/json+oembed" href="/oembed.json"></head></html>"""
OEMBED_JSON = json.dumps(
    {"type": "rich", "title": "Title from oEmbed", "provider_name": "Embedly", "thumbnail_url": "/image.png"}
)


def dirty_page() -> str:
    nasty = "Bad\x00title\x01with\x1bcontrols\u202eand" + "x" * 500
    return (
        f'<html><head><meta property="og:title" content="{nasty}">'
        f'<meta property="og:description" content="{"word " * 200}">'
        f'<meta property="og:site_name" content="{"s" * 300}">'
        '<meta property="og:image" content="javascript:alert(1)"></head></html>'
    )


class Server:
    def __init__(self):
        self.requests: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()  # bytes written per path (until the client went away)
        self.user_agents: list[str] = []
        self.hosts: list[str] = []
        self.routes: dict[str, object] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                outer.requests[path] += 1
                outer.user_agents.append(self.headers.get("User-Agent", ""))
                outer.hosts.append(self.headers.get("Host", ""))
                route = outer.routes.get(path)
                if route is None:
                    return self._send(404, "text/plain", b"not found")
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client hung up: fine
                    route(self, outer)

            def _send(self, status, content_type, body: bytes, headers=()):
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._install_defaults()

    def url(self, path: str) -> str:
        return self.base + path

    def start(self):
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- routes ---------------------------------------------------------------

    def page(self, path: str, html: str, content_type="text/html; charset=utf-8"):
        self.routes[path] = lambda h, s: h._send(200, content_type, html.encode())

    def redirect(self, path: str, to: str, status=302):
        self.routes[path] = lambda h, s: h._send(status, "text/plain", b"moved", [("Location", to)])

    def _install_defaults(self):
        png = image_bytes("PNG", (600, 315), (30, 120, 200))
        self.page("/article", ARTICLE)
        self.page("/plain", PLAIN)
        self.page("/twitter", TWITTER)
        self.page("/empty", EMPTY)
        self.page("/oembed", OEMBED)
        self.page("/oembed.json", OEMBED_JSON, "application/json")
        self.page("/dirty", dirty_page())
        self.page("/pdf", "%PDF-1.4 not html", "application/pdf")
        self.page("/no-type", "<html><title>x</title></html>", "")
        self.routes["/image.png"] = lambda h, s: h._send(200, "image/png", png)
        self.routes["/fake.png"] = lambda h, s: h._send(200, "image/png", b"<html>not an image</html>")
        self.page("/fake-image", '<html><head><meta property="og:title" content="T">'
                  '<meta property="og:image" content="/fake.png"></head></html>')  # fmt: skip
        self.page("/with-pdf-image", '<html><head><meta property="og:title" content="T">'
                  '<meta property="og:image" content="/pdf"></head></html>')  # fmt: skip
        for hop in range(1, 5):  # /hops/N redirects N times, then lands on the article
            nxt = f"/hops/{hop - 1}" if hop > 1 else "/article"
            self.redirect(f"/hops/{hop}", nxt)
        self.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
        self.redirect("/chain-to-private", "/chain-2")
        self.redirect("/chain-2", "http://10.0.0.7/admin")
        self.routes["/slow"] = _slow_drip
        self.routes["/endless"] = _endless
        self.routes["/huge"] = _huge
        self.routes["/huge-declared"] = _huge_declared


def _slow_drip(handler, server):
    """A page that sends its head a byte at a time, forever (within the test)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    text = b"<html><head><title>" + b"s" * 10_000
    for byte in text:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        server.sent["/slow"] += 1
        time.sleep(0.05)


def _stream(handler, server, path, total: int | None, pause: float, *, declared=False):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    if declared:
        handler.send_header("Content-Length", str(total))
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<p>" + b"a" * (64 * 1024 - 7) + b"</p>\n"
    start = b"<html><head><title>Huge</title></head><body>"
    handler.wfile.write(start)
    sent = len(start)
    while total is None or sent < total:
        handler.wfile.write(chunk)
        handler.wfile.flush()
        sent += len(chunk)
        server.sent[path] = sent
        time.sleep(pause)  # paced, so what was sent is what was read (no megabytes parked in socket buffers)


def _endless(handler, server):
    _stream(handler, server, "/endless", None, 0.002)


def _huge(handler, server):
    """50 MB of HTML, made as it is sent, without a Content-Length: only reading tells its size."""
    handler.close_connection = True
    _stream(handler, server, "/huge", 50 * 1024 * 1024, 0.005)


def _huge_declared(handler, server):
    """50 MB of HTML that says so in its Content-Length."""
    handler.close_connection = True
    _stream(handler, server, "/huge-declared", 50 * 1024 * 1024, 0.005, declared=True)


# --- HTTPS: a CA of the test's own and a certificate it signs for one name ----------------------


def make_certificates(directory, name: str = "localhost") -> tuple[str, str, str]:
    """(CA file, certificate file, key file) in `directory`: a test CA and a certificate for `name`."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Chirp test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    leaf = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    paths = [str(directory / f) for f in ("ca.pem", "cert.pem", "key.pem")]
    with open(paths[0], "wb") as file:
        file.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths[1], "wb") as file:
        file.write(leaf.public_bytes(serialization.Encoding.PEM))
    with open(paths[2], "wb") as file:
        file.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return paths[0], paths[1], paths[2]


def tls(server: Server, cert_file: str, key_file: str) -> Server:
    """Serve `server` over TLS (before `start`); the names clients asked for (SNI) go in `server.sni`."""
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.sni = []
    context.sni_callback = lambda sock, name, ctx: server.sni.append(name)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    server.base = f"https://localhost:{server.port}"
    return server
