"""Link preview cards: the first http(s) link of a post gets a card from what the page says about itself.

One card per URL (normalised), shared by every post that links it: the first
post makes the fetch, the next ones find it done. A card older than
LINK_PREVIEW_REFRESH is fetched again when a new post (or the compose box)
asks for it; meanwhile it keeps showing. Fetching runs only in a worker
(tweets.tasks), through the kernel's guarded fetcher (config/kernel/fetch.py);
the card's image is fetched by the same guard and re-encoded to WebP by the
image pipeline, stored in public media (never hot-linked).

A URL the fetcher refuses or that fails is final for this round: the card is
`failed`, the post simply has no card, and nothing else about it changes.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from config.kernel import images, opengraph
from config.kernel.errors import ServiceError
from config.kernel.fetch import IMAGE_TYPES, FetchRefused, check_url, fetch
from config.kernel.tasks import after_commit, enqueue_on_commit
from tweets.models import LinkCard, Tweet

logger = logging.getLogger(__name__)

ATTACH_TASK = "tweets.tasks.attach_link_card"
REFRESH_TASK = "tweets.tasks.refresh_link_card"
IMAGE_BOX = (800, 800)  # the card's image is shown at most ~600 px wide: room for dense screens
LEASE = timedelta(seconds=60)  # a fetch takes at most twice the fetcher's timeout; a dead worker's claim lapses
REQUEST_EVERY = timedelta(seconds=60)  # the compose box polls: one queued fetch a minute per URL at most
BAD_URL = gettext_noop("That isn't a link we can preview: use an http or https address.")
# A card no post points at stays this long after it was last fetched or asked for: a compose box's
# preview makes the card before its post exists (a purged one is simply fetched again when posted).
UNUSED_KEPT = timedelta(days=7)
PURGE_BATCH = 500


# --- URLs -----------------------------------------------------------------------------


def first_link(entities) -> str | None:
    """The post's first http(s) link, as the text parser found it (config/kernel/text.py)."""
    for entity in sorted(entities or [], key=lambda e: e["start"]):
        if entity["type"] == "url":
            return entity["url"]
    return None


def normalise_url(url: str) -> str:
    """One spelling per page: scheme and host in lower case (IDNA), no default port, no fragment.

    ServiceError for what is not an http(s) URL at all.
    """
    url = (url or "").strip()
    try:
        check_url(url)
        parts = urlsplit(url)
        host = parts.hostname.rstrip(".").encode("idna").decode("ascii")
        port = parts.port
    except (FetchRefused, ValueError, UnicodeError):
        raise ServiceError(gettext(BAD_URL), field="url") from None
    scheme = parts.scheme.lower()
    if ":" in host:
        host = f"[{host}]"
    if port and port != (443 if scheme == "https" else 80):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


# --- reads ----------------------------------------------------------------------------


def shown(card: LinkCard | None) -> bool:
    """Whether a card has something to show (a failed or pending one shows nothing)."""
    return card is not None and card.state == LinkCard.State.OK and bool(card.title or card.description)


def cards_by_id(card_ids) -> dict[int, LinkCard]:
    """The showable cards among `card_ids`, in one query (a page's worth, from tweets.selectors.hydrate)."""
    if not card_ids:
        return {}
    return {card.pk: card for card in LinkCard.objects.filter(pk__in=card_ids, state=LinkCard.State.OK)}


def is_fresh(card: LinkCard) -> bool:
    return card.fetched_at is not None and card.fetched_at > timezone.now() - settings.LINK_PREVIEW_REFRESH


def card_for_url(url: str) -> LinkCard | None:
    return LinkCard.objects.filter(url_hash=url_hash(normalise_url(url))).first()


# --- writes ---------------------------------------------------------------------------


def _card(url: str) -> tuple[LinkCard, bool]:
    normal = normalise_url(url)
    return LinkCard.objects.get_or_create(url_hash=url_hash(normal), defaults={"url": normal})


def schedule_attach(tweet: Tweet) -> None:
    """After the post (or its edit) commits, fetch its first link's card in a worker and attach it."""
    if not settings.LINK_PREVIEWS or tweet.has_media:
        return  # a post's images stand for it, as on Twitter and Mastodon: no card beside them
    link = first_link(tweet.entities)
    if link is not None:
        enqueue_on_commit(ATTACH_TASK, tweet.pk, link)


def detach_if_changed(tweet: Tweet, entities_before) -> bool:
    """An edit: whether the first link changed (then the old card is taken off and a new one scheduled)."""
    if first_link(entities_before) == first_link(tweet.entities):
        return False
    if tweet.link_card_id is not None:
        Tweet.objects.filter(pk=tweet.pk).update(link_card=None)
        tweet.link_card_id = None
    schedule_attach(tweet)
    return True


def link_card_request(*, url: str) -> LinkCard | None:
    """The compose box's preview: the card for `url`, queuing a fetch when there is none yet or it is stale.

    None for what is not an http(s) URL (nothing to preview, nothing stored).
    Never fetches here (this runs on a request). A fetch is queued at most once
    per REQUEST_EVERY per URL, however often the box asks.
    """
    try:
        normal = normalise_url(url)
    except ServiceError:
        return None
    with transaction.atomic():
        card, created = _card(normal)
        due = created or (not is_fresh(card) and card.requested_at < timezone.now() - REQUEST_EVERY)
        if due and settings.LINK_PREVIEWS:
            if not created:
                card.requested_at = timezone.now()
                LinkCard.objects.filter(pk=card.pk).update(requested_at=card.requested_at)
            enqueue_on_commit(REFRESH_TASK, card.pk)
    return card


def link_card_attach(*, tweet_id: int, url: str) -> LinkCard | None:
    """The task's work: make sure the card of `url` is fetched (once, shared) and attach it to the post.

    Idempotent: a redelivered copy finds the card fetched and the post already
    pointing at it. A copy for a link the post no longer starts with (edited
    since) does nothing. Returns the card attached, or None.
    """
    tweet = Tweet.objects.filter(pk=tweet_id).only("id", "entities", "link_card_id").first()
    if tweet is None or first_link(tweet.entities) != url:
        return None
    try:
        card, _ = _card(url)
    except ServiceError:
        return None
    if card.state == LinkCard.State.PENDING or not is_fresh(card):
        card = link_card_refresh(card_id=card.pk)
    if not shown(card):
        return None
    # Only while the post still starts with this link (an edit may have landed during the fetch).
    Tweet.objects.filter(pk=tweet_id, entities=tweet.entities).exclude(link_card_id=card.pk).update(link_card=card)
    return card


class FetchInProgress(Exception):
    """Another worker is fetching this card right now: try again shortly (the task retries)."""


def _claim(card_id: int) -> bool:
    now = timezone.now()
    free = Q(fetching_since__isnull=True) | Q(fetching_since__lt=now - LEASE)
    return LinkCard.objects.filter(free, pk=card_id).update(fetching_since=now) == 1


def link_card_refresh(*, card_id: int) -> LinkCard:
    """Fetch the page (and its image) behind a card now, unless it is fresh; one worker at a time per card.

    A first fetch that fails leaves the card `failed`; a refetch that fails keeps
    what the card had (a site down for an hour shouldn't blank its cards), and
    either way the card counts as fetched now, so it isn't tried again for a day.
    Raises FetchInProgress while another worker holds the card.
    """
    card = LinkCard.objects.get(pk=card_id)
    if card.state != LinkCard.State.PENDING and is_fresh(card):
        return card
    if not _claim(card_id):
        raise FetchInProgress(card_id)
    old_image = card.image.name if card.image else ""
    try:
        info = _page_info(card.url)
        image = _image(info.image_url) if info is not None and info.image_url else None
    finally:
        LinkCard.objects.filter(pk=card_id).update(fetching_since=None)
    card.fetched_at, card.fetching_since = timezone.now(), None
    fields = ["fetched_at", "fetching_since"]
    if info is not None:
        card.state = LinkCard.State.OK
        card.title, card.description, card.site_name = info.title, info.description, info.site_name
        card.image_width, card.image_height = (image[1], image[2]) if image else (None, None)
        if image:
            card.image.save("card.webp", image[0], save=False)
        else:
            card.image = ""
        fields += ["state", "title", "description", "site_name", "image", "image_width", "image_height"]
    elif card.state == LinkCard.State.PENDING:
        card.state = LinkCard.State.FAILED
        fields.append("state")
    card.save(update_fields=fields)
    if info is not None and old_image and old_image != card.image.name:
        card.image.storage.delete(old_image)
    return card


def _page_info(url: str) -> opengraph.PageInfo | None:
    """The page's metadata, or None when it can't be fetched or says nothing a card can show."""
    try:
        page = fetch(url)
    except FetchRefused as refused:
        logger.info("link card for %s not fetched: %s", url[:200], refused)
        return None
    info = opengraph.parse(opengraph.decode(page.body, page.charset), page.url)
    if info.oembed_url and (not info.title or not info.image_url):
        info = _with_oembed(info)
    return None if info.is_empty else info


def _with_oembed(info: opengraph.PageInfo) -> opengraph.PageInfo:
    """Fill what the page left out from its oEmbed answer (fetched through the same guard)."""
    try:
        answer = fetch(info.oembed_url, types=("application/json",), max_bytes=64 * 1024)
        extra = opengraph.from_oembed(json.loads(answer.body), answer.url)
    except (FetchRefused, ValueError):
        return info
    return opengraph.PageInfo(
        title=info.title or extra["title"],
        description=info.description,
        site_name=info.site_name or extra["site_name"],
        image_url=info.image_url or extra["image_url"],
        oembed_url=info.oembed_url,
    )


def _image(url: str):
    """The card's image as (WebP file, width, height), or None: fetched by the guard, checked and re-encoded."""
    try:
        found = fetch(url, types=IMAGE_TYPES, max_bytes=settings.LINK_PREVIEW_IMAGE_MAX_BYTES)
        source = io.BytesIO(found.body)
        images.probe(source, max_bytes=settings.LINK_PREVIEW_IMAGE_MAX_BYTES)  # bounds the decoding first
        source.seek(0)
        return images.thumbnail_webp(source, IMAGE_BOX)
    except (FetchRefused, ServiceError, OSError, ValueError, SyntaxError, EOFError) as error:
        logger.info("link card image %s not used: %s", url[:200], error)
        return None


# --- clean-up -------------------------------------------------------------------------


def purge_unused(*, now=None, batch_size: int = PURGE_BATCH) -> int:
    """Delete up to `batch_size` cards no post points at, untouched for UNUSED_KEPT; their images after commit.

    Untouched: not fetched, not asked for by a compose box (`requested_at`), not being
    fetched now (a live lease). Rows another transaction holds are skipped (SKIP LOCKED).
    Returns how many went.
    """
    now = now or timezone.now()
    cutoff = now - UNUSED_KEPT
    with transaction.atomic():
        # FOR UPDATE: an attach (which locks the card FOR KEY SHARE) waits for this, or is skipped.
        cards = list(
            LinkCard.objects.select_for_update(skip_locked=True)
            .filter(Q(fetched_at__lt=cutoff) | Q(fetched_at__isnull=True), requested_at__lt=cutoff)
            .filter(Q(fetching_since__isnull=True) | Q(fetching_since__lt=now - LEASE))
            .exclude(Exists(Tweet.objects.filter(link_card=OuterRef("pk"))))
            .only("id", "image")[:batch_size]
        )
        if cards:
            LinkCard.objects.filter(pk__in=[card.pk for card in cards]).delete()
            after_commit(_delete_images, [card.image.name for card in cards if card.image])
    return len(cards)


def _delete_images(names: list[str]) -> None:
    storage = LinkCard._meta.get_field("image").storage
    for name in names:
        storage.delete(name)
