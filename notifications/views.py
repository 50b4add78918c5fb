"""The notifications page, Settings -> Notifications, and muting a post's conversation from its menu."""

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from config.kernel.api.pagination import PageRequest
from config.kernel.errors import ServiceError
from config.kernel.http import add_form_error, error_toast, safe_next
from notifications import selectors, services
from notifications.forms import NotificationSettingsForm
from notifications.webpush.views import push_settings_context
from tweets import cards
from tweets import selectors as tweet_selectors


@login_required
def notifications_page(request, tab: str = "all"):
    page = PageRequest.from_query_or_first(request.GET)
    seen_at = timezone.now()
    rows, next_cursor = selectors.notifications_page(request.user, page, tab)
    context = {"groups": selectors.group(rows), "next_cursor": next_cursor, "tab": tab}
    if request.htmx and page.cursor:
        return render(request, "notifications/_page.html", context)
    # Opening the page reads everything: the rows above keep their unread highlight for this view, the
    # badge (counted while rendering) shows 0, and the other tabs' badges clear by the live `unread` event.
    # Only what arrived before the rows were loaded: what comes during this request stays unread.
    services.mark_all_read(recipient=request.user, seen_at=seen_at)
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    # Someone else's or gone: there is nothing of theirs to mark.
    with suppress(ServiceError):
        services.mark_read(recipient=request.user, notification_ids=ids)
    return redirect(safe_next(request, "/notifications"))


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(recipient=request.user)
    return redirect(safe_next(request, "/notifications"))


# --- Settings -> Notifications ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def settings_notifications(request):
    form = NotificationSettingsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(user=request.user, changes=form.changes())
        except ServiceError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("settings-notifications")
    status = 400 if form.errors else 200
    context = {"form": form, "rows": form.rows(), "section": "notifications"}
    context.update(push_settings_context(request))  # the Web Push section below the form
    return render(request, "notifications/settings.html", context, status=status)


# --- muting a conversation from a post's "More options" menu -------------------------------

MUTED = gettext_lazy("Conversation muted: you won't be notified about this thread.")
UNMUTED = gettext_lazy("Conversation unmuted: you'll be notified about this thread again.")


def _conversation_action(request, tweet_id: int, act, done: str):
    """Like a like: htmx gets the post's actions back (the menu now says the other thing) and a toast."""
    try:
        act(user=request.user, tweet_id=tweet_id)
    except ServiceError as error:
        if request.htmx:
            return error_toast(request, error)
        messages.error(request, error.message)
        return redirect(safe_next(request, reverse("home")))
    if not request.htmx:
        messages.success(request, done)
        return redirect(safe_next(request, reverse("home")))
    tweet = tweet_selectors.tweet_for_viewer(tweet_id, request.user)
    shared = cards.page(user=request.user, request=request)
    actions = cards.render("tweets/actions.jinja", {"t": tweet.original if tweet else None}, shared)
    toast = format_html(
        '<div hx-swap-oob="afterbegin:#toasts"><p class="flash flash-success" role="status">{}</p></div>', done
    )
    return HttpResponse(actions + toast)


@login_required
@require_POST
def mute_conversation(request, tweet_id: int):
    return _conversation_action(request, tweet_id, services.conversation_mute, MUTED)


@login_required
@require_POST
def unmute_conversation(request, tweet_id: int):
    return _conversation_action(request, tweet_id, services.conversation_unmute, UNMUTED)
