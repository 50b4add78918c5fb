"""Pages for direct messages: the inbox, a conversation, sending, and group housekeeping."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from accounts import selectors as account_selectors
from config.kernel import abuse
from config.kernel.api.fields import parse_id
from config.kernel.api.idempotency import claim_form_token
from config.kernel.api.pagination import PageRequest
from config.kernel.errors import NotFound, ServiceError
from config.kernel.http import add_form_error
from social.messages import selectors, services
from social.messages.forms import AddPeopleForm, MessageForm, NewConversationForm

HISTORY_PAGE = 30


def conversation_url(conversation_id: int) -> str:
    return reverse("conversation", args=[conversation_id])


def _view_or_404(request, conversation_id: int):
    view = selectors.conversation_view(request.user, conversation_id)
    if view is None:
        raise Http404(services.NO_CONVERSATION)
    return view


@login_required
def inbox(request):
    page = PageRequest.from_query_or_first(request.GET)
    conversations, next_cursor = selectors.inbox_page(request.user, page)
    context = {"conversations": conversations, "next_cursor": next_cursor}
    if request.htmx and page.cursor:
        return render(request, "social/messages/_inbox_page.html", context)
    return render(request, "social/messages/inbox.html", context)


def _people_for(request, form) -> list | None:
    """The users a form names, or None after adding the form error."""
    found, missing = selectors.users_for_new_conversation(request.user, form.handles())
    if missing:
        names = ", ".join("@" + name for name in missing)
        form.add_error("to", _("Nobody is called %(names)s.") % {"names": names})
        return None
    if not found:
        form.add_error("to", _("Choose someone other than yourself."))
        return None
    return found


@login_required
def new_conversation(request):
    form = NewConversationForm(request.POST or None, initial={"to": request.GET.get("to", "")})
    if request.method == "POST" and form.is_valid() and (people := _people_for(request, form)) is not None:
        try:
            conversation, _created = services.conversation_start(
                creator=request.user, participant_ids=[u.pk for u in people], title=form.cleaned_data["title"]
            )
        except ServiceError as error:
            add_form_error(form, error, {"title": "title"}, fallback="to")
        else:
            return redirect(conversation_url(conversation.pk))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "social/messages/new.html", {"form": form}, status=status)


@login_required
@require_POST
def message_with(request, username: str):
    """The profile's "Message" button: your conversation with them, started if needed."""
    other = account_selectors.user_by_handle(username)
    if other is None:
        raise Http404("No such user.")
    try:
        conversation, _created = services.conversation_start(
            creator=request.user, participant_ids=[other.pk], is_group=False
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("profile", other.username)
    return redirect(conversation_url(conversation.pk))


@login_required
def conversation(request, conversation_id: int):
    view = _view_or_404(request, conversation_id)
    page = PageRequest.from_query_or_first(request.GET, default_limit=HISTORY_PAGE)
    rows, older = selectors.history_page(view.member, page)
    rows.reverse()  # oldest at the top, as a chat reads
    view.mark_seen(rows)
    context = {"view": view, "chat": rows, "older": older}
    if request.htmx and page.cursor:
        return render(request, "social/messages/_history.html", context)
    if rows:
        marker = services.conversation_read(user=request.user, conversation_id=conversation_id, up_to=rows[-1].pk)
        view.member.last_read_id = marker
    context["form"] = MessageForm()
    return render(request, "social/messages/conversation.html", context)


@login_required
@require_POST
def send(request, conversation_id: int):
    view = _view_or_404(request, conversation_id)
    form = MessageForm(request.POST, request.FILES)
    refusal = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if not claim_form_token(request.user, data["form_token"]):
                    return HttpResponse(status=204) if request.htmx else redirect(conversation_url(conversation_id))
                message = services.message_send(
                    sender=request.user, text=data["text"], conversation_id=conversation_id,
                    upload=data["image"], alt_text=data["alt"],
                )  # fmt: skip
        except ServiceError as error:
            add_form_error(form, error, dict.fromkeys(("mediaId", "image", "altText"), "image"))
            refusal = error
        else:
            if not request.htmx:
                return redirect(conversation_url(conversation_id))
            context = {"view": view, "chat": [message], "form": MessageForm(), "fresh_form": True}
            response = render(request, "social/messages/_sent.html", context)
            return reswap(retarget(response, "#chat-messages"), "beforeend")
    if request.htmx:
        response = render(request, "social/messages/_send_form.html", {"view": view, "form": form}, status=400)
        return abuse.page_status(reswap(retarget(response, "#send-form"), "outerHTML"), refusal)
    rows, older = selectors.history_page(view.member, PageRequest(cursor=None, limit=HISTORY_PAGE))
    context = {"view": view, "chat": rows[::-1], "older": older, "form": form}
    return abuse.page_status(render(request, "social/messages/conversation.html", context, status=400), refusal)


@login_required
def newer(request, conversation_id: int):
    """What an open conversation appends when told of new messages."""
    view = _view_or_404(request, conversation_id)
    rows = selectors.messages_after(view.member, parse_id(request.GET.get("after")) or 0)
    return render(request, "social/messages/_messages.html", {"view": view, "chat": rows})


@login_required
@require_POST
def read(request, conversation_id: int):
    try:
        marker = services.conversation_read(
            user=request.user, conversation_id=conversation_id, up_to=parse_id(request.POST.get("up_to"))
        )
    except NotFound as error:
        raise Http404(error.message) from error
    if request.htmx:
        return HttpResponse(status=204, headers={"X-Read-Marker": str(marker)})
    return redirect(conversation_url(conversation_id))


@login_required
@require_POST
def hide(request, conversation_id: int, message_id: int):
    try:
        services.message_hide(user=request.user, message_id=message_id)
    except NotFound as error:
        raise Http404(error.message) from error
    if request.htmx:
        return HttpResponse("")  # the message's element is swapped for nothing
    messages.success(request, _("Message deleted for you."))
    return redirect(conversation_url(conversation_id))


@login_required
@require_POST
def leave(request, conversation_id: int):
    try:
        services.conversation_leave(user=request.user, conversation_id=conversation_id)
    except NotFound as error:
        raise Http404(error.message) from error
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(conversation_url(conversation_id))
    messages.success(request, _("You left the group."))
    return redirect("messages")


@login_required
@require_POST
def add_people(request, conversation_id: int):
    form = AddPeopleForm(request.POST)
    if form.is_valid() and (people := _people_for(request, form)) is not None:
        try:
            added = services.participants_add(
                actor=request.user, conversation_id=conversation_id, user_ids=[u.pk for u in people]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            names = ", ".join("@" + u.username for u in added)
            messages.success(request, _("Added %(names)s.") % {"names": names})
    else:
        messages.error(request, next(iter(form.errors.values()))[0])
    return redirect(conversation_url(conversation_id))


@login_required
@require_GET
def image_item(request, image_id: int):
    """A message's image as the chat shows it: what a "processing" placeholder asks for until it is ready."""
    image = selectors.image_for_viewer(request.user, image_id)
    if image is None:
        raise Http404("No such image.")
    return render(request, "social/messages/_image.html", {"image": image})
