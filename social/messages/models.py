import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from config.kernel.ids import new_id
from config.kernel.media import ProcessedMedia
from config.kernel.storage import private_storage

USER = settings.AUTH_USER_MODEL


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
        db_table = "social_conversation"
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
        db_table = "social_participant"
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


class MessageImage(ProcessedMedia):
    """An image or video for a direct message: processed like tweet media, stored where no public URL reaches."""

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=message_image_path, storage=private_storage, blank=True)  # empty until processed
    thumbnail = models.FileField(upload_to=message_thumbnail_path, storage=private_storage, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "social_messageimage"

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
        db_table = "social_message"
        indexes = [models.Index(fields=["conversation", "-id"], name="message_history")]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"


class HiddenMessage(models.Model):
    """A message someone deleted for themselves; everyone else still sees it."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", db_index=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "social_hiddenmessage"
        constraints = [models.UniqueConstraint(fields=["user", "message"], name="hide_message_once")]

    def __str__(self) -> str:
        return f"{self.message_id} hidden for {self.user_id}"
