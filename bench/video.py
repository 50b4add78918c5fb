"""Video transcoding (issue 19): the time to transcode a 720p clip and the peak memory of doing it.

    python -m bench.video [--seconds 30]

Makes a 1280x720, 30 fps H.264/AAC clip with PyAV (moving shapes over noise,
so the encoder has real work), then transcodes it exactly as the `media`
worker does (config/kernel/videos.py `transcode`: the child process with its
limits, H.264/AAC faststart at most 1280 px, the poster and its blurhash),
in a fresh process so the figures are this transcode's alone. Peak RSS is
the kernel's high-water mark (VmHWM): of the process that plays the worker (Django
loaded, as a Celery worker has it) and of the transcode child it waits for.
The target is the two together under 500 MB for a 100 MB upload; memory
follows the frame size, not the file's length or size, since both sides go
frame by frame. `make bench` uses a 30 s clip; `make bench-small` (CI) a
6 s one, to stay within a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1280, 720)
FPS = 30


def make_clip(path: Path, seconds: int) -> None:
    """A 720p clip with sound: a few moving squares over a grainy background (about 5 Mb/s, as phones film)."""
    import av
    from PIL import Image, ImageDraw

    rng = random.Random(19)
    grain = [Image.effect_noise(SIZE, 14).convert("RGB") for _ in range(4)]
    with av.open(str(path), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = *SIZE, "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "28"}
        sound = out.add_stream("aac", rate=48_000)
        boxes = [(rng.randrange(1200), rng.randrange(640), rng.choice([-9, -5, 5, 9])) for _ in range(6)]
        for index in range(seconds * FPS):
            picture = grain[index % len(grain)].copy()
            draw = ImageDraw.Draw(picture)
            for x, y, speed in boxes:
                left = (x + speed * index) % (SIZE[0] - 80)
                draw.rectangle([left, y, left + 80, y + 80], fill=((x + index) % 255, 120, (y * 3) % 255))
            for packet in video.encode(av.VideoFrame.from_image(picture)):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        silence = seconds * 48_000
        for start in range(0, silence, 1024):
            frame = av.AudioFrame(format="s16", layout="stereo", samples=1024)
            frame.planes[0].update(bytes(4096))
            frame.sample_rate, frame.pts = 48_000, start
            for packet in sound.encode(frame):
                out.mux(packet)
        for packet in sound.encode():
            out.mux(packet)


def transcode(path: Path) -> dict:
    """In this process (started fresh by `measure`): the worker's transcode of `path`, timed."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from config.kernel import videos
    from config.kernel.transcode import peak_rss_mb

    class Upload:
        def __init__(self, path):
            self.handle = open(path, "rb")  # noqa: SIM115 (closed below)
            self.size = path.stat().st_size

        def temporary_file_path(self):
            return str(path)

        def seek(self, *args):
            return self.handle.seek(*args)

        def read(self, *args):
            return self.handle.read(*args)

    upload = Upload(path)
    probed = videos.probe(upload)  # what the request does first
    upload.handle.close()
    workdir = Path(tempfile.mkdtemp(prefix="chirp-bench-video-"))
    start = time.perf_counter()
    made = videos.transcode(path, workdir, kind="video", duration=probed.duration)
    seconds = time.perf_counter() - start
    result = {
        "source_mb": round(path.stat().st_size / 1e6, 1), "duration_s": made.duration,
        "output_mb": round(made.video.stat().st_size / 1e6, 1), "size": [made.width, made.height],
        "transcode_s": round(seconds, 2), "realtime_x": round(made.duration / seconds, 2),
        "peak_rss_mb": {
            # VmHWM of each process: ru_maxrss would carry over the high-water mark of the process that
            # forked it (under `make bench`, the runner's gigabyte, not this transcode's).
            "worker": peak_rss_mb(),
            "transcode_child": made.peak_rss_mb,
        },
    }  # fmt: skip
    result["peak_rss_mb"]["total"] = sum(result["peak_rss_mb"].values())
    for made_file in workdir.iterdir():
        made_file.unlink()
    workdir.rmdir()
    return result


def measure(seconds: int, work_dir: Path) -> dict:
    """Make the clip, then transcode it in a fresh process; the figures of that process."""
    clip = work_dir / f"clip-{seconds}s-720p.mp4"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bench.video", "--make", str(clip), "--seconds", str(seconds)],
                   cwd=ROOT, check=True)  # fmt: skip
    made_in = time.perf_counter() - started
    done = subprocess.run([sys.executable, "-m", "bench.video", "--transcode", str(clip)],
                          cwd=ROOT, check=True, capture_output=True, text=True)  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["clip_made_in_s"] = round(made_in, 1)
    clip.unlink(missing_ok=True)
    return result


def line(row: dict) -> str:
    rss = row["peak_rss_mb"]
    return (
        f"- Video: a {row['duration_s']:g} s 1280x720 clip ({row['source_mb']} MB) transcoded in "
        f"{row['transcode_s']} s ({row['realtime_x']}x real time) to {row['output_mb']} MB; peak RSS "
        f"{rss['worker']} MB (the worker's process) + {rss['transcode_child']} MB (the transcode child) "
        f"= {rss['total']} MB (target: under 500 MB for a 100 MB upload)"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--make", type=Path, help="only write the clip here")
    parser.add_argument("--transcode", type=Path, help="only transcode this clip (prints JSON)")
    args = parser.parse_args(argv)
    if args.make:
        make_clip(args.make, args.seconds)
    elif args.transcode:
        sys.stdout.write(json.dumps(transcode(args.transcode)) + "\n")
    else:
        with tempfile.TemporaryDirectory() as folder:
            row = measure(args.seconds, Path(folder))
        sys.stdout.write(json.dumps(row, indent=1) + "\n" + line(row) + "\n")


if __name__ == "__main__":
    main()
