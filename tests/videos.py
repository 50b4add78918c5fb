"""Video files for tests, made in memory with PyAV (FFmpeg in its wheel): real clips, and hostile ones."""

import io
import math
import struct
import tempfile
from fractions import Fraction
from pathlib import Path

import av
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

MP4 = "video/mp4"


def clip(
    seconds: float = 1.2, size=(320, 240), fmt: str = "mp4", fps: int = 25, audio: bool = True, faststart=False
) -> bytes:
    """A moving square over a changing colour, with a tone (H.264/AAC; VP8/Opus for WebM)."""
    if faststart:  # the muxer rewrites the file to move the index first: it needs a real file
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "clip.mp4"
            _write(str(path), seconds, size, fmt, fps, audio, {"movflags": "+faststart"})
            return path.read_bytes()
    buffer = io.BytesIO()
    _write(buffer, seconds, size, fmt, fps, audio, {})
    return buffer.getvalue()


def _write(target, seconds, size, fmt, fps, audio, options) -> None:
    with av.open(target, "w", format=fmt, options=options) as out:
        video = out.add_stream("libvpx" if fmt == "webm" else "libx264", rate=fps)
        video.width, video.height, video.pix_fmt = *size, "yuv420p"
        sound = out.add_stream("libopus" if fmt == "webm" else "aac", rate=48_000) if audio else None
        width, height = size
        for index in range(round(seconds * fps)):
            picture = Image.new("RGB", size, ((index * 9) % 255, 90, 160))
            x = (index * 7) % max(1, width - height // 4)
            ImageDraw.Draw(picture).rectangle(
                [x, height // 3, x + height // 4, height // 3 + height // 4], fill="white"
            )
            for packet in video.encode(av.VideoFrame.from_image(picture)):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        if sound is not None:
            _tone(out, sound, seconds)


def _tone(out, sound, seconds: float) -> None:
    step, total, start = 960, int(seconds * 48_000), 0
    while start < total:
        frame = av.AudioFrame(format="s16", layout="mono", samples=step)
        frame.planes[0].update(
            b"".join(struct.pack("<h", int(3000 * math.sin(k / 10))) for k in range(start, start + step))
        )
        frame.sample_rate, frame.pts = 48_000, start
        for packet in sound.encode(frame):
            out.mux(packet)
        start += step
    for packet in sound.encode():
        out.mux(packet)


def filmed_upright(rotation: int = -90) -> bytes:
    """A phone's portrait video: 320x240 frames (left half white) and a display matrix saying to turn them."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=10)
        video.width, video.height, video.pix_fmt = 320, 240, "yuv420p"
        video.set_display_rotation(rotation)  # counter-clockwise degrees: -90 is the phone's "rotate 90"
        picture = Image.new("RGB", (320, 240), "black")
        picture.paste((255, 255, 255), (0, 0, 160, 240))
        for _ in range(5):
            for packet in video.encode(av.VideoFrame.from_image(picture)):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
    return buffer.getvalue()


def long_clip(seconds: int = 180) -> bytes:
    """A real 3-minute video, quick to make: 16x16 pixels, one frame a second, no sound."""
    return clip(seconds=seconds, size=(16, 16), fps=1, audio=False)


def huge_frames(side: int = 10_000) -> bytes:
    """A MOV whose (Motion JPEG) frames say they are side x side: the header says so, no pixels are made.

    A 16x16 JPEG with its frame header (SOF0) rewritten to the big size,
    muxed twice; both the container and the frames declare 10,000x10,000.
    """
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (9, 9, 9)).save(buffer, format="JPEG")
    jpeg = bytearray(buffer.getvalue())
    at = jpeg.index(b"\xff\xc0")
    jpeg[at + 5 : at + 9] = side.to_bytes(2, "big") + side.to_bytes(2, "big")
    output = io.BytesIO()
    with av.open(output, "w", format="mov") as out:
        stream = out.add_stream("mjpeg", rate=1)
        stream.width = stream.height = side
        stream.pix_fmt = "yuvj420p"
        for index in range(2):
            packet = av.Packet(bytes(jpeg))
            packet.stream, packet.pts, packet.dts, packet.duration = stream, index, index, 1
            packet.time_base = Fraction(1, 1)
            out.mux(packet)
    return output.getvalue()


def truncated() -> bytes:
    """The first half of an MP4 (the index is at the end, as cameras write it): cut off mid-upload."""
    whole = clip(seconds=1.2)
    return whole[: len(whole) // 2]


def damaged_after_the_start() -> bytes:
    """A faststart MP4 whose first frames are fine and the rest is noise: passes the probe, fails the transcode."""
    whole = bytearray(clip(seconds=2, faststart=True, audio=False))
    start = len(whole) * 3 // 5
    noise = bytes((index * 131 + 7) % 251 for index in range(len(whole) - start))
    whole[start:] = noise
    return bytes(whole)


def upload(name: str, content: bytes, content_type: str = MP4) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
