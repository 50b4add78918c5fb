"""Web Push (issue 20): how many pushes one worker sends per second, and the CPU each costs.

Starts a push service on 127.0.0.1 in a child process (it reads each POST and
answers 201, as a push service does), makes `count` people each with one
subscribed browser (a real P-256 key pair and auth secret, as a browser makes)
and one notification, then runs the delivery for each in this process, one
after another, as one worker runs its tasks: notifications/webpush/push.py
`push_notification` loads the notification, builds the payload, encrypts it
for the browser (ECDH + aes128gcm), signs VAPID (one signature per push
service an hour), POSTs it through the fetcher's address checks and records
the browser's last use. Reported: pushes per second (wall) and CPU ms per push
of this process (the worker), the PostgreSQL backends and Redis (bench/cpu.py).
The people it made are deleted after.

    python -m bench.push [--count 300]   (DATABASE_URL and REDIS_URL as for manage.py)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from bench.experiment import cpu_groups

PREFIX = "pushbench"
SERVICE = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def _browser_keys() -> tuple[str, str]:
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    b64 = lambda data: base64.urlsafe_b64encode(data).rstrip(b"=").decode()  # noqa: E731
    return b64(raw), b64(os.urandom(16))


def _people(count: int, origin: str) -> list[int]:
    """`count` people with one browser each and one notification (a follow request accepted); their ids."""
    from accounts.models import User
    from notifications.models import Notification, PushSubscription

    unusable = "!"  # no password signs in (Django's mark for an unusable one)
    actor = User.objects.create(username=f"{PREFIX}_actor", name="Ada Lovelace", password=unusable)
    people = User.objects.bulk_create(User(username=f"{PREFIX}{n}", password=unusable) for n in range(count))
    subscriptions = []
    for person in people:
        p256dh, auth = _browser_keys()
        endpoint = f"{origin}/push/{person.pk}"
        subscriptions.append(PushSubscription(user=person, endpoint=endpoint, p256dh=p256dh, auth=auth))
    PushSubscription.objects.bulk_create(subscriptions)
    made = Notification.objects.bulk_create(
        Notification(recipient=person, actor=actor, verb=Notification.Verb.FOLLOW_ACCEPTED) for person in people
    )
    return [n.pk for n in made]


def _clean_up() -> None:
    from accounts.models import User

    User.objects.filter(username__startswith=PREFIX).delete()


def measure(count: int = 300) -> dict:
    from django.test import override_settings

    from bench import cpu
    from notifications.webpush import push

    service = subprocess.Popen([sys.executable, "-c", SERVICE], stdout=subprocess.PIPE, text=True)
    try:
        origin = f"http://127.0.0.1:{service.stdout.readline().strip()}"
        _clean_up()  # a run that died midway
        with override_settings(LINK_PREVIEW_ALLOW_LOOPBACK=True):  # the local service, over http
            ids = _people(count, origin)
            push.push_notification(ids[0])  # warm: imports, the VAPID signature, the connection pool's code
            groups = cpu_groups()
            before, started = cpu.sample(groups), time.perf_counter()
            sent = sum(push.push_notification(pk) for pk in ids[1:])
            seconds = time.perf_counter() - started
            after = cpu.sample(groups)
    finally:
        service.terminate()
        service.wait(10)
        _clean_up()
    pushes = count - 1
    return {
        "pushes": pushes,
        "delivered": sent,
        "seconds": round(seconds, 3),
        "pushes_per_s": round(pushes / seconds, 1),
        "cpu_ms": cpu.per_request(before, after, pushes),
    }


def line(row: dict) -> str:
    cpu_ms = row["cpu_ms"]
    parts = ", ".join(f"{name} {cpu_ms[name]}" for name in ("web", "db", "redis") if cpu_ms.get(name) is not None)
    return (
        f"- Web Push: one worker sent {row['delivered']:,} pushes to a local push service at "
        f"{row['pushes_per_s']:,} pushes/s; CPU per push {cpu_ms.get('total') or cpu_ms.get('web')} ms "
        f"({parts.replace('web', 'worker')}); encrypted and signed as for a browser"
    )


def main(argv=None) -> None:
    from bench.experiment import setup_django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args(argv)
    setup_django()
    row = measure(args.count)
    print(json.dumps(row, indent=2))
    print(line(row))


if __name__ == "__main__":
    main()
