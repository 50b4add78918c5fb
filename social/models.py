import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from config.kernel.ids import new_id
from config.kernel.media import ProcessedImage
from config.kernel.storage import private_storage

USER = settings.AUTH_USER_MODEL


class Follow(models.Model):
    follower = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="following_set", db_index=False)
    followee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follower_set", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_once"),
            models.CheckConstraint(condition=~Q(follower=F("followee")), name="follow_not_self"),
        ]
        indexes = [
            # Covering: fan-out walks a big account's followers by id reading only the index.
            models.Index(fields=["followee", "id"], include=["follower"], name="follow_followers"),
            models.Index(fields=["follower", "id"], include=["followee"], name="follow_following"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followee_id}"


class FollowRequest(models.Model):
    """Asking to follow a private account; approved requests become Follows."""

    requester = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="sent_follow_requests", db_index=False)
    target = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follow_requests", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["requester", "target"], name="follow_request_once")]
        indexes = [models.Index(fields=["target", "-id"], name="follow_request_inbox")]

    def __str__(self) -> str:
        return f"{self.requester_id} asks to follow {self.target_id}"


class Block(models.Model):
    blocker = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="blocks_made", db_index=False)
    blocked = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="blocks_received", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]
        indexes = [
            models.Index(fields=["blocker", "-id"], name="block_list"),
            models.Index(fields=["blocked", "blocker"], name="block_received"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(models.Model):
    muter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mutes_made", db_index=False)
    muted = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="mutes_received", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_once"),
            models.CheckConstraint(condition=~Q(muter=F("muted")), name="mute_not_self"),
        ]
        indexes = [
            models.Index(fields=["muter", "-id"], name="mute_list"),
            models.Index(fields=["muted", "muter"], name="mute_received"),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"


# --- direct messages ---------------------------------------------------------------------------


class Conversation(models.Model):
    """One-to-one (unique per pair, by `pair_key`) or a group of 2 to 50 people."""

    MAX_PARTICIPANTS = 50
    TITLE_MAX = 80

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    is_group = models.BooleanField(default=False)
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    pair_key = models.CharField(max_length=41, null=True, blank=True, unique=True, editable=False)
    participants = models.ManyToManyField(USER, through="Participant", related_name="conversations")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(is_group=True, pair_key__isnull=True) | Q(is_group=False, pair_key__isnull=False),
                name="conversation_pair_key_for_one_to_one",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"conversation {self.pk}"

    @staticmethod
    def pair_key_for(one_id: int, other_id: int) -> str:
        low, high = sorted((one_id, other_id))
        return f"{low}:{high}"


class Participant(models.Model):
    """A member of a conversation, with their read marker and their place in the inbox."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", db_index=False)
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_id = models.BigIntegerField(default=0)  # the newest message they have read
    history_from_id = models.BigIntegerField(default=0)  # people added later see only what follows
    # The newest message (or the creation, for its creator): the inbox order. Null until
    # there is something for them to see.
    last_activity_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "conversation"], name="participant_once")]
        indexes = [
            models.Index(
                fields=["user", "-last_activity_id"],
                name="participant_inbox",
                condition=Q(last_activity_id__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"

    @property
    def has_unread(self) -> bool:
        return (self.last_activity_id or 0) > self.last_read_id


def message_image_path(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"dm/{instance.owner_id}/{uuid.uuid4().hex}.{extension}"


def message_thumbnail_path(instance, filename: str) -> str:
    return f"dm-thumbs/{instance.owner_id}/{uuid.uuid4().hex}.webp"


class MessageImage(ProcessedImage):
    """An image for a direct message: processed like tweet images, stored where no public URL reaches."""

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=message_image_path, storage=private_storage, blank=True)  # empty until processed
    thumbnail = models.FileField(upload_to=message_thumbnail_path, storage=private_storage, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"message image {self.pk}"


class Message(models.Model):
    MAX_LENGTH = 10_000

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages", db_index=False)
    sender = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    image = models.OneToOneField(MessageImage, on_delete=models.SET_NULL, null=True, blank=True, related_name="message")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["conversation", "-id"], name="message_history")]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"


class HiddenMessage(models.Model):
    """A message someone deleted for themselves; everyone else still sees it."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", db_index=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "message"], name="hide_message_once")]

    def __str__(self) -> str:
        return f"{self.message_id} hidden for {self.user_id}"


class Report(models.Model):
    """Someone flags a post, an account or a message for the moderators."""

    class Target(models.TextChoices):
        TWEET = "tweet", "Post"
        USER = "user", "Account"
        MESSAGE = "message", "Message"

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abuse or harassment"
        HATE = "hate", "Hateful conduct"
        VIOLENCE = "violence", "Violence or threats"
        SELF_HARM = "self_harm", "Suicide or self-harm"
        SENSITIVE = "sensitive", "Sensitive or graphic media"
        PRIVATE_INFO = "private_info", "Private information"
        IMPERSONATION = "impersonation", "Impersonation"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", db_index=False)
    target_type = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.BigIntegerField()  # a tweet, user or message id; the row may be gone by review time
    # Whose content it is: the moderators act on this account (suspend), and filter by it.
    target_user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    text = models.TextField("details", max_length=1000, blank=True)
    snapshot = models.TextField(blank=True, help_text="What the reported content said when it was reported.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-created_at"], name="report_queue"),
            models.Index(fields=["target_user", "-created_at"], name="report_target_user"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=Q(status="open"),
                name="one_open_report_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"report {self.pk}: {self.get_target_type_display().lower()} {self.target_id}"


class ModerationAction(models.Model):
    """The audit log: one row per moderator action, never edited."""

    class Action(models.TextChoices):
        SUSPEND = "suspend", "Suspended the account"
        UNSUSPEND = "unsuspend", "Lifted the suspension"
        REMOVE_TWEET = "remove_tweet", "Removed a post"
        DISMISS = "dismiss", "Dismissed a report"
        RESOLVE = "resolve", "Resolved a report"
        EDIT_USER = "edit_user", "Edited the account"

    moderator = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    target_user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    tweet_id = models.BigIntegerField(null=True, blank=True)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    reason = models.TextField(blank=True)
    snapshot = models.TextField(blank=True)  # the removed post's text, so the record outlives it
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["-created_at"], name="moderation_log"),
            models.Index(fields=["target_user", "-created_at"], name="moderation_log_user"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
