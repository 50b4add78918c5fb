"""Forms of the drafts pages. They only carry input; tweets.draft_services judges it."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import forms
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from tweets.draft_services import zone_or_utc

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=LOCAL_FORMAT)


def local_time(naive: datetime | None, zone_name: str) -> datetime | None:
    """A datetime-local value (wall time, no zone) read in the person's zone."""
    if naive is None:
        return None
    return naive.replace(tzinfo=zoneinfo.ZoneInfo(zone_or_utc(zone_name)))


def wall_time(value: datetime | None, zone_name: str) -> str:
    """For a datetime-local input: the time as the person's clock shows it."""
    if value is None:
        return ""
    return value.astimezone(zoneinfo.ZoneInfo(zone_or_utc(zone_name))).strftime(LOCAL_FORMAT)


def shown_time(value: datetime | None, zone_name: str) -> str:
    """How a scheduled time reads on the page: in the zone the person scheduled it in."""
    if value is None:
        return ""
    zone = zone_or_utc(zone_name)
    local = value.astimezone(zoneinfo.ZoneInfo(zone))
    # Django's format letters, not strftime's: the day and month names in the reader's language.
    return f"{dateformat.format(local, 'D j M Y, H:i')} ({zone.replace('_', ' ')})"


class LaterForm(forms.Form):
    """What the compose form adds to save a draft or schedule it (the post itself is a ComposeForm)."""

    later = forms.ChoiceField(choices=[("draft", _("Save draft")), ("schedule", _("Schedule"))])
    scheduled_at = forms.DateTimeField(
        label=_("Schedule for"), required=False, input_formats=[LOCAL_FORMAT], widget=LocalDateTimeInput
    )
    tz = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("later") == "schedule" and not data.get("scheduled_at"):
            self.add_error("scheduled_at", _("Pick a date and time to schedule it for."))
        return data


class DraftForm(forms.Form):
    """Editing a saved draft or scheduled post."""

    text = forms.CharField(
        label=_("Post text"), required=False, max_length=5000, strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-compose-text": ""}),
    )  # fmt: skip
    content_warning = forms.CharField(
        label=_("Content warning (optional)"), required=False, max_length=5000, help_text=_("Up to 100 characters.")
    )
    sensitive = forms.BooleanField(label=_("The images are sensitive"), required=False)
    link_card = forms.BooleanField(
        label=_("Show a link preview"), required=False, help_text=_("A card for the post's first link, if it has one.")
    )
    poll_choices = forms.CharField(
        label=_("Poll choices (optional, one per line)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("2 to 4 choices, each up to 25 characters."),
    )  # fmt: skip
    poll_minutes = forms.IntegerField(
        label=_("Poll length in minutes"), required=False, min_value=5, max_value=7 * 24 * 60,
        help_text=_("5 minutes to 7 days (10080); empty: one day."),
    )  # fmt: skip
    scheduled_at = forms.DateTimeField(
        label=_("Schedule for (your time)"), required=False, input_formats=[LOCAL_FORMAT], widget=LocalDateTimeInput,
        help_text=_("5 minutes to a year ahead. Leave empty to keep it as a draft."),
    )  # fmt: skip
    tz = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, data=None, *, draft=None, **kwargs):
        self.draft = draft
        if draft is not None and data is None:
            kwargs["initial"] = {
                "text": draft.text,
                "content_warning": draft.content_warning,
                "sensitive": draft.sensitive,
                "link_card": draft.link_card,
                "poll_choices": "\n".join(draft.poll_choices),
                "poll_minutes": int(draft.poll_duration.total_seconds() // 60) if draft.poll_duration else None,
                "scheduled_at": wall_time(draft.scheduled_at, draft.time_zone),
                "tz": draft.time_zone,
            }
        super().__init__(data, **kwargs)
        self.fields["scheduled_at"].widget.attrs["data-schedule-at"] = ""
        if draft is None or draft.scheduled_at is None:
            # Nothing shown in a zone yet: take the browser's. A scheduled post keeps the zone its time is shown in.
            self.fields["tz"].widget.attrs["data-local-zone"] = ""

    def poll(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("poll_choices", "").splitlines() if line.strip()]
