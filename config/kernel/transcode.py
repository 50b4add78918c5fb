"""The transcode itself, run as a child process by config/kernel/videos.py (`python transcode.py '<job json>'`).

Stand-alone on purpose (no Django, no Celery): the child starts fast and
small, and whatever FFmpeg does to it stays in it. It first limits itself
(address space, CPU seconds), then reads the source frame by frame and
writes H.264 (libx264, yuv420p, CRF 23 with a maxrate cap) + AAC into an MP4
with `faststart` (the index first, so playback starts before the whole file
is fetched), at most `max_side` pixels on the long side, even dimensions. An
animated GIF (or WebP) becomes a silent MP4: Pillow decodes its frames (their
number and size already bounded by the request's probe). The poster is an
early frame as WebP, with its blurhash. One line of JSON on stdout says what
was made, or `{"error": ...}` (a reason for the file's author).
"""

from __future__ import annotations

import json
import resource
import sys
from fractions import Fraction

import av
import blurhash
from PIL import Image

POSTER_AT = 0.5  # seconds in: past a fade from black, still "the start"
MAXRATE = {"maxrate": "2500k", "bufsize": "5000k"}  # caps CRF on noisy footage (720p: ~2 Mb/s typical)
FALLBACK_RATE = Fraction(30)
MAX_DAMAGED_PACKETS = 10


class Refused(Exception):
    """A reason the file can't be used, for its author."""


def limit(max_memory: int, max_cpu: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    resource.setrlimit(resource.RLIMIT_CPU, (max_cpu, max_cpu + 5))


def fit(width: int, height: int, max_side: int) -> tuple[int, int]:
    """Scaled down to `max_side` on the long side (never up), both even (yuv420p needs it)."""
    scale = min(1.0, max_side / max(width, height))
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


class Output:
    def __init__(self, job: dict, width: int, height: int, rate: Fraction, audio: bool):
        self.container = av.open(job["video"], "w", format="mp4", options={"movflags": "+faststart"})
        self.video = self.container.add_stream("libx264", rate=rate)
        self.video.width, self.video.height, self.video.pix_fmt = width, height, "yuv420p"
        self.video.codec_context.time_base = Fraction(1, 90_000)
        self.video.thread_count = 2  # a bounded number of frames in flight: bounded memory
        self.video.options = {"crf": "23", "preset": "veryfast", "profile": "high", **MAXRATE}
        self.audio = None
        if audio:
            self.audio = self.container.add_stream("aac", rate=48_000)
            self.audio.layout = "stereo"
            self.audio.bit_rate = 128_000
        self.poster = None
        self.duration = 0.0
        self.last_pts = -1

    def add_frame(self, frame: av.VideoFrame, time: float) -> None:
        if self.poster is None or time <= POSTER_AT:
            self.poster = (frame.to_image(), time)
        # Strictly increasing, as the encoder requires, whatever the source's timestamps did.
        frame.pts = self.last_pts = max(round(time * 90_000), self.last_pts + 1)
        frame.time_base = Fraction(1, 90_000)
        self.duration = max(self.duration, time)
        for packet in self.video.encode(frame):
            self.container.mux(packet)

    def add_audio(self, frame: av.AudioFrame) -> None:
        frame.pts = None  # the encoder counts samples from zero; a gap in the source is not kept
        for packet in self.audio.encode(frame):
            self.container.mux(packet)

    def close(self) -> None:
        for packet in self.video.encode():
            self.container.mux(packet)
        if self.audio is not None:
            for packet in self.audio.encode():
                self.container.mux(packet)
        self.container.close()


def upright(frame: av.VideoFrame, size: tuple[int, int], rotation: int) -> av.VideoFrame:
    """Turned as the phone that filmed it said (the display matrix, counter-clockwise degrees), yuv420p,
    `size` once turned."""
    if rotation % 360 == 0:
        return frame.reformat(width=size[0], height=size[1], format="yuv420p")
    turn = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}
    turned_size = size if rotation % 180 == 0 else (size[1], size[0])
    picture = frame.reformat(width=turned_size[0], height=turned_size[1], format="rgb24").to_image()
    return av.VideoFrame.from_image(picture.transpose(turn[rotation % 360])).reformat(format="yuv420p")


def video(job: dict) -> Output:
    with av.open(job["source"]) as source:
        stream = source.streams.video[0]
        stream.thread_count = 2
        audio = source.streams.audio[0] if source.streams.audio else None
        rate = stream.average_rate or stream.guessed_rate or FALLBACK_RATE
        output = None
        start = None
        streams = [stream] + ([audio] if audio is not None else [])
        damaged = 0
        for packet in source.demux(*streams):
            try:
                frames = packet.decode()
            except av.error.InvalidDataError:  # a damaged packet: skipped, as a player would, up to a point
                damaged += 1
                if damaged > MAX_DAMAGED_PACKETS:
                    raise Refused("That video is damaged: too many of its frames can't be read.") from None
                continue
            for frame in frames:
                if frame.pts is None:
                    continue
                if packet.stream.type == "audio":
                    if output is not None and output.audio is not None:
                        output.add_audio(frame)
                    continue
                start = frame.time if start is None else start
                time = frame.time - start
                if time > job["max_seconds"] + 0.5:  # a container that didn't say how long it is
                    seconds = job["max_seconds"]
                    raise Refused(f"Videos can be at most {seconds // 60} min {seconds % 60} s long.")
                rotation = int(frame.rotation or 0) % 360
                if output is None:
                    turned = (frame.height, frame.width) if rotation % 180 else (frame.width, frame.height)
                    width, height = fit(*turned, job["max_side"])
                    output = Output(job, width, height, rate, audio is not None)
                output.add_frame(upright(frame, (output.video.width, output.video.height), rotation), time)
    if output is None:
        raise Refused("That video has no frames we can read.")
    output.duration += float(1 / rate)  # the last frame is shown for one frame's time
    output.close()
    return output


def gif(job: dict) -> Output:
    """An animation's frames (GIF, WebP) into a silent MP4; the player loops it."""
    with Image.open(job["source"]) as animation:
        size = fit(animation.width, animation.height, job["max_side"])
        output = Output(job, *size, FALLBACK_RATE, audio=False)
        time = 0.0
        for index in range(getattr(animation, "n_frames", 1)):
            animation.seek(index)
            picture = animation.convert("RGB").resize(size, Image.Resampling.LANCZOS)
            output.add_frame(av.VideoFrame.from_image(picture).reformat(format="yuv420p"), time)
            delay = animation.info.get("duration") or 100
            time += (delay if delay >= 20 else 100) / 1000  # as browsers play a 0 or 10 ms delay
        output.duration = time
    output.close()
    return output


def main(job: dict) -> dict:
    limit(job["max_memory"], job["max_cpu"])
    output = gif(job) if job["kind"] == "gif" else video(job)
    poster = output.poster[0]
    poster.save(job["poster"], format="WEBP", quality=80, method=4)
    small = poster.copy()
    small.thumbnail((64, 64))
    return {
        "width": output.video.width, "height": output.video.height, "duration": round(output.duration, 3),
        "poster_width": poster.width, "poster_height": poster.height,
        "blurhash": blurhash.encode(small, x_components=4, y_components=3),
        "peak_rss_mb": peak_rss_mb(),
    }  # fmt: skip


def peak_rss_mb() -> int | None:
    """This process's memory high-water mark (VmHWM). Not ru_maxrss: that carries the parent's over fork and exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return None


if __name__ == "__main__":
    try:
        answer = main(json.loads(sys.argv[1]))
    except Refused as refused:
        answer = {"error": str(refused)}
    except MemoryError:
        answer = {"error": "That video needs too much memory to process. Try a smaller file."}
    except (av.error.FFmpegError, OSError, ValueError, EOFError) as error:
        sys.stderr.write(f"{error!r}\n")
        answer = {"error": "That video couldn't be processed: its frames can't be read."}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.exit(1 if "error" in answer else 0)
