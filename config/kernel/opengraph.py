"""What a page says about itself: OpenGraph, Twitter card tags, then <title> and the meta description.

The stdlib's HTML parser on the page's <meta>, <link> and <title> tags, picked
out of a body the fetcher already bounded (1 MB); no markup is kept, only
text, cleaned of NUL and control characters and cut to what a card shows.
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

TITLE_LENGTH = 200
DESCRIPTION_LENGTH = 300
SITE_LENGTH = 100
_SPACE = re.compile(r"\s+")

# The first key present wins: OpenGraph, then Twitter's card tags, then plain HTML.
TITLE_KEYS = ("og:title", "twitter:title", "<title>")
DESCRIPTION_KEYS = ("og:description", "twitter:description", "description")
IMAGE_KEYS = ("og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src")
SITE_KEYS = ("og:site_name", "application-name")


@dataclass(frozen=True)
class PageInfo:
    title: str
    description: str
    site_name: str
    image_url: str  # absolute http(s), or empty
    oembed_url: str  # the page's oEmbed discovery link (JSON), or empty

    @property
    def is_empty(self) -> bool:
        return not (self.title or self.description)


def clean(value: str, limit: int) -> str:
    """Text without control characters (NUL included), on one line, at most `limit` characters."""
    value = _SPACE.sub(" ", value)  # line breaks and tabs become spaces first
    # Control and format characters (NUL, bidi overrides), lone surrogates, private use: dropped.
    value = "".join(c for c in value if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co")).strip()
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


class _MetaParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}
        self.oembed = ""

    def handle_starttag(self, tag, attrs):
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").strip().lower()
            content = values.get("content", "")
            if key and content and key not in self.found:
                self.found[key] = content[:5000]
        elif tag == "link" and not self.oembed:
            rel = values.get("rel", "").lower().split()
            if "alternate" in rel and values.get("type", "").lower() == "application/json+oembed":
                self.oembed = values.get("href", "")


def _first(found: dict[str, str], keys) -> str:
    return next((found[k] for k in keys if found.get(k, "").strip()), "")


def _absolute(base: str, link: str) -> str:
    if not link.strip():
        return ""
    url = urljoin(base, link.strip())
    return url if urlsplit(url).scheme in ("http", "https") and len(url) <= 2048 else ""


def decode(body: bytes, charset: str | None) -> str:
    """The page as text: the declared charset (header, else <meta charset>), else UTF-8; bad bytes replaced."""
    if not charset:
        head = body[:2048].decode("ascii", "replace").lower()
        match = re.search(r"charset=[\"']?([a-z0-9_\-]+)", head)
        charset = match.group(1) if match else None
    try:
        return body.decode(charset or "utf-8", "replace")
    except LookupError:  # a charset Python doesn't know
        return body.decode("utf-8", "replace")


# The only markup a card reads, picked out first with bounded patterns: each stops at the next
# "<" or ">", so one pass over the page is linear. The stdlib parser then reads just these few
# tags; fed a whole hostile page ("<a" 500,000 times) it takes minutes (it rescans the unfinished
# tag over and over).
_TAGS = re.compile(r"<(?:meta|link)\b[^<>]{0,4000}>", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^<>]{0,200}>([^<]{0,2000})", re.IGNORECASE)


def parse(html: str, base_url: str) -> PageInfo:
    parser = _MetaParser()
    try:
        parser.feed("".join(match.group(0) for match in _TAGS.finditer(html)))
        parser.close()
    except (AssertionError, ValueError):  # the parser's own complaints about broken markup: keep what it read
        pass
    found = parser.found
    if title := _TITLE.search(html):
        found.setdefault("<title>", htmllib.unescape(title.group(1)))
    return PageInfo(
        title=clean(_first(found, TITLE_KEYS), TITLE_LENGTH),
        description=clean(_first(found, DESCRIPTION_KEYS), DESCRIPTION_LENGTH),
        site_name=clean(_first(found, SITE_KEYS), SITE_LENGTH),
        image_url=_absolute(base_url, _first(found, IMAGE_KEYS)),
        oembed_url=_absolute(base_url, parser.oembed),
    )


def from_oembed(data: dict, base_url: str) -> dict:
    """The fields of an oEmbed answer a card can use (title, site, thumbnail), cleaned."""
    if not isinstance(data, dict):
        return {}
    text = {k: v for k, v in data.items() if isinstance(v, str)}
    return {
        "title": clean(text.get("title", ""), TITLE_LENGTH),
        "site_name": clean(text.get("provider_name", ""), SITE_LENGTH),
        "image_url": _absolute(base_url, text.get("thumbnail_url", "")),
    }
