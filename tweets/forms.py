import uuid
from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tweets import polls

ACCEPT = "image/jpeg,image/png,image/gif,image/webp,video/mp4,video/quicktime,video/webm"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked later by decoding it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class ComposeForm(forms.Form):
    """Posting, replying and quoting. The service judges the text; this only carries it."""

    text = forms.CharField(
        label=gettext_lazy("Post text"),
        required=False,
        max_length=5000,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": gettext_lazy("What's happening?"), "data-compose-text": ""}
        ),
    )
    images = MultipleFileField(
        label=gettext_lazy("Add images or a video"),
        required=False,
        help_text=format_lazy(
            gettext_lazy("Up to {limit} images (JPEG, PNG, GIF or WebP), or a video (MP4, MOV, WebM)."),
            limit=settings.TWEET_MAX_IMAGES,
        ),
    )
    # The service judges the warning's length (100 after normalising); this only stops what could never fit.
    content_warning = forms.CharField(
        label=gettext_lazy("Content warning"), required=False, max_length=1000, strip=False
    )
    sensitive = forms.BooleanField(label=gettext_lazy("Mark images as sensitive"), required=False)
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    quote_of = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Set by the remove button on the compose box's link preview (static/js/linkcard.js): post without the card.
    no_card = forms.BooleanField(required=False, widget=forms.HiddenInput(attrs={"data-link-card-off": ""}))
    # One per rendered form: a double submit carries the same token and posts once.
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(settings.TWEET_MAX_IMAGES):
            self.fields[f"alt_{index}"] = forms.CharField(
                label=_("Description of image %(number)s") % {"number": index + 1}, required=False, max_length=1000
            )
        # The poll: a choice filled in makes one (the service judges them, as it does the text).
        for position in range(1, polls.MAX_CHOICES + 1):
            self.fields[f"poll_choice_{position}"] = forms.CharField(
                label=_("Choice %(number)s") % {"number": position}, required=False, max_length=1000, strip=False
            )
        self.fields["poll_duration"] = forms.TypedChoiceField(
            label=_("Poll length"),
            choices=polls.DURATIONS,
            coerce=int,
            initial=24 * 60,
            required=False,
            empty_value=None,
        )
        self.fields["poll_multiple"] = forms.BooleanField(label=_("Let people choose more than one"), required=False)

    def poll(self) -> dict:
        """The keyword arguments of tweet_create for the poll filled in, if any."""
        choices = [self.cleaned_data.get(f"poll_choice_{p}") or "" for p in range(1, polls.MAX_CHOICES + 1)]
        choices = [c for c in choices if c.strip()]
        if not choices:
            return {}
        minutes = self.cleaned_data.get("poll_duration") or 24 * 60
        return {
            "poll_choices": choices,
            "poll_duration": timedelta(minutes=minutes),
            "poll_multiple": bool(self.cleaned_data.get("poll_multiple")),
        }

    def alt_texts(self) -> list[str]:
        return [self.cleaned_data.get(f"alt_{i}", "") for i in range(settings.TWEET_MAX_IMAGES)]


class EditForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Post text"),
        required=False,
        max_length=5000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-compose-text": ""}),
    )
    content_warning = forms.CharField(
        label=gettext_lazy("Content warning"),
        required=False,
        max_length=1000,
        strip=False,
        help_text=gettext_lazy(
            "Up to 100 characters, shown before the post; the text and images fold behind it. Empty for none."
        ),
        widget=forms.TextInput(attrs={"maxlength": 100}),
    )
    sensitive = forms.BooleanField(label=gettext_lazy("Mark images as sensitive"), required=False)
