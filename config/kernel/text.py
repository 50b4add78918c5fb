"""Tweet text: normalising, counting, and finding hashtags, mentions and links.

Length is counted in Unicode code points after NFC normalisation, so "é"
typed as e + combining accent counts once, and an emoji counts once per code
point (a family emoji joined by zero-width joiners counts each part).
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 280

# Characters that take no room on screen: a text of only these is empty.
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # keeps \t and \n

HASHTAG = re.compile(r"(?<![\w&#])#(\w{1,100})", re.UNICODE)
MENTION = re.compile(r"(?<![\w@])@([A-Za-z][A-Za-z0-9_]{0,14})(?![A-Za-z0-9_])")
URL = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'\""


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def length(text: str) -> int:
    return len(text)


def is_blank(text: str) -> bool:
    return not any(not ch.isspace() and ch not in INVISIBLE for ch in text)


def hashtag_key(tag: str) -> str:
    """One spelling per tag: compatibility-normalised and case-folded."""
    return unicodedata.normalize("NFKC", tag).casefold()


def _trim_url(url: str) -> str:
    # "(see https://x.org/a)." should link https://x.org/a, not the punctuation.
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def parse(text: str) -> list[dict]:
    """Entities in text order: {"type", "start", "end", ...}; offsets in code points."""
    entities: list[dict] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for match in URL.finditer(text):
        url = _trim_url(match.group(0))
        if len(url) > len("https://"):
            start, end = match.start(), match.start() + len(url)
            entities.append({"type": "url", "start": start, "end": end, "url": url})
            taken.append((start, end))
    for match in HASHTAG.finditer(text):
        tag = match.group(1)
        if tag.isdigit() or not free(match.start(), match.end()):
            continue  # "#1" is a number, not a tag
        entities.append({"type": "hashtag", "start": match.start(), "end": match.end(), "tag": hashtag_key(tag)})
    for match in MENTION.finditer(text):
        if free(match.start(), match.end()):
            entities.append({"type": "mention", "start": match.start(), "end": match.end(), "username": match.group(1)})
    return sorted(entities, key=lambda e: e["start"])
