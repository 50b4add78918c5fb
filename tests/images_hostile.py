"""Hostile image files, made in memory: decoding bombs, huge frames, metadata that must not survive."""

import io

from PIL import Image, PngImagePlugin


def animated_gif(size=(64, 48), frames=3, comment: bytes = b"", transparency: int | None = None) -> bytes:
    """Frames that really differ (so Pillow keeps them all), with an optional GIF comment."""
    pictures = []
    for index in range(frames):
        frame = Image.new("P", size, 0)
        frame.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255] * 64)
        frame.paste(1 + index % 3, (index % size[0], 0, index % size[0] + 1, size[1]))
        pictures.append(frame)
    extra = {"comment": comment} if comment else {}
    if transparency is not None:
        extra["transparency"] = transparency
    buffer = io.BytesIO()
    pictures[0].save(buffer, format="GIF", save_all=True, append_images=pictures[1:], duration=80, loop=0, **extra)
    return buffer.getvalue()


def gif_bomb() -> bytes:
    """The attack of issue 15: 2000x2000, 120 frames, 471 KB on disk, seconds of CPU to decode."""
    pictures = [Image.new("P", (2000, 2000), index % 255) for index in range(120)]
    for index, picture in enumerate(pictures):
        picture.putpixel((index, index), (index + 1) % 255)  # every frame differs
    buffer = io.BytesIO()
    pictures[0].save(buffer, format="GIF", save_all=True, append_images=pictures[1:], duration=50, loop=0)
    return buffer.getvalue()


def jpeg_with_comment(comment: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(buffer, format="JPEG", comment=comment)
    return buffer.getvalue()


def png_with_text(key: str, value: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text(key, value)
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{value}</x:xmpmeta>")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def webp_with_xmp(value: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (9, 9, 9)).save(buffer, format="WEBP", xmp=f"<x:xmpmeta>{value}</x:xmpmeta>".encode())
    return buffer.getvalue()


def truncated_png() -> bytes:
    """A valid header and the start of the pixels, then nothing: passes a probe, fails to decode."""
    buffer = io.BytesIO()
    Image.effect_noise((256, 256), 64).convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()[:2000]
