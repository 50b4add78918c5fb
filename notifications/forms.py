"""Settings -> Notifications as a plain form: one row per type, a field per channel (names `<channel>_<type>`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import preferences
from notifications.preferences import EMAIL_CHOICES, EMAIL_LABELS, TYPES


class NotificationSettingsForm(forms.Form):
    only_from_following = forms.BooleanField(
        required=False,
        label=gettext_lazy("Only from people I follow"),
        help_text=gettext_lazy("Follow requests, polls that ended and your data export still come from anyone."),
    )
    weekly_digest = forms.BooleanField(
        required=False,
        label=gettext_lazy("Weekly “what you missed” email"),
        help_text=gettext_lazy("Once a week, the posts and activity you may have missed."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        prefs = preferences.of(user)
        self.fields["only_from_following"].initial = prefs.only_from_following
        self.fields["weekly_digest"].initial = prefs.weekly_digest
        choices = [(value, EMAIL_LABELS[value]) for value in EMAIL_CHOICES]
        for verb in TYPES:
            name = preferences.label(verb)
            self.fields[f"app_{verb}"] = forms.BooleanField(
                required=False, initial=prefs.in_app(verb), label=_("%(type)s: in app") % {"type": name}
            )
            self.fields[f"push_{verb}"] = forms.BooleanField(
                required=False, initial=prefs.push_cell(verb), label=_("%(type)s: push") % {"type": name}
            )
            self.fields[f"email_{verb}"] = forms.ChoiceField(
                choices=choices, initial=prefs.email_cell(verb), label=_("%(type)s: email") % {"type": name}
            )

    def rows(self) -> list[dict]:
        """What the table shows: each type's label and its three bound fields."""
        return [
            {
                "verb": verb,
                "label": preferences.label(verb),
                "app": self[f"app_{verb}"],
                "push": self[f"push_{verb}"],
                "email": self[f"email_{verb}"],
            }
            for verb in TYPES
        ]

    def changes(self) -> dict:
        """The API's shape (notifications.preferences), every cell as the form sent it."""
        data = self.cleaned_data
        types = {
            verb: {"inApp": data[f"app_{verb}"], "push": data[f"push_{verb}"], "email": data[f"email_{verb}"]}
            for verb in TYPES
        }
        return {
            "types": types,
            "onlyFromFollowing": data["only_from_following"],
            "weeklyDigest": data["weekly_digest"],
        }
