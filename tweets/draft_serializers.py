"""The draft JSON (drafts and scheduled posts share one shape) and what the API takes to write one."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from rest_framework import serializers

from config.kernel.api import patterns
from config.kernel.api.fields import FlagField, IdField, TextField
from config.kernel.timefmt import iso_z
from tweets.draft_selectors import media_of
from tweets.draft_services import CW_MAX, POLL_CHOICE_MAX
from tweets.serializers import POST_TEXT, TEXT_RAW_LIMIT, MediaSerializer, media_json


def draft_json(draft, request) -> dict:
    media = media_of(draft)
    poll = None
    if draft.poll_choices:
        minutes = int(draft.poll_duration.total_seconds() // 60) if draft.poll_duration else None
        poll = {"choices": list(draft.poll_choices), "durationMinutes": minutes}
    return {
        "id": str(draft.pk),
        "text": draft.text,
        "mediaIds": [str(item.pk) for item in media],
        "media": [media_json(item, request) for item in media],
        "contentWarning": draft.content_warning or None,
        "sensitive": draft.sensitive,
        "linkCard": draft.link_card,
        "poll": poll,
        "replyToId": str(draft.reply_to_id) if draft.reply_to_id else None,
        "quoteOfId": str(draft.quote_of_id) if draft.quote_of_id else None,
        "scheduledAt": iso_z(draft.scheduled_at),
        "timeZone": draft.time_zone,
        "status": draft.status,
        "lastError": draft.last_error or None,
        "createdAt": iso_z(draft.created_at),
        "updatedAt": iso_z(draft.updated_at),
    }


class DraftPollSerializer(serializers.Serializer):
    choices = serializers.ListField(
        child=TextField(max_length=POLL_CHOICE_MAX), min_length=2, max_length=4,
        help_text=f"2 to 4 choices, each 1 to {POLL_CHOICE_MAX} characters.",
    )  # fmt: skip
    durationMinutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=5, max_value=7 * 24 * 60, help_text="5 to 10080; default 1440."
    )

    # Each choice shows something (what the service checks after trimming).
    schema_rules = {
        "properties": {
            "choices": {"items": {"type": "string", "maxLength": POLL_CHOICE_MAX, "pattern": patterns.VISIBLE}}
        }
    }


class DraftSerializer(serializers.Serializer):
    """A draft, or a scheduled post (`scheduledAt` set). Documents `draft_json`."""

    id = IdField()
    text = serializers.CharField()
    mediaIds = serializers.ListField(child=IdField())
    media = MediaSerializer(many=True)
    contentWarning = serializers.CharField(allow_null=True)
    sensitive = serializers.BooleanField()
    linkCard = serializers.BooleanField(help_text="false: published without a preview card for its first link.")
    poll = DraftPollSerializer(allow_null=True)
    replyToId = IdField(allow_null=True)
    quoteOfId = IdField(allow_null=True)
    scheduledAt = serializers.DateTimeField(allow_null=True, help_text="ISO 8601, UTC; null for a plain draft.")
    timeZone = serializers.CharField(help_text="The IANA zone the author scheduled in; pages show times in it.")
    status = serializers.ChoiceField(
        ["pending", "failed"], help_text="`failed`: it couldn't be published when due (see `lastError`)."
    )
    lastError = serializers.CharField(allow_null=True)
    createdAt = serializers.DateTimeField()
    updatedAt = serializers.DateTimeField()

    def to_representation(self, draft):
        return draft_json(draft, self.context.get("request"))


class DraftResponseSerializer(serializers.Serializer):
    draft = DraftSerializer()


class DraftWriteSerializer(serializers.Serializer):
    """The fields of a draft a client writes; on PATCH, the ones left out stay as they are."""

    text = TextField(required=False, allow_blank=True, trim_whitespace=False, max_length=TEXT_RAW_LIMIT)
    mediaIds = serializers.ListField(
        child=IdField(read_only=False), required=False, max_length=settings.TWEET_MAX_IMAGES,
        error_messages={"max_length": "A post can have at most {max_length} images."},
        help_text="Uploads from POST /media/upload; the draft keeps them until it is published or deleted.",
    )  # fmt: skip
    replyToId = IdField(read_only=False, required=False, allow_null=True)
    quoteOfId = IdField(read_only=False, required=False, allow_null=True)
    contentWarning = TextField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False, max_length=CW_MAX,
        help_text=f"Up to {CW_MAX} characters; empty or null: none.",
    )  # fmt: skip
    sensitive = FlagField(required=False)
    linkCard = FlagField(
        required=False,
        help_text="false: publish it without a preview card for its first link (as POST /tweets `card`); default true.",
    )
    poll = DraftPollSerializer(required=False, allow_null=True)
    timeZone = TextField(
        required=False, allow_blank=True, max_length=64, help_text="An IANA zone to show the time in (default: UTC)."
    )

    schema_rules = {"properties": {"text": POST_TEXT}}


# Something to show: text with a visible character, an image or a poll.
SOMETHING_TO_SHOW = [
    {"required": ["text"], "properties": {"text": {"pattern": patterns.VISIBLE}}},
    {"required": ["mediaIds"], "properties": {"mediaIds": {"minItems": 1}}},
    {"required": ["poll"], "properties": {"poll": {"type": "object"}}},
]


class DraftCreateSerializer(DraftWriteSerializer):
    schema_rules = {"properties": {"text": POST_TEXT}, "anyOf": SOMETHING_TO_SHOW}


class DraftUpdateSerializer(DraftWriteSerializer):
    scheduledAt = serializers.DateTimeField(
        required=False, allow_null=True,
        help_text="A time 5 minutes to a year ahead schedules it; null turns a scheduled post back into a draft.",
    )  # fmt: skip


class ScheduledCreateSerializer(DraftWriteSerializer):
    scheduledAt = serializers.DateTimeField(help_text="ISO 8601 with an offset; 5 minutes to a year ahead.")

    schema_rules = DraftCreateSerializer.schema_rules


def service_arguments(data: dict) -> dict:
    """API names to draft_create / draft_update keywords, only for the fields sent."""
    names = {
        "text": "text_input",
        "mediaIds": "media_ids",
        "replyToId": "reply_to_id",
        "quoteOfId": "quote_of_id",
        "sensitive": "sensitive",
        "linkCard": "link_card",
        "scheduledAt": "scheduled_at",
        "timeZone": "time_zone",
    }
    arguments = {names[key]: value for key, value in data.items() if key in names}
    if "contentWarning" in data:
        arguments["content_warning"] = data["contentWarning"] or ""
    if "poll" in data:
        poll = data["poll"] or {}
        minutes = poll.get("durationMinutes")
        arguments["poll_choices"] = poll.get("choices", [])
        arguments["poll_duration"] = timedelta(minutes=minutes) if minutes else None
    return arguments
