"""Drafts and scheduled posts through the API: save, list, edit, reschedule, cancel, publish now, bad input."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.lifecycle.export import ExportFiles
from config.kernel.media_tasks import process_image
from tests.factories import UserFactory
from tests.images import png_upload
from tests.tweets.helpers import post
from tweets import draft_services, services
from tweets.account_data import export_user
from tweets.models import Draft, Media, Tweet
from tweets.tasks import purge_unattached_media

pytestmark = pytest.mark.django_db


def ahead(**delta) -> str:
    return (timezone.now() + timedelta(**delta)).isoformat()


def upload(owner) -> Media:
    return services.media_upload(owner=owner, upload=png_upload())


def test_save_list_and_read_a_draft(user, user_api):
    picture = upload(user)
    answer = user_api.post(
        "/api/v1/drafts",
        {"text": "  Half a thought  ", "mediaIds": [str(picture.pk)], "contentWarning": "spoilers",
         "sensitive": True, "poll": {"choices": ["yes", "no"], "durationMinutes": 60}},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    draft = answer.json()["draft"]
    assert draft["text"] == "Half a thought"
    assert draft["mediaIds"] == [str(picture.pk)]
    assert draft["contentWarning"] == "spoilers" and draft["sensitive"] is True
    assert draft["poll"] == {"choices": ["yes", "no"], "durationMinutes": 60}
    assert draft["scheduledAt"] is None and draft["replyToId"] is None
    listed = user_api.get("/api/v1/drafts").json()
    assert [d["id"] for d in listed["drafts"]] == [draft["id"]] and listed["nextCursor"] is None
    assert user_api.get(f"/api/v1/drafts/{draft['id']}").json()["draft"]["text"] == "Half a thought"
    assert user_api.get("/api/v1/scheduled").json()["scheduled"] == []
    assert not Tweet.objects.exists()  # nothing was posted


def test_someone_elses_draft_is_404_and_unchanged(user, other_user, api_as):
    mine = api_as(user).post("/api/v1/drafts", {"text": "private plan"}, format="json").json()["draft"]
    theirs = api_as(other_user)
    for method in ("get", "patch", "delete"):
        answer = getattr(theirs, method)(f"/api/v1/drafts/{mine['id']}", {"text": "hacked"}, format="json")
        assert answer.status_code == 404
    assert theirs.post(f"/api/v1/drafts/{mine['id']}/publish").status_code == 404
    assert theirs.get("/api/v1/drafts").json()["drafts"] == []
    assert Draft.objects.get().text == "private plan"
    assert not Tweet.objects.exists()


def test_anonymous_gets_401(api_client):
    assert api_client.get("/api/v1/drafts").status_code == 401
    assert api_client.post("/api/v1/scheduled", {"text": "x"}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x" * 281}, "text"),
        ({"text": ""}, "text"),
        ({"text": "   \u200b "}, "text"),
        ({"text": 5}, "text"),
        ({"text": "a\x00b"}, None),
        ({"text": "ok", "contentWarning": "w" * 101}, "contentWarning"),
        ({"text": "ok", "poll": {"choices": ["only one"]}}, "poll"),
        ({"text": "ok", "poll": {"choices": ["a", "b", "c", "d", "e"]}}, "poll"),
        ({"text": "ok", "poll": {"choices": ["a", "b" * 26]}}, "poll"),
        ({"text": "ok", "poll": {"choices": ["a", "b"], "durationMinutes": 4}}, "poll"),
        ({"text": "ok", "poll": {"choices": ["a", "b"], "durationMinutes": 7 * 24 * 60 + 1}}, "poll"),
        ({"text": "ok", "mediaIds": ["999"]}, "mediaIds"),
        ({"text": "ok", "mediaIds": "1"}, "mediaIds"),
        ({"text": "ok", "sensitive": "yes"}, "sensitive"),
    ],
)
def test_bad_drafts_are_refused_and_nothing_is_saved(user_api, body, field):
    answer = user_api.post("/api/v1/drafts", body, format="json")
    assert answer.status_code in (400, 404), answer.content
    payload = answer.json()
    assert payload["error"]
    if field:
        assert field in str(payload.get("fields", {})) or field == "mediaIds"
    assert not Draft.objects.exists()


def test_someone_elses_upload_cant_go_in_a_draft(user, other_user, user_api):
    theirs = upload(other_user)
    answer = user_api.post("/api/v1/drafts", {"text": "x", "mediaIds": [str(theirs.pk)]}, format="json")
    assert answer.status_code == 404
    assert not Draft.objects.exists()


def test_schedule_a_post_and_see_it_listed(user_api):
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    answer = user_api.post(
        "/api/v1/scheduled",
        {"text": "Launch day!", "scheduledAt": when.isoformat(), "timeZone": "Europe/Lisbon"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    item = answer.json()["draft"]
    assert item["scheduledAt"] == when.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert item["timeZone"] == "Europe/Lisbon" and item["status"] == "pending"
    assert [s["id"] for s in user_api.get("/api/v1/scheduled").json()["scheduled"]] == [item["id"]]
    assert user_api.get("/api/v1/drafts").json()["drafts"] == []
    assert user_api.get(f"/api/v1/drafts/{item['id']}").status_code == 404  # it is under /scheduled


@pytest.mark.parametrize(
    "when",
    [
        lambda: ahead(minutes=-10),  # in the past
        lambda: ahead(minutes=2),  # too soon
        lambda: ahead(days=366),  # beyond a year
        lambda: "tomorrow",
        lambda: 1_800_000_000,
        lambda: None,
    ],
)
def test_a_time_in_the_past_or_beyond_a_year_is_400(user_api, when):
    answer = user_api.post("/api/v1/scheduled", {"text": "x", "scheduledAt": when()}, format="json")
    assert answer.status_code == 400
    assert "scheduledAt" in answer.json()["fields"]
    assert not Draft.objects.exists()


def test_scheduled_needs_a_time(user_api):
    answer = user_api.post("/api/v1/scheduled", {"text": "x"}, format="json")
    assert answer.status_code == 400 and "scheduledAt" in answer.json()["fields"]


def test_edit_reschedule_unschedule_and_cancel(user_api):
    item = user_api.post("/api/v1/scheduled", {"text": "v1", "scheduledAt": ahead(hours=1)}, format="json").json()
    url = f"/api/v1/scheduled/{item['draft']['id']}"
    later = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    answer = user_api.patch(url, {"text": "v2", "scheduledAt": later.isoformat()}, format="json")
    assert answer.status_code == 200
    assert answer.json()["draft"]["text"] == "v2"
    assert answer.json()["draft"]["scheduledAt"] == later.strftime("%Y-%m-%dT%H:%M:%SZ")

    # A bad reschedule changes nothing.
    assert user_api.patch(url, {"text": "v3", "scheduledAt": ahead(minutes=-1)}, format="json").status_code == 400
    assert user_api.get(url).json()["draft"]["text"] == "v2"

    # Back to drafts, then scheduled again from there.
    assert user_api.patch(url, {"scheduledAt": None}, format="json").json()["draft"]["scheduledAt"] is None
    draft_url = f"/api/v1/drafts/{item['draft']['id']}"
    assert user_api.get(draft_url).status_code == 200
    assert user_api.patch(draft_url, {"scheduledAt": ahead(hours=2)}, format="json").status_code == 200
    assert user_api.delete(url).json() == {"message": "The draft was deleted."}
    assert user_api.get(url).status_code == 404
    assert not Draft.objects.exists()


def test_publish_now_posts_through_tweet_create(user, other_user, user_api):
    parent = post(other_user, "Question?")
    picture = upload(user)
    draft = user_api.post(
        "/api/v1/drafts",
        {"text": "Answer #drafts", "replyToId": str(parent.pk), "mediaIds": [str(picture.pk)]},
        format="json",
    ).json()["draft"]
    answer = user_api.post(f"/api/v1/drafts/{draft['id']}/publish")
    assert answer.status_code == 201, answer.json()
    tweet = answer.json()["tweetData"]
    assert tweet["text"] == "Answer #drafts" and tweet["replyToTweetId"] == str(parent.pk)
    assert tweet["hashtags"] == ["drafts"] and [m["id"] for m in tweet["media"]] == [str(picture.pk)]
    assert user_api.get("/api/v1/drafts").json()["drafts"] == []
    assert user_api.post(f"/api/v1/drafts/{draft['id']}/publish").status_code == 404  # once
    parent.refresh_from_db()
    assert parent.reply_count == 1


def test_publish_now_refused_keeps_the_draft(user, other_user, user_api):
    parent = post(other_user, "soon gone")
    draft = user_api.post("/api/v1/drafts", {"text": "reply", "replyToId": str(parent.pk)}, format="json").json()
    services.tweet_delete(actor=other_user, tweet=parent)
    answer = user_api.post(f"/api/v1/drafts/{draft['draft']['id']}/publish")
    assert answer.status_code == 404 and answer.json()["error"]
    assert Draft.objects.get().status == Draft.Status.PENDING
    assert not Tweet.objects.filter(author=user).exists()


def test_idempotency_key_creates_one_draft(user_api):
    headers = {"HTTP_IDEMPOTENCY_KEY": "draft-1"}
    first = user_api.post("/api/v1/drafts", {"text": "once"}, format="json", **headers)
    second = user_api.post("/api/v1/drafts", {"text": "once"}, format="json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Draft.objects.count() == 1


def test_draft_images_outlive_the_unattached_purge_and_go_with_the_draft(user, user_api, settings):
    kept, loose = upload(user), upload(user)
    draft = user_api.post("/api/v1/drafts", {"text": "x", "mediaIds": [str(kept.pk)]}, format="json").json()
    Media.objects.update(created_at=timezone.now() - settings.UNATTACHED_MEDIA_TTL - timedelta(hours=1))
    purge_unattached_media()
    assert list(Media.objects.values_list("pk", flat=True)) == [kept.pk]
    assert loose.pk != kept.pk
    user_api.delete(f"/api/v1/drafts/{draft['draft']['id']}")
    assert not Media.objects.exists()


def test_lists_page_by_cursor(user, user_api):
    for index in range(3):
        user_api.post("/api/v1/scheduled", {"text": f"s{index}", "scheduledAt": ahead(hours=index + 1)}, format="json")
        user_api.post("/api/v1/drafts", {"text": f"d{index}"}, format="json")
    first = user_api.get("/api/v1/scheduled?limit=2").json()
    rest = user_api.get(f"/api/v1/scheduled?limit=2&cursor={first['nextCursor']}").json()
    assert [s["text"] for s in first["scheduled"] + rest["scheduled"]] == ["s0", "s1", "s2"]
    assert rest["nextCursor"] is None
    first = user_api.get("/api/v1/drafts?limit=2").json()
    rest = user_api.get(f"/api/v1/drafts?limit=2&cursor={first['nextCursor']}").json()
    assert [d["text"] for d in first["drafts"] + rest["drafts"]] == ["d2", "d1", "d0"]
    assert user_api.get("/api/v1/drafts?limit=0").status_code == 400


def test_api_lists_have_a_fixed_query_count(user, user_api, django_assert_max_num_queries):
    for index in range(8):
        picture = upload(user)
        user_api.post("/api/v1/drafts", {"text": f"d{index}", "mediaIds": [str(picture.pk)]}, format="json")
        user_api.post("/api/v1/scheduled", {"text": f"s{index}", "scheduledAt": ahead(hours=1)}, format="json")
    for url in ("/api/v1/drafts", "/api/v1/scheduled"):
        with django_assert_max_num_queries(3):  # the token, the page of drafts, their images
            answer = user_api.get(url)
        assert len(next(iter(answer.json().values()))) == 8


def test_many_people_many_drafts_each_sees_own(api_as):
    people = [UserFactory() for _ in range(3)]
    for person in people:
        api_as(person).post("/api/v1/drafts", {"text": f"by {person.username}"}, format="json")
    for person in people:
        assert [d["text"] for d in api_as(person).get("/api/v1/drafts").json()["drafts"]] == [f"by {person.username}"]


def _plan(queryset) -> str:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")


def test_the_lists_and_the_due_sweep_use_their_indexes(user):
    from tweets.draft_selectors import _base

    drafts = _base(user).filter(scheduled_at__isnull=True).order_by("-id")[:21]
    scheduled = _base(user).filter(scheduled_at__isnull=False).order_by("scheduled_at", "id")[:21]
    due = Draft.objects.filter(
        status=Draft.Status.PENDING, scheduled_at__isnull=False, scheduled_at__lte=timezone.now()
    ).order_by("scheduled_at")[:20]
    assert "draft_author_drafts" in _plan(drafts)
    assert "draft_author_scheduled" in _plan(scheduled)
    assert "draft_due" in _plan(due)


def test_a_reply_to_a_post_you_cant_see_is_404(user, other_user, user_api):
    other_user.is_private = True
    other_user.save()
    hidden = post(other_user, "followers only")
    answer = user_api.post("/api/v1/drafts", {"text": "hi", "replyToId": str(hidden.pk)}, format="json")
    assert answer.status_code == 404 and "replyToId" in answer.json()["fields"]
    answer = user_api.post("/api/v1/drafts", {"text": "hi", "quoteOfId": "123456"}, format="json")
    assert answer.status_code == 404 and "quoteOfId" in answer.json()["fields"]
    assert not Draft.objects.exists()


@pytest.mark.parametrize("zone", ["Not/AZone", "", "x" * 64, "../../etc/passwd"])
def test_an_unknown_time_zone_is_utc(user_api, zone):
    answer = user_api.post(
        "/api/v1/scheduled", {"text": "x", "scheduledAt": ahead(hours=1), "timeZone": zone}, format="json"
    )
    assert answer.status_code == 201 and answer.json()["draft"]["timeZone"] == "UTC"


def test_hostile_shapes_are_400(user_api):
    for body in (
        {"text": ["a"]},
        {"text": "x", "poll": "yes,no"},
        {"text": "x", "poll": {"choices": "ab"}},
        {"text": "x", "poll": {"choices": [1, 2]}},
        {"text": "x", "poll": {"choices": ["a", "b"], "durationMinutes": "lots"}},
        {"text": "x", "replyToId": 12},
        {"text": "x", "timeZone": "y" * 65},
        {"text": "x", "scheduledAt": "99999-01-01T00:00:00Z"},
    ):
        answer = user_api.post("/api/v1/scheduled", {"scheduledAt": ahead(hours=1), **body}, format="json")
        assert answer.status_code == 400, (body, answer.content)
        assert answer.json()["error"]
    assert user_api.post("/api/v1/drafts", "[]", content_type="application/json").status_code == 400
    assert not Draft.objects.exists()


def test_the_data_export_holds_the_drafts_with_their_images(user, other_user):
    picture = upload(user)
    process_image(Media._meta.label, picture.pk)  # what the worker does after commit
    draft = draft_services_create(user, "for later", media_ids=[picture.pk])
    scheduled = draft_services_create(
        user, "tomorrow", scheduled_at=timezone.now() + timedelta(days=1), link_card=False
    )
    draft_services_create(other_user, "not hers")
    files = ExportFiles()
    found = dict(export_user(user=user, files=files))["drafts.json"]
    assert [(d["id"], d["text"]) for d in found] == [(str(draft.pk), "for later"), (str(scheduled.pk), "tomorrow")]
    assert found[0]["media"][0]["file"] == f"media/drafts/{draft.pk}-1.png"
    assert found[1]["scheduledAt"] is not None and found[1]["status"] == "pending"
    assert (found[0]["linkCard"], found[1]["linkCard"]) == (True, False)


def draft_services_create(author, text, **kwargs):
    return draft_services.draft_create(author=author, text_input=text, **kwargs)


def test_a_draft_remembers_that_the_card_was_removed(user, user_api, link_server, django_capture_on_commit_callbacks):
    url = link_server.url("/article")
    kept = user_api.post("/api/v1/drafts", {"text": f"card {url}"}, format="json").json()["draft"]
    assert kept["linkCard"] is True  # the default
    answer = user_api.post("/api/v1/drafts", {"text": f"no card {url}", "linkCard": False}, format="json")
    assert answer.status_code == 201, answer.json()
    removed = answer.json()["draft"]
    assert removed["linkCard"] is False and Draft.objects.get(pk=removed["id"]).link_card is False
    # A PATCH without it leaves it alone; with it, changes it.
    changed = user_api.patch(f"/api/v1/drafts/{kept['id']}", {"text": f"still {url}"}, format="json").json()
    assert changed["draft"]["linkCard"] is True
    bad = user_api.patch(f"/api/v1/drafts/{kept['id']}", {"linkCard": "no"}, format="json")
    assert bad.status_code == 400 and Draft.objects.get(pk=kept["id"]).link_card is True
    with django_capture_on_commit_callbacks(execute=True):
        published = user_api.post(f"/api/v1/drafts/{removed['id']}/publish").json()
    assert published["tweetData"]["card"] is None and Tweet.objects.get(pk=published["tweetId"]).link_card_id is None
    assert link_server.requests["/article"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        published = user_api.post(f"/api/v1/drafts/{kept['id']}/publish").json()
    assert Tweet.objects.get(pk=published["tweetId"]).link_card.title == "Rust & Django: a love story"


def test_a_scheduled_post_takes_link_card_false(user_api):
    answer = user_api.post(
        "/api/v1/scheduled", {"text": "later, no card", "scheduledAt": ahead(hours=2), "linkCard": False}, format="json"
    )
    assert answer.status_code == 201 and answer.json()["draft"]["linkCard"] is False
    turned = user_api.patch(f"/api/v1/scheduled/{answer.json()['draft']['id']}", {"linkCard": True}, format="json")
    assert turned.status_code == 200 and turned.json()["draft"]["linkCard"] is True
