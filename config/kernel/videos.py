"""Video uploads (MP4, MOV, WebM): what the request checks before keeping the file, and the worker's transcode.

A file is taken as a video for what its bytes are (the container's magic
number, then what FFmpeg reads of it), never for its name or declared type.
`probe` runs on the request: it reads the container's header and stream
information (FFmpeg's probing, bounded by `probesize`) and decodes one
frame, once the frame size is known to be within bounds, so a truncated or
damaged file is refused there and then. `render` runs in a worker: the
transcode itself happens in a child process (config/kernel/transcode.py)
with a time limit and an address-space limit, so a file that makes FFmpeg
hang or blow up costs that child, not the worker, and ends `failed`.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import av
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.kernel.errors import ServiceError
from config.kernel.images import size_of

logger = logging.getLogger(__name__)

# FFmpeg's name for the demuxer -> the content type we record for the original.
CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2": "video/mp4", "matroska,webm": "video/webm"}
VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1", "mpeg4"}
AUDIO_CODECS = {"aac", "mp3", "opus", "vorbis", "flac", "alac", "pcm_s16le", "pcm_s16be", "pcm_f32le"}
NOT_A_VIDEO = gettext_lazy(
    "That file isn't a video we can read. Use an MP4, MOV or WebM file (H.264, HEVC, VP8, VP9 or AV1)."
)
DAMAGED = gettext_lazy("That video is damaged or cut short: its frames can't be read.")
# How much of the file FFmpeg may read to find the streams (bytes, microseconds).
PROBE_OPTIONS = {"probesize": str(8 * 1024 * 1024), "analyzeduration": str(5_000_000)}
PROBE_MAX_PACKETS = 200  # read to find the first frame; a keyframe comes long before this in any real file


@dataclass(frozen=True)
class Probe:
    content_type: str
    codec: str
    width: int
    height: int
    duration: float | None  # seconds; None when the container doesn't say (a recording's WebM)


def looks_like_video(upload) -> bool:
    """Whether the first bytes are an MP4/MOV box or a Matroska/WebM header (the magic numbers)."""
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    return head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip") or head[:4] == b"\x1a\x45\xdf\xa3"


def too_long_message() -> str:
    seconds = settings.VIDEO_MAX_SECONDS
    return _("Videos can be at most %(minutes)s min %(seconds)s s long.") % {
        "minutes": seconds // 60,
        "seconds": seconds % 60,
    }


def _too_large_frames() -> ServiceError:
    side = int(settings.VIDEO_MAX_PIXELS**0.5)
    return ServiceError(_("Video frames can be at most %(side)sx%(side)s pixels.") % {"side": side}, status=413)


def probe(upload) -> Probe:
    """Container, codecs, frame size and duration from the header, one frame decoded; or ServiceError."""
    size = size_of(upload)
    if size > settings.VIDEO_MAX_BYTES:
        raise ServiceError(
            _("Videos must be %(size)s or smaller.") % {"size": filesizeformat(settings.VIDEO_MAX_BYTES)}, status=413
        )
    if size == 0:
        raise ServiceError(_("That file is empty."))
    upload.seek(0)
    path = upload.temporary_file_path() if hasattr(upload, "temporary_file_path") else None
    try:
        with av.open(path or upload, options=PROBE_OPTIONS) as container:
            found = _checked(container)
            _first_frame(container)
    except ServiceError:
        raise
    except (av.error.FFmpegError, ValueError, OSError, EOFError, IndexError, MemoryError):
        raise ServiceError(NOT_A_VIDEO) from None
    finally:
        upload.seek(0)
    return found


def _checked(container) -> Probe:
    content_type = CONTAINERS.get(container.format.name)
    if content_type is None or not container.streams.video:
        raise ServiceError(NOT_A_VIDEO)
    stream = container.streams.video[0]
    width, height = stream.codec_context.width, stream.codec_context.height
    if width * height > settings.VIDEO_MAX_PIXELS:  # before any frame is decoded
        raise _too_large_frames()
    if stream.codec_context.name not in VIDEO_CODECS or width < 2 or height < 2:
        raise ServiceError(NOT_A_VIDEO)
    audio = container.streams.audio
    if audio and audio[0].codec_context.name not in AUDIO_CODECS:
        raise ServiceError(_("That video's sound is in a format we can't read (use AAC, MP3 or Opus)."))
    duration = None
    if container.duration is not None and container.duration > 0:
        duration = container.duration / 1_000_000
    elif stream.duration and stream.time_base:
        duration = float(stream.duration * stream.time_base)
    if duration is not None and duration > settings.VIDEO_MAX_SECONDS + 0.5:
        raise ServiceError(too_long_message(), status=413)
    return Probe(content_type, stream.codec_context.name, width, height, duration)


def _first_frame(container) -> None:
    """Decode one frame: a file cut short or damaged past its header fails here, on the request."""
    stream = container.streams.video[0]
    for count, packet in enumerate(container.demux(stream)):
        if count > PROBE_MAX_PACKETS:
            break
        for _frame in packet.decode():
            return
    raise ServiceError(DAMAGED)


# --- the worker's half ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transcoded:
    video: Path
    poster: Path
    width: int
    height: int
    duration: float
    poster_width: int
    poster_height: int
    blurhash: str
    peak_rss_mb: int | None = None  # the child's memory high-water mark, for the benchmark and the logs


def time_limit(duration: float | None) -> float:
    """Twice the video's length and half a minute, never past VIDEO_TRANSCODE_MAX_SECONDS."""
    seconds = duration if duration is not None else settings.VIDEO_MAX_SECONDS
    return min(2 * seconds + 30, settings.VIDEO_TRANSCODE_MAX_SECONDS)


def transcode(source: Path, workdir: Path, *, kind: str, duration: float | None) -> Transcoded:
    """Run config/kernel/transcode.py on `source` in a child process; ServiceError if the file is at fault.

    The child's limits: wall time (`time_limit`), address space
    (VIDEO_TRANSCODE_MAX_MEMORY), CPU seconds. It answers one line of JSON.
    """
    job = {
        "source": str(source), "video": str(workdir / "video.mp4"), "poster": str(workdir / "poster.webp"),
        "kind": kind, "max_side": settings.VIDEO_MAX_SIDE, "max_seconds": settings.VIDEO_MAX_SECONDS,
        "max_memory": settings.VIDEO_TRANSCODE_MAX_MEMORY, "max_cpu": max(10, int(2 * time_limit(duration))),
    }  # fmt: skip
    script = Path(__file__).with_name("transcode.py")
    try:
        # A script, not `-m config.kernel.transcode`: the child imports no Django and no Celery.
        done = subprocess.run(  # noqa: S603 (our own script, arguments from our own settings)
            [sys.executable, "-I", str(script), json.dumps(job)],
            capture_output=True, timeout=time_limit(duration), check=False, env=_child_env(),
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        logger.warning("transcode of %s timed out after %ss", source.name, time_limit(duration))
        raise ServiceError(_("That video took too long to process. Try a shorter or simpler file.")) from None
    answer = _answer(done.stdout)
    if done.returncode != 0 or "error" in answer:
        logger.warning("transcode failed (%s): %s", done.returncode, done.stderr[-2000:].decode(errors="replace"))
        raise ServiceError(answer.get("error") or _("That video couldn't be processed. Try another file."))
    return Transcoded(
        video=Path(job["video"]), poster=Path(job["poster"]), width=answer["width"], height=answer["height"],
        duration=answer["duration"], poster_width=answer["poster_width"], poster_height=answer["poster_height"],
        blurhash=answer["blurhash"], peak_rss_mb=answer.get("peak_rss_mb"),
    )  # fmt: skip


def _answer(stdout: bytes) -> dict:
    lines = stdout.strip().splitlines()
    try:
        answer = json.loads(lines[-1]) if lines else {}
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _child_env() -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "HOME")
    return {key: os.environ[key] for key in keep if key in os.environ}


class Workdir:
    """A temporary folder for one transcode: the original copied in (streamed: storage may be S3) and the output."""

    def __init__(self):
        self.path = Path(tempfile.mkdtemp(prefix="chirp-video-"))

    def copy(self, original) -> Path:
        source = self.path / "original"
        original.seek(0)
        with source.open("wb") as write:
            shutil.copyfileobj(original, write, 1024 * 1024)
        return source

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
