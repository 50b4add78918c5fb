import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from config.kernel import ids
from config.kernel.media import ProcessedMedia


class Tweet(models.Model):
    """A post, a reply, a quote (text + quote_of) or a retweet (retweet_of, no text).

    Retweets are rows of their own so a home timeline can hold "B retweeted
    this at 10:02" as one entry with its own time-ordered id.
    """

    id = models.BigIntegerField(primary_key=True, default=ids.new_id, editable=False)
    # Foreign keys led by a composite index below skip Django's own single-column one.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tweets", db_index=False
    )
    text = models.CharField(max_length=280, blank=True)
    # Hashtags, mentions and links found at save time, with code-point offsets.
    entities = models.JSONField(default=list, blank=True)
    # No database constraint: a reply or quote outlives its parent, and then
    # shows "This post was deleted" instead of vanishing.
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="replies",
    )
    conversation_id = models.BigIntegerField(null=True, blank=True)  # the root of the thread
    quote_of = models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="quotes",
    )
    retweet_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="retweets", db_index=False
    )
    has_media = models.BooleanField(default=False)
    # Shown folded behind this line until the reader opens it (empty: no warning).
    content_warning = models.CharField(max_length=100, blank=True, default="")
    # The post's images are blurred until clicked (unless the reader always shows them).
    sensitive = models.BooleanField(default=False)
    has_poll = models.BooleanField(default=False)  # so a page without polls asks nothing about them
    like_count = models.PositiveIntegerField(default=0)
    retweet_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    quote_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # PostgreSQL also holds `search_vector`, a generated tsvector column that
    # Django never writes (search/migrations/0001_search_indexes.py).
    # False until fan-out has written it to followers' timelines; a periodic task

    # retries what Redis missed (an outbox kept in the row).
    fanned_out = models.BooleanField(default=False)
    # The preview card of the post's first link, set by a task once it was fetched (tweets/link_cards.py).
    link_card = models.ForeignKey(
        "LinkCard", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="mentioned_in", blank=True)
    hashtags = models.ManyToManyField("Hashtag", through="TweetHashtag", related_name="tweets", blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["author", "-id"], name="tweet_author_id"),
            models.Index(fields=["author", "-id"], name="tweet_author_replies", condition=Q(reply_to__isnull=False)),
            models.Index(fields=["author", "-id"], name="tweet_author_media", condition=Q(has_media=True)),
            models.Index(fields=["reply_to", "id"], name="tweet_replies"),
            # "Show this thread": did the author reply to this post? One probe, no heap fetch per reply.
            models.Index(fields=["reply_to", "author"], name="tweet_self_replies"),
            models.Index(fields=["conversation_id", "id"], name="tweet_conversation"),
            models.Index(fields=["retweet_of", "-id"], name="tweet_retweets"),
            models.Index(fields=["quote_of", "-id"], name="tweet_quotes"),
            models.Index(fields=["id"], name="tweet_fanout_pending", condition=Q(fanned_out=False)),
            # The purge of unused link cards asks, per card, whether any post still points at it.
            models.Index(fields=["link_card"], name="tweet_link_card", condition=Q(link_card__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "retweet_of"], condition=Q(retweet_of__isnull=False), name="one_retweet_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_id}:{self.pk}"

    @property
    def is_retweet(self) -> bool:
        return self.retweet_of_id is not None

    @property
    def is_editable_until(self):
        return self.created_at + settings.TWEET_EDIT_WINDOW


class Hashtag(models.Model):
    name = models.CharField(max_length=100, unique=True)  # NFKC, case-folded
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#{self.name}"


class TweetHashtag(models.Model):
    tweet = models.ForeignKey(Tweet, on_delete=models.CASCADE, db_index=False)  # led by the unique pair
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, db_index=False)  # led by hashtag_tweets

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tweet", "hashtag"], name="tweet_hashtag_unique")]
        indexes = [models.Index(fields=["hashtag", "-tweet"], name="hashtag_tweets")]

    def __str__(self) -> str:
        return f"{self.tweet_id}#{self.hashtag_id}"


class TweetEdit(models.Model):
    """An earlier version of an edited tweet."""

    tweet = models.ForeignKey(Tweet, on_delete=models.CASCADE, related_name="edits", db_index=False)
    text = models.CharField(max_length=280, blank=True)
    entities = models.JSONField(default=list, blank=True)
    # The version's images, in order (Media ids; those taken off since keep `edited_out_of`).
    # Null for versions saved before images were kept: they showed the images the post has now.
    media_ids = models.JSONField(null=True, blank=True)
    # The version's poll choices ([]: no poll); null for versions saved before polls could change.
    poll_choices = models.JSONField(null=True, blank=True)
    written_at = models.DateTimeField()  # when this version was posted or last edited
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at"]
        indexes = [models.Index(fields=["tweet", "-replaced_at"], name="tweet_edit_history")]

    def __str__(self) -> str:
        return f"{self.tweet_id} until {self.replaced_at:%Y-%m-%d %H:%M}"


def link_card_image_path(instance, filename: str) -> str:
    return f"cards/{instance.url_hash[:2]}/{uuid.uuid4().hex}.webp"


class LinkCard(models.Model):
    """What a linked page says about itself, fetched once per URL and shared by every post linking it.

    `state` is pending until the first fetch ends, then ok or failed; a refetch
    (after LINK_PREVIEW_REFRESH) leaves it as it is meanwhile, so cards keep showing.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        OK = "ok", "OK"
        FAILED = "failed", "Failed"

    url_hash = models.CharField(max_length=64, unique=True)  # sha256 of `url`: URLs are too long to index
    url = models.TextField()  # normalised (tweets/link_cards.py normalise_url)
    state = models.CharField(max_length=7, choices=State.choices, default=State.PENDING)
    title = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=300, blank=True)
    site_name = models.CharField(max_length=100, blank=True)
    image = models.FileField(upload_to=link_card_image_path, blank=True)  # re-encoded WebP, public media
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    # A worker's claim on the fetch (a lease): others wait rather than fetch the same page too.
    fetching_since = models.DateTimeField(null=True, blank=True)
    # When a fetch was last queued, so a polling compose box queues one a minute at most.
    requested_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The purge's sweep (tweets/link_cards.py purge_unused): the cards fetched longest ago first.
        indexes = [models.Index(fields=["fetched_at"], name="link_card_fetched")]

    def __str__(self) -> str:
        return f"card {self.pk} ({self.state}) {self.url[:80]}"

    @property
    def host(self) -> str:
        """The site's name as the card shows it when the page gave none."""
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")


class Like(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes", db_index=False)
    tweet = models.ForeignKey(Tweet, on_delete=models.CASCADE, related_name="likes", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tweet"], name="one_like_per_user")]
        indexes = [
            models.Index(fields=["tweet", "-id"], name="like_tweet"),
            models.Index(fields=["user", "-id"], name="like_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.tweet_id}"


def media_path(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"uploads/{instance.owner_id}/{uuid.uuid4().hex}.{extension}"


def thumbnail_path(instance, filename: str) -> str:
    return f"thumbs/{instance.owner_id}/{uuid.uuid4().hex}.webp"


class Media(ProcessedMedia):
    """An uploaded image or video: processed in a worker (config/kernel/media.py), kept until attached to a tweet."""

    id = models.BigIntegerField(primary_key=True, default=ids.new_id, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads")
    tweet = models.ForeignKey(
        Tweet, on_delete=models.CASCADE, null=True, blank=True, related_name="media", db_index=False
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Taken off this post by an edit: kept (not an unattached upload to purge) for the post's edit
    # history, and deleted with the post.
    edited_out_of = models.ForeignKey(
        Tweet, on_delete=models.CASCADE, null=True, blank=True, related_name="edited_out_media", db_index=False
    )
    file = models.FileField(upload_to=media_path, blank=True)  # empty until processed
    thumbnail = models.FileField(upload_to=thumbnail_path, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        indexes = [
            models.Index(fields=["tweet", "position"], name="media_tweet"),
            models.Index(fields=["edited_out_of"], name="media_edited_out", condition=Q(edited_out_of__isnull=False)),
            models.Index(fields=["created_at"], name="media_unattached", condition=Q(tweet__isnull=True)),
            # The few uploads still being processed (config.kernel.media_tasks.process_pending_images).
            models.Index(fields=["created_at"], name="media_processing", condition=Q(state="processing")),
        ]
        verbose_name_plural = "media"

    def __str__(self) -> str:
        return f"media {self.pk}"


class Bookmark(models.Model):
    """A post saved by one person for later: private to that person (no counts, no notifications)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks", db_index=False
    )
    tweet = models.ForeignKey(Tweet, on_delete=models.CASCADE, related_name="bookmarks", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tweet"], name="one_bookmark_per_user")]
        indexes = [
            # The owner's list, newest bookmark first; the id is the cursor (ids grow with time).
            models.Index(fields=["user", "-id"], name="bookmark_user"),
            models.Index(fields=["tweet"], name="bookmark_tweet"),  # the cascade when a post is deleted
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.tweet_id}"


# --- polls ---------------------------------------------------------------------------
# The rules and the reads are in tweets/polls.py, voting and closing in tweets/poll_votes.py.


class Poll(models.Model):
    """A post's poll: 2-4 choices, open until `closes_at`; `notified_at` once its end was announced.

    `multiple`: a ballot may pick several choices. `votes_count` counts picks,
    `voters_count` ballots (people); they are equal for a single-choice poll.
    """

    tweet = models.OneToOneField(Tweet, on_delete=models.CASCADE, related_name="poll")
    closes_at = models.DateTimeField()
    multiple = models.BooleanField(default=False)
    votes_count = models.PositiveIntegerField(default=0)
    voters_count = models.PositiveIntegerField(default=0)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The sweep's question: which polls have ended without their notification?
        indexes = [models.Index(fields=["closes_at"], name="poll_unannounced", condition=Q(notified_at__isnull=True))]

    def __str__(self) -> str:
        return f"poll of {self.tweet_id}"


class PollChoice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices", db_index=False)
    position = models.PositiveSmallIntegerField()  # 1..4, as the API names a choice
    text = models.CharField(max_length=25)
    votes_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["poll", "position"], name="poll_choice_position")]

    def __str__(self) -> str:
        return f"{self.poll_id}#{self.position}"


class PollVote(models.Model):
    """One row per choice picked; one ballot per person per poll, final.

    The ballot is the row with `ballot` true (the first choice written): the
    partial unique (poll, user) on those rows is what makes a second, concurrent
    ballot lose, whatever choices it names (tweets/poll_votes.py). The other
    rows of a multiple-choice ballot carry `ballot` false.
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes")
    choice = models.ForeignKey(PollChoice, on_delete=models.CASCADE, related_name="votes")
    ballot = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user", "choice"], name="one_vote_per_choice"),
            models.UniqueConstraint(fields=["poll", "user"], condition=Q(ballot=True), name="one_ballot_per_poll"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} voted in {self.poll_id}"


class Draft(models.Model):
    """A post saved for later: a plain draft (`scheduled_at` null) or a scheduled post.

    Published through tweets.draft_services.draft_publish (the one place that
    turns a draft into `tweet_create` arguments). The row stays once published,
    with `published_tweet` set, so a second publish run sees it is done.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"

    id = models.BigIntegerField(primary_key=True, default=ids.new_id, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts", db_index=False
    )
    text = models.CharField(max_length=280, blank=True)
    # Checked again when published: the post may be gone by then.
    reply_to_id = models.BigIntegerField(null=True, blank=True)
    quote_of_id = models.BigIntegerField(null=True, blank=True)
    content_warning = models.CharField(max_length=100, blank=True)
    sensitive = models.BooleanField(default=False)
    poll_choices = models.JSONField(default=list, blank=True)  # 2-4 strings, or empty: no poll
    poll_duration = models.DurationField(null=True, blank=True)
    poll_multiple = models.BooleanField(default=False)  # a multiple-choice poll (tweet_create's poll_multiple)
    # False: the author removed the link preview; the post goes out without a card (tweet_create's link_card).
    link_card = models.BooleanField(default=True, db_default=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")  # the author's zone, to show the time in
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    published_tweet = models.ForeignKey(
        Tweet, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The beat task's sweep: only the few waiting scheduled posts are in it.
            models.Index(
                fields=["scheduled_at"], name="draft_due", condition=Q(status="pending", scheduled_at__isnull=False)
            ),
            models.Index(
                fields=["author", "-id"],
                name="draft_author_drafts",
                condition=Q(scheduled_at__isnull=True) & ~Q(status="published"),
            ),
            models.Index(
                fields=["author", "scheduled_at", "id"],
                name="draft_author_scheduled",
                condition=Q(scheduled_at__isnull=False) & ~Q(status="published"),
            ),
        ]

    def __str__(self) -> str:
        return f"draft {self.pk} by {self.author_id}"

    @property
    def is_scheduled(self) -> bool:
        return self.scheduled_at is not None


class DraftMedia(models.Model):
    """An upload kept by a draft; while linked, the unattached-upload purge leaves it alone."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="media_links", db_index=False)
    media = models.OneToOneField(Media, on_delete=models.CASCADE, related_name="draft_link")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["draft", "position"], name="draft_media")]

    def __str__(self) -> str:
        return f"{self.draft_id}:{self.media_id}"
