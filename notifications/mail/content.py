"""The reads behind a mail: a fixed number of queries however many items it lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Notification
from notifications.selectors import Group, group, visible_notifications
from social.graph.models import Follow
from social.graph.muted_words import matcher
from social.graph.visibility import tweets_visible_to
from social.messages.models import Message
from tweets.models import Tweet
from tweets.selectors import hydrate, tweets_with_authors

Verb = Notification.Verb
EXCERPT = 140  # characters of a reply's or mention's text in the mail
WEEKLY_POSTS = 10


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def verified_address(user_id: int) -> str | None:
    """The person's primary address if it is verified: mail goes nowhere else."""
    found = EmailAddress.objects.filter(user_id=user_id, primary=True, verified=True)
    return found.values_list("email", flat=True).first()


@dataclass
class Line:
    """One line of a mail: "Ann and Ben liked your post", with where to see it."""

    who: str
    what: str
    url: str
    created_at: datetime
    excerpt: str = ""


@dataclass
class Batch:
    lines: list[Line]
    count: int  # notifications, grouped or not, listed or not
    more: int  # beyond those listed
    newest: datetime | None  # the new watermark

    def __bool__(self) -> bool:
        return self.count > 0


def pending(user, verbs: list[str], since: datetime, limit: int | None = None) -> Batch:
    """The person's unread notifications of `verbs` made after `since` that they may still see.

    Withdrawn ones are gone from the table; those whose actor or post they may no
    longer see, or whose post their muted words hide, are left out, as on the page.
    """
    limit = limit or settings.EMAIL_DIGEST_MAX_ITEMS
    found = (
        visible_notifications(user)
        .filter(verb__in=verbs, read_at__isnull=True, created_at__gt=since)
        .select_related("tweet__author")
        .order_by("-created_at", "-id")
    )
    rows = list(found[:limit])
    total = len(rows) if len(rows) < limit else found.count()
    newest = rows[0].created_at if rows else None
    words = matcher(user, "notifications")
    if words:
        kept = [r for r in rows if r.tweet is None or r.tweet.author_id == user.pk or not words.hides(r.tweet)]
        total, rows = total - (len(rows) - len(kept)), kept
    for row in rows:
        row.card = row.tweet
    conversations = _conversations(user, [r.actor_id for r in rows if r.verb == Verb.MESSAGE])
    lines = [_line(g, conversations, user.pk) for g in group(rows)]
    return Batch(lines=lines, count=total, more=max(total - len(rows), 0), newest=newest)


def _conversations(user, sender_ids: list[int]) -> dict[int, int]:
    """Sender id -> the newest conversation of the person's in which they wrote (one query)."""
    if not sender_ids:
        return {}
    rows = (
        Message.objects.filter(sender_id__in=set(sender_ids), conversation__members__user=user)
        .order_by("sender_id", "-id")
        .distinct("sender_id")
        .values_list("sender_id", "conversation_id")
    )
    return dict(rows)


def names(actors: list) -> str:
    shown = [a.display_name for a in actors[:2]]
    others = len(actors) - len(shown)
    if others:
        said = ngettext("%(names)s and %(count)s other", "%(names)s and %(count)s others", others)
        return said % {"names": ", ".join(shown), "count": others}
    if len(shown) == 2:
        return _("%(first)s and %(second)s") % {"first": shown[0], "second": shown[1]}
    return "".join(shown)


def _line(found: Group, conversations: dict[int, int], user_id: int) -> Line:
    actor, tweet = found.actors[0], found.card
    who, what = names(found.actors), Verb(found.verb).label
    excerpt = ""
    if found.verb == Verb.MESSAGE:
        # Never the message itself: it is private, and mail travels and stays where we can't reach.
        conversation = conversations.get(actor.pk)
        url = reverse("conversation", args=[conversation]) if conversation else reverse("messages")
    elif found.verb in (Verb.FOLLOW, Verb.FOLLOW_ACCEPTED):
        url = reverse("profile", args=[actor.username])
    elif found.verb == Verb.FOLLOW_REQUEST:
        url = reverse("follow-requests")
    elif found.verb == Verb.EXPORT_READY:
        who, what, url = "", _("Your data export is ready"), reverse("settings-account") + "#export"
    elif found.verb == Verb.POST_REMOVED:
        who, what, url = "", _("The moderators removed a post of yours"), reverse("moderation-notices")
    elif found.verb == Verb.POLL_ENDED:  # the author is the actor: say whose poll instead
        who, what = "", _("Your poll has ended") if actor.pk == user_id else _("A poll you voted in has ended")
        url = reverse("tweet", kwargs={"username": tweet.author.username, "tweet_id": tweet.pk}) if tweet else "/"
    elif tweet is not None:
        url = reverse("tweet", kwargs={"username": tweet.author.username, "tweet_id": tweet.pk})
        if found.verb in (Verb.REPLY, Verb.MENTION, Verb.QUOTE):
            excerpt = _excerpt(tweet)
    else:
        url = reverse("notifications")
    return Line(who=who, what=what, url=absolute(url), created_at=found.created_at, excerpt=excerpt)


def _excerpt(tweet: Tweet) -> str:
    if tweet.content_warning:
        return _("Content warning: %(warning)s") % {"warning": tweet.content_warning}
    text = " ".join(tweet.text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


@dataclass
class Post:
    author: str
    handle: str
    excerpt: str
    likes: int
    url: str


def weekly_posts(user, limit: int = WEEKLY_POSTS) -> list[Post]:
    """The most-liked posts of the last week by people the person follows, as their home shows them:
    visible to them, without muted people or posts their muted words hide there. Not replies
    (out of their thread they read poorly) nor retweets (the original counts its likes)."""
    followed = Follow.objects.filter(follower=user).values("followee_id")
    rows = list(
        tweets_with_authors()
        .filter(author_id__in=followed, retweet_of__isnull=True, reply_to__isnull=True, like_count__gt=0)
        .filter(created_at__gte=timezone.now() - timedelta(days=7))
        .filter(tweets_visible_to(user))
        .order_by("-like_count", "-id")[: limit * 3]  # room for what hydrating drops
    )
    shown = hydrate(rows, user, hide_muted=True, muted_in="home")[:limit]
    return [
        Post(
            author=t.author.display_name,
            handle=t.author.username,
            excerpt=_excerpt(t) or (_("A post with media") if t.has_media else ""),
            likes=t.like_count,
            url=absolute(reverse("tweet", kwargs={"username": t.author.username, "tweet_id": t.pk})),
        )
        for t in shown
    ]
