import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from tweets.forms import ACCEPT


class MessageForm(forms.Form):
    """Sending in a conversation. The service judges text and image; this only carries them."""

    text = forms.CharField(
        label=_("Message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 1, "placeholder": _("Start a new message")}),
    )
    image = forms.FileField(
        label=_("Add an image"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    alt = forms.CharField(label=_("Image description"), required=False, max_length=1000)
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class NewConversationForm(forms.Form):
    to = forms.CharField(
        label=_("To"),
        max_length=2000,
        help_text=_("One username for a conversation; several, separated by spaces or commas, for a group."),
        widget=forms.TextInput(attrs={"placeholder": _("@username"), "autocomplete": "off", "autocapitalize": "none"}),
    )
    title = forms.CharField(label=_("Group name (optional)"), required=False, max_length=80)

    def handles(self) -> list[str]:
        return [h for h in self.cleaned_data["to"].replace(",", " ").split() if h.strip("@")]


class AddPeopleForm(forms.Form):
    to = forms.CharField(
        label=_("Add people"), max_length=2000, help_text=_("Usernames, separated by spaces or commas.")
    )

    def handles(self) -> list[str]:
        return [h for h in self.cleaned_data["to"].replace(",", " ").split() if h.strip("@")]
