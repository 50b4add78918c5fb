import copy

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.kernel.api.oauth_scopes import SCOPES
from config.kernel.timezones import zone_names


class SignupForm(AllauthSignupForm):
    name = forms.CharField(
        label=_("Display name"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("Your name")}),
    )
    field_order = ["name", "email", "username", "password1"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = _("1–15 letters, digits or underscores, starting with a letter.")
        self.fields["username"].widget.attrs.update({"maxlength": 15, "autocapitalize": "none"})
        self.fields["password1"].help_text = _("At least 8 characters, not all digits, and not a common password.")


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or email")
        self.fields["login"].widget.attrs.update({"autocapitalize": "none", "placeholder": ""})
        self.fields["password"].widget.attrs["placeholder"] = ""


class ProfileForm(forms.ModelForm):
    # Plain file fields: the service runs them through the image pipeline (config/kernel/media.py).
    avatar = forms.FileField(required=False, help_text=_("JPEG, PNG, GIF or WebP, up to 5 MB."))
    header = forms.FileField(required=False, help_text=_("A wide image, shown at the top of your profile."))
    remove_avatar = forms.BooleanField(required=False, label=_("Remove the current avatar"))
    remove_header = forms.BooleanField(required=False, label=_("Remove the current header"))

    class Meta:
        model = User
        fields = ["name", "bio", "location", "website"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3, "maxlength": 160})}
        labels = {"name": _("Display name"), "bio": _("Bio"), "location": _("Location"), "website": _("Website")}

    def __init__(self, *args, instance: User, **kwargs):
        # Validate against a copy so a rejected form never edits request.user in memory.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        for name in ("avatar", "header"):
            self.fields[name].widget.attrs["accept"] = "image/jpeg,image/png,image/gif,image/webp"


class PrivacyForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["is_private", "who_can_message"]
        widgets = {"who_can_message": forms.RadioSelect}
        labels = {"is_private": _("Private account"), "who_can_message": _("Who can message you")}
        help_texts = {"is_private": _("Only approved followers see a private account's posts.")}

    # Which notifications, and how they come, is on Settings -> Notifications (notifications/forms.py).

    def __init__(self, *args, instance: User, **kwargs):
        super().__init__(*args, instance=copy.copy(instance), **kwargs)


def zone_choices() -> list[tuple[str, str]]:
    """ "Your browser's", then every zone of the database, by region ("America/New York")."""
    return [("", _("Your browser's"))] + [(name, name.replace("_", " ")) for name in sorted(zone_names())]


def language_choices() -> list[tuple[str, str]]:
    """ "Your browser's", then each language in its own name ("Español"), as a reader looks for it."""
    return [("", _("Your browser's")), *settings.LANGUAGES]


class DisplayForm(forms.ModelForm):
    """How posts look to you: sensitive images, content warnings, autoplay, and the time zone of dates."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=zone_choices,
        help_text=_("Times of posts, messages and notifications are shown in this zone."),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
    )

    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=language_choices,
        help_text=_("The language of Chirp's pages and emails."),
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )

    class Meta:
        model = User
        fields = ["show_sensitive_media", "expand_content_warnings", "autoplay_videos", "time_zone", "language"]
        labels = {
            "show_sensitive_media": _("Always show sensitive media"),
            "expand_content_warnings": _("Always expand posts with content warnings"),
            "autoplay_videos": _("Autoplay videos and GIFs"),
        }
        help_texts = {
            "show_sensitive_media": _("Images marked sensitive show without the blur."),
            "expand_content_warnings": _("The warning still shows above the post, which opens unfolded."),
            "autoplay_videos": _(
                "Muted, while in view, never with sound. Off, or with reduced motion asked for "
                "in your system settings, nothing plays until you press play."
            ),
        }

    def __init__(self, *args, instance: User, **kwargs):
        super().__init__(*args, instance=copy.copy(instance), **kwargs)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account, posts, likes and messages will be deleted for good."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class DeveloperAppForm(forms.Form):
    """Registering an OAuth app (Settings → Developer apps); accounts/oauth.py judges the values."""

    name = forms.CharField(label=_("Name"), max_length=100)
    website = forms.URLField(label=_("Website"), required=False, max_length=300, assume_scheme="https")
    redirect_uris = forms.CharField(
        label=_("Redirect URIs"),
        widget=forms.Textarea(attrs={"rows": 2, "autocapitalize": "none", "spellcheck": "false"}),
        help_text=_("One per line. People come back to one of these after approving."),
    )
    scopes = forms.MultipleChoiceField(
        choices=[(name, name) for name in SCOPES], initial=["read"], widget=forms.CheckboxSelectMultiple
    )
    client_type = forms.ChoiceField(
        label=_("Client type"),
        choices=[
            ("confidential", _("Confidential: a server that can keep a secret")),
            ("public", _("Public: a mobile or browser app (PKCE required)")),
        ],
        initial="confidential",
    )

    def clean_redirect_uris(self):
        return [line.strip() for line in self.cleaned_data["redirect_uris"].splitlines() if line.strip()]
