"""Pages for drafts and scheduled posts: save from the compose form, list, edit, post now, delete."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from config.kernel import media as pipeline
from config.kernel.api.idempotency import claim_form_token
from config.kernel.api.pagination import PageRequest
from config.kernel.errors import ServiceError
from config.kernel.http import add_form_error
from tweets import draft_selectors, draft_services, services
from tweets.draft_forms import DraftForm, LaterForm, local_time, shown_time
from tweets.forms import ComposeForm
from tweets.views import FORM_FIELDS, tweet_url

DRAFT_FIELDS = {
    "text": "text", "contentWarning": "content_warning", "poll": "poll_choices", "scheduledAt": "scheduled_at",
}  # fmt: skip


def _go(request, url: str):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_POST
def draft_save(request):
    """The compose form's "Save draft" and "Schedule" buttons (their `formaction`)."""
    form = ComposeForm(request.POST, request.FILES)
    later = LaterForm(request.POST)
    if form.is_valid() and later.is_valid():
        data, when = form.cleaned_data, later.cleaned_data
        scheduled_at = local_time(when.get("scheduled_at"), when.get("tz")) if when["later"] == "schedule" else None
        alts = form.alt_texts()
        stored = []
        try:
            with transaction.atomic():
                if not claim_form_token(request.user, data["form_token"]):
                    return _go(request, reverse("drafts"))
                for index, image in enumerate(data["images"]):
                    alt = alts[index] if index < len(alts) else ""
                    stored.append(services.media_upload(owner=request.user, upload=image, alt_text=alt))
                draft_services.draft_create(
                    author=request.user,
                    text_input=data["text"],
                    media_ids=[item.pk for item in stored],
                    reply_to_id=data.get("reply_to"),
                    quote_of_id=data.get("quote_of"),
                    scheduled_at=scheduled_at,
                    time_zone=when.get("tz"),
                    link_card=not data["no_card"],  # the preview's remove button, as when posting
                )
        except ServiceError as error:
            pipeline.delete_files(stored)
            add_form_error(form, error, FORM_FIELDS)
        else:
            if scheduled_at is not None:
                messages.success(request, _("Your post was scheduled."))
                return _go(request, reverse("scheduled"))
            messages.success(request, _("Saved to your drafts."))
            return _go(request, reverse("drafts"))
    for errors in later.errors.values():
        for error in errors:
            form.add_error(None, error)
    template = "tweets/_compose.html" if request.htmx else "tweets/compose.html"
    return render(request, template, {"form": form, "later_form": later}, status=400)


def _listing(request, select, template: str):
    page = PageRequest.from_query_or_first(request.GET)
    items, next_cursor = select(request.user, page)
    for item in items:
        item.local_when = shown_time(item.scheduled_at, item.time_zone)
    return render(request, template, {"items": items, "next_cursor": next_cursor})


@login_required
def drafts_page(request):
    return _listing(request, draft_selectors.drafts, "tweets/drafts.html")


@login_required
def scheduled_page(request):
    return _listing(request, draft_selectors.scheduled, "tweets/scheduled.html")


def _own(request, draft_id: int):
    found = draft_selectors.draft_for(request.user, draft_id, scheduled=False) or draft_selectors.draft_for(
        request.user, draft_id, scheduled=True
    )
    if found is None:
        raise Http404(draft_services.GONE)
    return found


def _home_of(draft) -> str:
    return reverse("scheduled") if draft.scheduled_at else reverse("drafts")


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request, draft_id: int):
    """A saved draft back in a form: change it, schedule or reschedule it, or post it now."""
    draft = _own(request, draft_id)
    form = DraftForm(request.POST or None, draft=draft)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        keep = {str(item.pk) for item in draft_selectors.media_of(draft)} & set(request.POST.getlist("keep"))
        scheduled_at = local_time(data.get("scheduled_at"), data.get("tz"))
        try:
            with transaction.atomic():
                draft_services.draft_update(
                    actor=request.user,
                    draft_id=draft.pk,
                    text_input=data["text"],
                    media_ids=[item.pk for item in draft_selectors.media_of(draft) if str(item.pk) in keep],
                    content_warning=data["content_warning"],
                    sensitive=data["sensitive"],
                    poll_choices=form.poll(),
                    poll_duration=_minutes(data.get("poll_minutes")),
                    scheduled_at=scheduled_at,
                    time_zone=data.get("tz") or draft.time_zone,
                    link_card=data["link_card"],
                )
                if request.POST.get("action") == "publish":
                    tweet = draft_services.draft_publish(actor=request.user, draft_id=draft.pk)
        except ServiceError as error:
            add_form_error(form, error, DRAFT_FIELDS)
        else:
            if request.POST.get("action") == "publish":
                messages.success(request, _("Your post was sent."))
                return redirect(tweet_url(tweet))
            messages.success(request, _("Your post was scheduled.") if scheduled_at else _("Your draft was saved."))
            return redirect(reverse("scheduled") if scheduled_at else reverse("drafts"))
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "draft": draft, "media": draft_selectors.media_of(draft)}
    return render(request, "tweets/draft_edit.html", context, status=status)


def _minutes(value):
    return timedelta(minutes=value) if value else None


@login_required
@require_POST
def draft_delete(request, draft_id: int):
    draft = _own(request, draft_id)
    try:
        draft_services.draft_delete(actor=request.user, draft_id=draft.pk)
    except ServiceError as error:
        messages.error(request, error.message)
        return _go(request, _home_of(draft))
    if request.htmx:
        return HttpResponse("")  # the list item goes away in place
    messages.success(
        request, _("The scheduled post was cancelled.") if draft.scheduled_at else _("The draft was deleted.")
    )
    return redirect(_home_of(draft))


@login_required
@require_POST
def draft_publish_now(request, draft_id: int):
    draft = _own(request, draft_id)
    try:
        tweet = draft_services.draft_publish(actor=request.user, draft_id=draft.pk)
    except ServiceError as error:
        messages.error(request, error.message)
        return _go(request, _home_of(draft))
    messages.success(request, _("Your post was sent."))
    return _go(request, tweet_url(tweet))
