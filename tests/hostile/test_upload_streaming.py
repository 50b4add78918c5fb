"""A 101 MB upload is refused while it streams in, before it is all read (issue 19).

Django's ASGI handler reads the whole body before any view or upload
handler runs, so the limit is at the edge (config/kernel/asgi_handler.py).
These drive that handler as the server (daphne) does: an ASGI `receive` that
hands over the body one 1 MiB chunk at a time and counts how many were taken.
"""

import asyncio
import json

import pytest
from django.conf import settings

from config.kernel.asgi_handler import OneHopASGIHandler

MiB = 1024 * 1024
CHUNK = b"\0" * MiB  # one buffer, sent again and again: the test holds 1 MiB, not 101
BOUNDARY = b"chirp-boundary"


def scope(length: int | None) -> dict:
    headers = [(b"content-type", b"multipart/form-data; boundary=" + BOUNDARY), (b"host", b"testserver")]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/v1/media/upload", "raw_path": b"/api/v1/media/upload", "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }  # fmt: skip


def upload(file_mib: int, *, declare_length: bool) -> tuple[int, int, int, dict]:
    """Send a multipart body with a file of `file_mib` MiB; (status, chunks read, chunks in all, body)."""
    head = b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n'
    head += b"Content-Type: video/mp4\r\n\r\n"
    tail = b"\r\n--" + BOUNDARY + b"--\r\n"
    chunks = [head, *([CHUNK] * file_mib), tail]
    total = sum(len(chunk) for chunk in chunks)
    read = 0
    sent = []

    async def receive():
        nonlocal read
        if read < len(chunks):
            read += 1
            return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}
        await asyncio.sleep(30)  # the client waits for the answer
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    handler = OneHopASGIHandler()
    asyncio.run(asyncio.wait_for(handler(scope(total if declare_length else None), receive, send), 20))
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return start["status"], read, len(chunks), json.loads(body)


def test_a_101_mb_upload_with_its_length_declared_is_refused_before_a_byte_is_read():
    status, read, _, body = upload(101, declare_length=True)
    assert status == 413 and read == 0
    assert body == {"error": "Files must be 100.0\xa0MB or smaller (videos; images: 5.0\xa0MB)."}


@pytest.mark.parametrize("file_mib", [101, 300])
def test_a_chunked_upload_is_cut_off_as_soon_as_it_passes_the_limit(file_mib):
    status, read, chunks, body = upload(file_mib, declare_length=False)
    assert status == 413 and "100.0\xa0MB" in body["error"]
    # It stopped within a chunk of the limit, not at the end of what was sent.
    assert read == 1 + settings.REQUEST_MAX_BYTES // MiB + 1 and read < chunks
