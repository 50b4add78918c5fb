"""Byte ranges (RFC 9110 §14) for files the app serves itself, so a video can be seeked before it has loaded.

Django's file responses always send the whole file. Players ask for
`Range: bytes=start-` when the reader jumps ahead; without a 206 answer,
Chrome can't seek until the whole file has arrived. S3 and a front server
answer ranges themselves; this is for local storage (`make run`, DM media).
One range only (what players send); several ranges, or a malformed header,
get the whole file, as the RFC allows.
"""

from __future__ import annotations

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024
KEPT_HEADERS = ("Content-Type", "Cache-Control", "Last-Modified", "X-Content-Type-Options")


def ranged(request, response):
    """`response` (a FileResponse of a seekable file) cut to the request's single byte range: 206, or 416."""
    if not isinstance(response, FileResponse) or response.status_code != 200:
        return response
    response["Accept-Ranges"] = "bytes"
    match = SINGLE_RANGE.match(request.headers.get("Range", "").strip())
    if match is None or "Content-Length" not in response or request.method not in ("GET", "HEAD"):
        return response
    size = int(response["Content-Length"])
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    elif last:  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        return response
    if first and last and int(last) < start:  # not a valid range: ignored, as the RFC allows
        return response
    if start >= size:
        response.file_to_stream.close()  # not response.close(): that would signal the request's end
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    source = response.file_to_stream
    source.seek(start)
    partial = StreamingHttpResponse(_read(source, end - start + 1), status=206)
    for name in KEPT_HEADERS:
        if name in response:
            partial[name] = response[name]
    partial["Accept-Ranges"] = "bytes"
    partial["Content-Range"] = f"bytes {start}-{end}/{size}"
    partial["Content-Length"] = str(end - start + 1)
    return partial


def _read(source, length: int):
    """The range's bytes; the file is closed when the response is (a generator's close runs `finally`)."""
    try:
        while length > 0:
            chunk = source.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
    finally:
        source.close()
