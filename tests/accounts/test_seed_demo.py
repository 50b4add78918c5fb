import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from notifications.models import ConversationMute, Notification
from search import trends
from social.graph.models import Block, FollowRequest, Mute, MutedWord
from social.messages.models import Conversation, Message, Participant
from social.moderation.models import Report
from tweets.models import Bookmark, Draft, Like, Media, Poll, Tweet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("migration_data")]


def test_seed_demo_builds_a_living_site_once(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the trend counts go to Redis after commit
        call_command("seed_demo")
    assert User.objects.filter(is_staff=False).count() == 30
    assert all(u.avatar for u in User.objects.filter(is_staff=False))
    assert Tweet.objects.filter(reply_to__isnull=False).exists()
    assert Tweet.objects.filter(retweet_of__isnull=False).exists()
    assert Tweet.objects.filter(quote_of__isnull=False).exists()
    assert (
        Tweet.objects.filter(hashtags__isnull=False).exists() and Tweet.objects.filter(mentions__isnull=False).exists()
    )
    assert Media.objects.exists() and Like.objects.exists()
    assert User.objects.get(username="wren").is_private
    assert FollowRequest.objects.filter(target__username="wren").exists()
    assert Block.objects.exists() and Mute.objects.exists()
    assert User.objects.order_by("-followers_count").first().followers_count >= 15  # a few popular accounts
    assert Conversation.objects.filter(is_group=True).exists() and Conversation.objects.filter(is_group=False).exists()
    assert Message.objects.count() >= 5
    ada_unread = Participant.objects.filter(user__username="ada", last_activity_id__gt=F("last_read_id"))
    assert ada_unread.exists()  # the demo login has something to read
    assert Report.objects.filter(status="open").count() == 2  # the moderator's queue isn't empty
    assert ConversationMute.objects.filter(user__username="ada").count() == 1  # her menu says "Unmute" somewhere
    people = User.objects.filter(is_staff=False)
    assert people.filter(pinned_tweet__isnull=False).count() == people.count()  # a pinned post per demo person
    assert all(u.pinned_tweet.author_id == u.pk for u in people.select_related("pinned_tweet"))
    assert Tweet.objects.exclude(content_warning="").exists()
    assert Tweet.objects.filter(sensitive=True, has_media=True).exclude(content_warning="").exists()
    assert Bookmark.objects.filter(user__username="ada").count() >= 3  # the demo login has saved posts
    running, ended = (
        Poll.objects.filter(closes_at__gt=timezone.now()),
        Poll.objects.filter(closes_at__lte=timezone.now()),
    )
    assert running.count() == 1 and running.get().votes_count == 14
    assert ended.count() == 1 and ended.get().notified_at is not None
    assert Notification.objects.filter(verb="poll_ended", recipient__username="ada").exists()
    assert MutedWord.objects.filter(user__username="ada").count() == 3  # 'spoilers', '#crypto', 'hot take'
    drafts = Draft.objects.filter(author__username="ada")
    assert drafts.filter(scheduled_at__isnull=True).exists() and drafts.filter(scheduled_at__isnull=False).exists()
    from timelines.models import List

    assert List.objects.filter(owner__username="ada", is_private=False, member_count__gte=5).exists()
    assert List.objects.filter(is_private=True).exists() and List.objects.count() >= 4

    assert {t["hashtag"] for t in trends.compute()[:2]} == {"eclipse", "launchday"}

    call_command("seed_demo", "--if-empty")
    assert "already has users" in capsys.readouterr().out
    assert User.objects.filter(is_staff=False).count() == 30
