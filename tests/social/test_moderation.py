"""Reports, the moderators' admin, the audit log, and suspension."""

import pytest
from django.test import Client

from social.graph import services as social
from social.messages import services as dm
from social.moderation import services as moderation
from social.moderation.models import ModerationAction, Report
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import services as tweets
from tweets.models import Tweet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("migration_data")]


@pytest.fixture
def mod_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def cast(db):
    troll, victim, friend = (
        UserFactory(username="troll"),
        UserFactory(username="victim"),
        UserFactory(username="friend"),
    )
    bad = post(troll, "You are all terrible #spam")
    return {"troll": troll, "victim": victim, "friend": friend, "bad": bad}


def report(api, **body):
    return api.post("/api/v1/reports", {"reason": "abuse", **body}, format="json")


# --- reporting ------------------------------------------------------------------


def test_report_a_tweet_a_user_and_a_message_through_the_api(api_client, cast):
    troll, victim = cast["troll"], cast["victim"]
    api_client.force_authenticate(victim)
    tweet = report(api_client, targetType="tweet", targetId=str(cast["bad"].pk), text="Targets me daily")
    assert tweet.status_code == 201 and set(tweet.json()) == {"reportId"}
    assert report(api_client, targetType="user", targetId=str(troll.pk), reason="spam").status_code == 201
    message = dm.message_send(sender=troll, recipient_id=victim.pk, text="go away loser")
    assert report(api_client, targetType="message", targetId=str(message.pk)).status_code == 201
    rows = {r.target_type: r for r in Report.objects.all()}
    assert rows["tweet"].snapshot == "You are all terrible #spam" and rows["tweet"].text == "Targets me daily"
    assert rows["message"].snapshot == "go away loser" and rows["message"].target_user == troll
    assert {r.target_user for r in rows.values()} == {troll} and {r.status for r in rows.values()} == {"open"}


def test_a_retweet_is_reported_as_the_post_it_shares(api_client, cast):
    retweet, _ = tweets.retweet_create(user=cast["friend"], tweet_id=cast["bad"].pk)
    api_client.force_authenticate(cast["victim"])
    assert report(api_client, targetType="tweet", targetId=str(retweet.pk)).status_code == 201
    assert Report.objects.get().target_id == cast["bad"].pk


def test_one_open_report_per_thing_per_reporter(api_client, cast, moderator):
    api_client.force_authenticate(cast["victim"])
    body = {"targetType": "tweet", "targetId": str(cast["bad"].pk)}
    assert report(api_client, **body).status_code == 201
    again = report(api_client, **body)
    assert again.status_code == 409 and "already reported" in again.json()["error"]
    moderation.report_close(moderator=moderator, report=Report.objects.get(), status="dismissed")
    assert report(api_client, **body).status_code == 201  # a closed report doesn't block a new one
    api_client.force_authenticate(cast["friend"])
    assert report(api_client, **body).status_code == 201  # others report independently
    assert Report.objects.count() == 3


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"targetType": "tweet", "targetId": "999999999"}, 404, None),
        ({"targetType": "video", "targetId": "1"}, 400, "targetType"),
        ({"targetType": "user", "targetId": "abc"}, 400, "targetId"),
        ({"targetType": "user", "targetId": "SELF"}, 403, "targetId"),  # well-formed, refused
        ({"targetType": "user", "targetId": "TROLL", "reason": "meh"}, 400, "reason"),
        ({"targetType": "user", "targetId": "TROLL", "text": "x" * 1001}, 400, "text"),
        ({"targetType": "tweet", "targetId": "PRIVATE"}, 404, None),
        ({"targetType": "message", "targetId": "OTHERS"}, 404, None),
    ],
)
def test_bad_reports_change_nothing(api_client, cast, body, status, field):
    victim, troll = cast["victim"], cast["troll"]
    hidden = UserFactory(username="hidden", is_private=True)
    private_post = post(hidden, "followers only")
    others = dm.message_send(sender=troll, recipient_id=cast["friend"].pk, text="not yours to see")
    ids = {"SELF": victim.pk, "TROLL": troll.pk, "PRIVATE": private_post.pk, "OTHERS": others.pk}
    body = {**body, "targetId": str(ids.get(body["targetId"], body["targetId"]))}
    api_client.force_authenticate(victim)
    response = report(api_client, **body)
    assert response.status_code == status, response.content
    if field:
        assert field in response.json()["fields"]
    assert not Report.objects.exists()


def test_reports_need_a_login(api_client, cast):
    assert report(api_client, targetType="tweet", targetId=str(cast["bad"].pk)).status_code == 401


def test_report_buttons_and_the_report_page(client, cast):
    victim, bad = cast["victim"], cast["bad"]
    client.force_login(victim)
    assert f"/report/tweet/{bad.pk}" in client.get(f"/@troll/status/{bad.pk}").content.decode()
    assert f"/report/user/{cast['troll'].pk}" in client.get("/@troll").content.decode()
    message = dm.message_send(sender=cast["troll"], recipient_id=victim.pk, text="psst")
    chat = client.get(f"/messages/{message.conversation_id}").content.decode()
    assert f"/report/message/{message.pk}" in chat
    assert client.get(f"/report/message/{message.pk}").status_code == 200

    page = client.get(f"/report/tweet/{bad.pk}", HTTP_REFERER=f"http://testserver/@troll/status/{bad.pk}")
    html = page.content.decode()
    assert page.status_code == 200 and "You are all terrible" in html and "Abuse or harassment" in html
    missing = client.post(f"/report/tweet/{bad.pk}", {"next": "/"})
    assert missing.status_code == 400 and not Report.objects.exists()
    sent = client.post(f"/report/tweet/{bad.pk}", {"reason": "hate", "text": "", "next": f"/@troll/status/{bad.pk}"})
    assert sent.status_code == 302 and sent["Location"] == f"/@troll/status/{bad.pk}"
    assert Report.objects.get().reason == "hate"
    twice = client.post(f"/report/tweet/{bad.pk}", {"reason": "hate", "next": "/"})
    assert twice.status_code == 400 and "already reported" in twice.content.decode()
    assert client.get(f"/report/tweet/{bad.pk + 1}").status_code == 404
    assert f"/report/tweet/{bad.pk}" not in client.get(f"/@victim/status/{post(victim, 'mine').pk}").content.decode()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/report/post/1", 404),  # no such kind
        ("/report/tweet/99999999999999999999", 404),  # past 64 bits
        ("/report/user/9223372036854775808", 404),
        ("/report/message/123456789012345678901234567890", 404),
        ("/report/tweet/-1", 404),
        ("/report/tweet/1%00", 400),  # a NUL byte is refused before any view
    ],
)
def test_report_pages_for_what_cannot_be_change_nothing(client, cast, path, status):
    client.force_login(cast["victim"])
    assert client.get(path).status_code == status
    assert client.post(path, {"reason": "hate", "next": "/"}).status_code == status
    assert not Report.objects.exists()


# --- the admin ----------------------------------------------------------------


@pytest.fixture
def open_report(cast):
    return moderation.report_create(reporter=cast["victim"], target_type="tweet", target_id=cast["bad"].pk,
                                    reason="abuse", text="please look")  # fmt: skip


def test_the_queue_filters_by_status_and_type_and_previews_the_target(mod_client, cast, open_report):
    moderation.report_create(reporter=cast["friend"], target_type="user", target_id=cast["troll"].pk, reason="spam")
    queue = mod_client.get("/admin/moderation/report/", {"status__exact": "open", "target_type__exact": "tweet"})
    assert queue.status_code == 200
    assert [r.pk for r in queue.context["cl"].result_list] == [open_report.pk]
    assert {s.field_path for s in queue.context["cl"].filter_specs} == {"status", "target_type", "reason"}
    page = mod_client.get(f"/admin/moderation/report/{open_report.pk}/change/").content.decode()
    assert "You are all terrible" in page and f"/@troll/status/{cast['bad'].pk}" in page
    assert f"/admin/moderation/report/{open_report.pk}/act/" in page and "@troll" in page


def act(client, report, action, reason=""):
    return client.post(f"/admin/moderation/report/{report.pk}/act/", {"action": action, "reason": reason})


def test_resolve_and_dismiss_are_logged(mod_client, moderator, cast, open_report):
    assert act(mod_client, open_report, "resolve", "talked to them").status_code == 302
    open_report.refresh_from_db()
    assert open_report.status == "resolved" and open_report.handled_by == moderator
    second = moderation.report_create(reporter=cast["friend"], target_type="tweet", target_id=cast["bad"].pk,
                                      reason="spam")  # fmt: skip
    assert act(mod_client, second, "dismiss").status_code == 302
    second.refresh_from_db()
    assert second.status == "dismissed"
    assert list(ModerationAction.objects.order_by("pk").values_list("action", "moderator", "reason")) == [
        ("resolve", moderator.pk, "talked to them"), ("dismiss", moderator.pk, ""),
    ]  # fmt: skip
    again = act(mod_client, second, "resolve")
    assert again.status_code == 200 and "already dismissed" in again.content.decode()


def test_remove_a_post_with_a_reason_the_author_sees(mod_client, moderator, cast, open_report):
    bad = cast["bad"]
    refused = act(mod_client, open_report, "remove_tweet", "")
    assert refused.status_code == 200 and "Give a reason" in refused.content.decode()
    assert Tweet.objects.filter(pk=bad.pk).exists()
    assert act(mod_client, open_report, "remove_tweet", "Harassment is not allowed.").status_code == 302
    assert not Tweet.objects.filter(pk=bad.pk).exists()
    entry = ModerationAction.objects.get(action="remove_tweet")
    assert (entry.snapshot, entry.tweet_id, entry.target_user, entry.report) == (
        "You are all terrible #spam",
        bad.pk,
        cast["troll"],
        open_report,
    )
    open_report.refresh_from_db()
    assert open_report.status == "resolved"
    author = Client()
    author.force_login(cast["troll"])
    notices = author.get("/notices").content.decode()
    assert "Harassment is not allowed." in notices and "You are all terrible" in notices
    page = author.get("/notifications").content.decode()
    assert "The moderators removed a post of yours" in page and 'href="/notices"' in page
    assert [n["type"] for n in author.get("/api/v1/notifications").json()["notifications"]] == ["post_removed"]


def test_suspend_and_unsuspend_from_a_report(mod_client, moderator, cast, open_report, api_client, token_for):
    troll = cast["troll"]
    token = token_for(troll)
    session = Client()
    session.force_login(troll)
    assert act(mod_client, open_report, "suspend", "").status_code == 200  # a reason is required
    assert act(mod_client, open_report, "suspend", "Repeated abuse").status_code == 302
    troll.refresh_from_db()
    assert troll.suspended_at and not troll.is_active and troll.suspension_reason == "Repeated abuse"
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/timeline/home").status_code == 401  # tokens revoked
    assert session.get("/").context["user"].is_anonymous  # the session no longer signs in
    assert not Client().login(username="troll", password="chirp-test-password")
    assert Client().get("/@troll").status_code == 404
    assert ModerationAction.objects.filter(action="suspend", target_user=troll, reason="Repeated abuse").exists()

    response = mod_client.post(
        "/admin/accounts/user/", {"action": "unsuspend_selected", "_selected_action": [troll.pk], "apply": "1",
                                  "reason": "Appeal accepted"})  # fmt: skip
    assert response.status_code == 302
    troll.refresh_from_db()
    assert troll.is_active and troll.suspended_at is None
    assert Client().get("/@troll").status_code == 200
    assert ModerationAction.objects.filter(action="unsuspend", reason="Appeal accepted").exists()


def test_suspend_from_the_user_list_asks_for_a_reason(mod_client, cast):
    troll = cast["troll"]
    ask = mod_client.post("/admin/accounts/user/", {"action": "suspend_selected", "_selected_action": [troll.pk]})
    assert ask.status_code == 200 and "Reason" in ask.content.decode() and "@troll" in ask.content.decode()
    empty = mod_client.post("/admin/accounts/user/", {"action": "suspend_selected", "_selected_action": [troll.pk],
                                                       "apply": "1", "reason": ""})  # fmt: skip
    assert empty.status_code == 200
    troll.refresh_from_db()
    assert troll.is_active
    done = mod_client.post("/admin/accounts/user/", {"action": "suspend_selected", "_selected_action": [troll.pk],
                                                      "apply": "1", "reason": "Spam wave"})  # fmt: skip
    assert done.status_code == 302
    troll.refresh_from_db()
    assert not troll.is_active and troll.suspension_reason == "Spam wave"


def test_staff_cant_be_suspended_by_moderators(mod_client):
    other_mod = UserFactory(username="mod2", is_staff=True)
    mod_client.post("/admin/accounts/user/", {"action": "suspend_selected", "_selected_action": [other_mod.pk],
                                              "apply": "1", "reason": "coup"})  # fmt: skip
    other_mod.refresh_from_db()
    assert other_mod.is_active


def test_the_audit_log_is_read_only_even_for_superusers(mod_client, moderator, cast, open_report):
    act(mod_client, open_report, "resolve", "ok")
    entry = ModerationAction.objects.get()
    boss = Client()
    boss.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    for client in (mod_client, boss):
        assert client.get("/admin/moderation/moderationaction/").status_code == 200
        assert client.get("/admin/moderation/moderationaction/add/").status_code == 403
        changed = client.post(f"/admin/moderation/moderationaction/{entry.pk}/change/", {"reason": "edited"})
        assert changed.status_code == 403
        assert client.post(f"/admin/moderation/moderationaction/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.reason == "ok"
    assert mod_client.post(f"/admin/moderation/report/{open_report.pk}/delete/", {"post": "yes"}).status_code == 403


def test_people_outside_the_moderators_cant_reach_the_queue(client, cast, open_report):
    client.force_login(UserFactory(username="staffer", is_staff=True))  # staff, but not a moderator
    assert client.get("/admin/moderation/report/").status_code == 403
    assert act(client, open_report, "suspend", "no").status_code == 403
    client.force_login(cast["victim"])
    assert client.get("/admin/moderation/report/").status_code == 302  # to the admin login


# --- suspension ---------------------------------------------------------------


def test_suspension_takes_the_accounts_likes_and_follows_out_of_the_counts(
    moderator, cast, django_capture_on_commit_callbacks
):
    troll, victim = cast["troll"], cast["victim"]
    liked = post(victim, "a post the troll liked")
    tweets.like_create(user=troll, tweet_id=liked.pk)
    tweets.retweet_create(user=troll, tweet_id=liked.pk)
    social.follow_create(follower=troll, followee=victim)
    social.follow_create(follower=cast["friend"], followee=troll)

    def counts():
        liked.refresh_from_db(), victim.refresh_from_db(), cast["friend"].refresh_from_db()
        return liked.like_count, liked.retweet_count, victim.followers_count, cast["friend"].following_count

    assert counts() == (1, 1, 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.user_suspend(moderator=moderator, user=troll, reason="abuse")
    assert counts() == (0, 0, 0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.user_unsuspend(moderator=moderator, user=troll, reason="appeal")
    assert counts() == (1, 1, 1, 1)


def test_a_suspended_accounts_notifications_leave_the_list_and_the_badge(client, moderator, cast):
    victim = cast["victim"]
    tweets.like_create(user=cast["troll"], tweet_id=post(victim, "hello").pk)
    client.force_login(victim)
    assert client.get("/api/v1/notifications").json()["unreadCount"] == 1
    moderation.user_suspend(moderator=moderator, user=cast["troll"], reason="abuse")
    body = client.get("/api/v1/notifications").json()
    assert body["notifications"] == [] and body["unreadCount"] == 0


def test_a_suspended_account_can_neither_send_nor_receive_messages(api_client, token_for, moderator, cast):
    troll, victim = cast["troll"], cast["victim"]
    troll_token = token_for(troll)
    moderation.user_suspend(moderator=moderator, user=troll, reason="abuse")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {troll_token}")
    sent = api_client.post("/api/v1/messages", {"recipientId": str(victim.pk), "messageText": "hi"}, format="json")
    assert sent.status_code == 401
    api_client.credentials()
    api_client.force_authenticate(victim)
    to_them = api_client.post("/api/v1/messages", {"recipientId": str(troll.pk), "messageText": "hi"}, format="json")
    assert to_them.status_code == 404, to_them.content  # a suspended account is nobody, as a deleted one
    from social.messages.models import Message

    assert not Message.objects.exists()


def test_the_act_page_uses_the_admins_own_styles(mod_client, cast, open_report):
    """Issue 24: the admin's base, breadcrumbs and form markup, and no inline style the CSP would refuse."""
    response = mod_client.get(f"/admin/moderation/report/{open_report.pk}/act/")
    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["admin/moderation/report/act.html", "admin/base_site.html"]
    crumbs = html[html.index('<ol class="breadcrumbs">') : html.index("</ol>")]
    for link in ("/admin/", "/admin/moderation/", "/admin/moderation/report/", f"/{open_report.pk}/change/"):
        assert f'href="{link}' in crumbs or link in crumbs
    assert '<li aria-current="page">Act</li>' in crumbs
    assert '<fieldset class="module aligned">' in html and 'class="radiolist"' in html and 'class="submit-row"' in html
    assert "<h1>Act on report" in html and "You are all terrible" in html
    assert "<style" not in html.split('id="content-main"')[1] and 'style="' not in html
    assert "/static/css/admin.css" in html
    page = mod_client.get(f"/admin/moderation/report/{open_report.pk}/change/").content.decode()
    assert 'style="' not in page.split('id="content-main"')[1]  # the preview's blockquote too
