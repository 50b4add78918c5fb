"""Pages for tweets: compose, the conversation page, actions, lists, edit and delete."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from config.kernel import abuse
from config.kernel.api.fields import MAX_ID
from config.kernel.api.idempotency import claim_form_token
from config.kernel.api.pagination import PageRequest
from config.kernel.errors import ServiceError
from config.kernel.http import add_form_error, error_toast, safe_next
from tweets import cards, selectors, services
from tweets.forms import ComposeForm, EditForm
from tweets.models import Media


def tweet_url(tweet) -> str:
    return reverse("tweet", args=[tweet.author.username, tweet.pk])


def _page(request) -> PageRequest:
    return PageRequest.from_query_or_first(request.GET)


def _visible_tweet(username: str, tweet_id: int, viewer):
    tweet = selectors.tweet_for_viewer(tweet_id, viewer)
    if tweet is None:
        raise Http404("That post doesn't exist or was deleted.")
    return tweet


def _own_tweet(username: str, tweet_id: int, viewer):
    """The viewer's own post; anyone else's has no edit page to show (404, not a form that then refuses)."""
    tweet = _visible_tweet(username, tweet_id, viewer)
    if tweet.author_id != viewer.pk:
        raise Http404("That post doesn't exist or was deleted.")
    return tweet


# The API's field names on the compose and edit forms; any other refusal shows above the form.
FORM_FIELDS = {"text": "text", "mediaIds": "images", "contentWarning": "content_warning", "poll": "poll_choice_1"}


# --- posting ---------------------------------------------------------------------

# As the post page includes it.
REPLY_BOX = {"placeholder": gettext_lazy("Post your reply"), "submit": gettext_lazy("Reply"), "rows": 2}


def _box_labels(form) -> dict:
    """The reply box keeps its words when htmx swaps it back (after a post, or with an error)."""
    reply_to = form["reply_to"].value()
    return REPLY_BOX if reply_to not in (None, "") else {}


@login_required
@require_http_methods(["GET", "POST"])
def compose(request):
    """The compose form's target (and, for phones or after an error, its own page)."""
    quoted = None
    quote_id = request.GET.get("quote") or request.POST.get("quote_of")
    if quote_id and str(quote_id).isdigit():
        quoted = selectors.tweet_for_viewer(int(quote_id), request.user)
    initial = {"quote_of": quoted.original.pk} if quoted else {}
    form = ComposeForm(request.POST or None, request.FILES or None, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        alts = form.alt_texts()
        uploads = [(image, alts[i] if i < len(alts) else "") for i, image in enumerate(data["images"])]
        try:
            with transaction.atomic():
                if not claim_form_token(request.user, data["form_token"]):
                    messages.info(request, _("That post was already sent."))
                    return redirect(safe_next(request, reverse("home")))
                tweet = services.tweet_create(
                    author=request.user,
                    text_input=data["text"],
                    uploads=uploads,
                    reply_to_id=data.get("reply_to"),
                    quote_of_id=data.get("quote_of"),
                    content_warning=data["content_warning"],
                    sensitive=data["sensitive"],
                    **form.poll(),
                    link_card=not data["no_card"],
                )
        except ServiceError as error:
            add_form_error(form, error, FORM_FIELDS)
            refusal = error
        else:
            if request.htmx:
                # A fresh, empty box (text, images, descriptions, poll, warning), still a reply box if it was one.
                fresh = ComposeForm(initial={"reply_to": data.get("reply_to")})
                context = {"form": fresh, "new_tweet": selectors.as_posted(tweet, request.user)}
                return render(request, "tweets/_compose_result.html", {**context, **_box_labels(fresh)})
            messages.success(request, _("Your post was sent."))
            return redirect(tweet_url(tweet) if data.get("quote_of") else safe_next(request, tweet_url(tweet)))
    status = 400 if form.is_bound and form.errors else 200
    if request.htmx and form.is_bound:
        response = render(request, "tweets/_compose.html", {"form": form, **_box_labels(form)}, status=status)
    else:
        response = render(request, "tweets/compose.html", {"form": form, "quoted": quoted}, status=status)
    return abuse.page_status(response, refusal)


# --- reading --------------------------------------------------------------------


def tweet_page(request, username: str, tweet_id: int):
    tweet = _visible_tweet(username, tweet_id, request.user)
    if tweet.author.username != username:
        return redirect(tweet_url(tweet), permanent=True)
    if tweet.retweet_of_id:
        return redirect(tweet_url(tweet.original))
    page = _page(request)
    # A self-thread reads as one: the author's own next parts follow the post, and leave its replies.
    continuation = selectors.thread_continuation(tweet, request.user)
    exclude = (continuation[0].pk,) if continuation else ()
    replies, next_cursor = selectors.replies(tweet, request.user, page, exclude=exclude)
    if request.htmx and page.cursor:
        return render(request, "tweets/_feed_page.html", {"tweets": replies, "next_cursor": next_cursor})
    ancestors, top_missing = selectors.ancestors(tweet, request.user)
    for part in (*ancestors, tweet, *continuation):
        part.original.in_self_thread = False  # this page is the thread: no "Show this thread" on its parts
    context = {
        "tweet": tweet,
        "ancestors": ancestors,
        "continuation": continuation,
        "top_missing": top_missing,
        "tweets": replies,
        "next_cursor": next_cursor,
        "reply_form": ComposeForm(initial={"reply_to": tweet.pk}) if request.user.is_authenticated else None,
        "reply_box": REPLY_BOX,
    }
    return render(request, "tweets/detail.html", context)


def _people_page(request, username: str, tweet_id: int, select, title: str):
    tweet = _visible_tweet(username, tweet_id, request.user)
    people, next_cursor = select(tweet.original, request.user, _page(request))
    context = {"tweet": tweet, "people": people, "next_cursor": next_cursor, "title": title}
    return render(request, "tweets/people.html", context)


def likers_page(request, username: str, tweet_id: int):
    return _people_page(request, username, tweet_id, selectors.likers, _("Liked by"))


def retweeters_page(request, username: str, tweet_id: int):
    return _people_page(request, username, tweet_id, selectors.retweeters, _("Retweeted by"))


def history_page(request, username: str, tweet_id: int):
    tweet = _visible_tweet(username, tweet_id, request.user)
    return render(request, "tweets/history.html", {"tweet": tweet, "versions": selectors.edit_history(tweet)})


# --- changing -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_page(request, username: str, tweet_id: int):
    tweet = _own_tweet(username, tweet_id, request.user)
    initial = {"text": tweet.text, "content_warning": tweet.content_warning, "sensitive": tweet.sensitive}
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.tweet_edit(
                actor=request.user,
                tweet=tweet,
                text_input=data["text"],
                content_warning=data["content_warning"],
                sensitive=data["sensitive"],
            )
        except ServiceError as error:
            add_form_error(form, error, FORM_FIELDS)
            if error.status == 403:
                return render(request, "tweets/edit.html", {"form": form, "tweet": tweet}, status=403)
        else:
            messages.success(request, _("Your post was edited."))
            return redirect(tweet_url(tweet))
    status = 400 if form.errors else 200
    return render(request, "tweets/edit.html", {"form": form, "tweet": tweet}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete_page(request, username: str, tweet_id: int):
    tweet = _visible_tweet(username, tweet_id, request.user)
    if request.method == "POST":
        try:
            services.tweet_delete(actor=request.user, tweet=tweet)
        except ServiceError as error:
            return render(request, "403.html", {"reason": error.message}, status=error.status)
        messages.success(request, _("Your post was deleted."))
        return redirect("profile", username=request.user.username)
    if tweet.author_id != request.user.pk:
        return render(request, "403.html", {"reason": _("You can only delete your own posts.")}, status=403)
    return render(request, "tweets/delete.html", {"tweet": tweet})


# --- likes and retweets --------------------------------------------------------------


def _action(request, tweet_id: int, act, note: str = ""):
    """Run `act`; htmx gets the post's action bar back (and `note` as a passing toast), a form a redirect."""
    try:
        act()
    except ServiceError as error:
        if request.htmx:
            return error_toast(request, error)
        messages.error(request, error.message)
        return redirect(safe_next(request, reverse("home")))
    if request.htmx:
        tweet = selectors.tweet_for_viewer(tweet_id, request.user)
        shared = cards.page(user=request.user, request=request)
        actions = cards.render("tweets/actions.jinja", {"t": tweet.original if tweet else None}, shared)
        if note:
            actions += render_to_string("tweets/_bookmark_toast.html", {"note": note}, request)
        return HttpResponse(actions)
    if note:
        messages.success(request, note)
    return redirect(safe_next(request, reverse("home")))


@login_required
@require_POST
def like(request, tweet_id: int):
    return _action(request, tweet_id, lambda: services.like_create(user=request.user, tweet_id=tweet_id))


@login_required
@require_POST
def unlike(request, tweet_id: int):
    return _action(request, tweet_id, lambda: services.like_delete(user=request.user, tweet_id=tweet_id))


@login_required
@require_POST
def retweet(request, tweet_id: int):
    return _action(request, tweet_id, lambda: services.retweet_create(user=request.user, tweet_id=tweet_id))


@login_required
@require_POST
def unretweet(request, tweet_id: int):
    return _action(request, tweet_id, lambda: services.retweet_delete(user=request.user, tweet_id=tweet_id))


# --- pinning ---------------------------------------------------------------------------


def _pin_action(request, act, done: str):
    """Pin or unpin from a post's menu; a refusal (someone else's post) is a page that says why, and nothing changes."""
    try:
        act()
    except ServiceError as error:
        return render(request, "403.html", {"reason": error.message}, status=error.status)
    messages.success(request, done)
    return redirect(safe_next(request, reverse("profile", args=[request.user.username])))


@login_required
@require_POST
def pin(request, tweet_id: int):
    act = lambda: services.tweet_pin(user=request.user, tweet_id=tweet_id)  # noqa: E731
    return _pin_action(request, act, _("Your post was pinned to your profile."))


@login_required
@require_POST
def unpin(request, tweet_id: int):
    act = lambda: services.tweet_unpin(user=request.user, tweet_id=tweet_id)  # noqa: E731
    return _pin_action(request, act, _("Your post was unpinned from your profile."))


# --- bookmarks and quotes ------------------------------------------------------------


@login_required
@require_POST
def bookmark(request, tweet_id: int):
    tweet_id = min(tweet_id, MAX_ID)  # past 64 bits names nothing (and must not reach the database)
    act = partial(services.bookmark_create, user=request.user, tweet_id=tweet_id)
    return _action(request, tweet_id, act, note=_("Added to your Bookmarks."))


@login_required
@require_POST
def unbookmark(request, tweet_id: int):
    tweet_id = min(tweet_id, MAX_ID)
    act = partial(services.bookmark_delete, user=request.user, tweet_id=tweet_id)
    return _action(request, tweet_id, act, note=_("Removed from your Bookmarks."))


@login_required
def bookmarks_page(request):
    page = _page(request)
    tweets, next_cursor = selectors.bookmarks(request.user, page)
    context = {"tweets": tweets, "next_cursor": next_cursor}
    if request.htmx and page.cursor:
        return render(request, "tweets/_feed_page.html", context)
    return render(request, "tweets/bookmarks.html", context)


def quotes_page(request, username: str, tweet_id: int):
    tweet = _visible_tweet(username, tweet_id, request.user)
    if tweet.retweet_of_id or tweet.author.username != username:
        return redirect("tweet-quotes", tweet.original.author.username, tweet.original.pk)
    page = _page(request)
    tweets, next_cursor = selectors.quotes(tweet, request.user, page)
    context = {"tweet": tweet, "tweets": tweets, "next_cursor": next_cursor}
    if request.htmx and page.cursor:
        return render(request, "tweets/_feed_page.html", context)
    return render(request, "tweets/quotes.html", context)


@require_http_methods(["GET"])
def media_item(request, media_id: int):
    """One image of a post as the card shows it: what a "processing" placeholder asks for until it is ready."""
    item = Media.objects.filter(pk=media_id).first()
    if item is None:
        raise Http404("No such image.")
    viewer = request.user
    if item.tweet_id is None:
        if not viewer.is_authenticated or item.owner_id != viewer.pk:
            raise Http404("No such image.")
    elif selectors.tweet_for_viewer(item.tweet_id, viewer) is None:
        raise Http404("No such image.")
    return HttpResponse(cards.render("tweets/media_item.jinja", {"item": item}, cards.page(user=viewer)))
