from django import forms
from django.utils.translation import gettext_lazy as _

from social.moderation.models import Report
from social.moderation.services import MAX_DETAILS


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=Report.Reason.choices, widget=forms.RadioSelect, label=_("What's wrong?"))
    text = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=MAX_DETAILS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
