"""Settings → Muted words: the list, the add form and remove buttons (htmx swaps the section; plain forms work too)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from config.kernel.api.pagination import PageRequest
from config.kernel.errors import ServiceError
from social.graph import muted_words, services
from social.graph.models import MutedWord

_too_long = lazy(
    lambda: gettext("A muted word can be at most %(limit)s characters.") % {"limit": muted_words.MAX_LENGTH}, str
)
EXPIRY_CHOICES = [("", _("Forever")), *((str(s), label) for s, label in services.EXPIRIES.items() if s)]


class MutedWordForm(forms.Form):
    phrase = forms.CharField(
        label=_("Word, phrase or #hashtag"),
        max_length=muted_words.MAX_LENGTH,
        error_messages={
            "required": _("Enter a word, phrase or hashtag to mute."),
            "max_length": _too_long(),
        },
    )
    context = forms.ChoiceField(label=_("Mute in"), choices=MutedWord.Context.choices, initial="everywhere")
    expires = forms.ChoiceField(label=_("For how long"), choices=EXPIRY_CHOICES, required=False)


def _render(request, form, status: int = 200, notice: str = ""):
    page = PageRequest.from_query_or_first(request.GET)
    words, next_cursor = muted_words.muted_words_page(request.user, page)
    context = {"form": form, "words": words, "next_cursor": next_cursor, "section": "privacy", "notice": notice}
    template = "social/_muted_words.html" if request.htmx else "social/settings_muted_words.html"
    return render(request, template, context, status=status)


@login_required
def muted_words_page(request):
    if request.method != "POST":
        return _render(request, MutedWordForm())
    form = MutedWordForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    data = form.cleaned_data
    try:
        word = services.muted_word_create(
            user=request.user,
            phrase=data["phrase"],
            context=data["context"],
            expires_in=int(data["expires"]) if data["expires"] else None,
        )
    except ServiceError as error:
        form.add_error("phrase" if "phrase" in error.fields or not error.fields else None, error.message)
        return _render(request, form, status=error.status)
    notice = gettext("Muted “%(phrase)s”.") % {"phrase": word.phrase}
    if request.htmx:
        return _render(request, MutedWordForm(), notice=notice)
    messages.success(request, notice)
    return redirect("settings-muted-words")


@login_required
@require_POST
def muted_word_remove(request, word_id: int):
    try:
        services.muted_word_delete(user=request.user, word_id=word_id)
    except ServiceError as error:
        return _render(request, MutedWordForm(), status=error.status, notice=error.message)
    if request.htmx:
        return _render(request, MutedWordForm(), notice=gettext("Unmuted."))
    messages.success(request, gettext("Unmuted."))
    return redirect("settings-muted-words")
