"""The drafts and scheduled pages: save from the compose form, list, edit, post now, cancel, bad input."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.images import png_upload
from tests.tweets.helpers import post
from tweets import draft_services, services
from tweets.models import Draft, Media, Tweet
from tweets.tasks import publish_scheduled_posts

pytestmark = pytest.mark.django_db

LISBON = zoneinfo.ZoneInfo("America/Sao_Paulo")


def wall(delta: timedelta, zone=LISBON) -> str:
    return (timezone.now() + delta).astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def compose(client, **fields):
    body = {"text": "Saved for later", "form_token": fields.pop("form_token", None) or _token(), **fields}
    return client.post("/drafts/save", body)


def _token():
    import uuid

    return str(uuid.uuid4())


def test_save_draft_from_the_compose_form_with_an_image(client_logged_in, user):
    answer = compose(client_logged_in, later="draft", images=png_upload(), alt_0="A red square")
    assert answer.status_code == 302 and answer["Location"] == "/drafts"
    draft = Draft.objects.get()
    assert draft.text == "Saved for later" and draft.scheduled_at is None
    assert Media.objects.get().alt_text == "A red square"
    assert not Tweet.objects.exists()
    page = client_logged_in.get("/drafts")
    assert "Saved for later" in page.content.decode() and "A red square" in page.content.decode()


def test_schedule_from_the_compose_form_in_the_browser_zone(client_logged_in):
    local = wall(timedelta(days=1))
    answer = compose(client_logged_in, later="schedule", scheduled_at=local, tz="America/Sao_Paulo")
    assert answer.status_code == 302 and answer["Location"] == "/scheduled"
    draft = Draft.objects.get()
    assert draft.time_zone == "America/Sao_Paulo"
    assert draft.scheduled_at.astimezone(LISBON).strftime("%Y-%m-%dT%H:%M") == local
    page = client_logged_in.get("/scheduled").content.decode()
    shown = datetime.strptime(local, "%Y-%m-%dT%H:%M")
    assert f"{shown:%H:%M} (America/Sao Paulo)" in page


def test_an_unknown_zone_is_utc(client_logged_in):
    local = wall(timedelta(days=1), zoneinfo.ZoneInfo("UTC"))
    compose(client_logged_in, later="schedule", scheduled_at=local, tz="Mars/Olympus")
    draft = Draft.objects.get()
    assert draft.time_zone == "UTC"
    assert draft.scheduled_at.strftime("%Y-%m-%dT%H:%M") == local


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"later": "schedule", "scheduled_at": ""}, "Pick a date and time"),
        ({"later": "schedule", "scheduled_at": "not a date"}, "Enter a valid date/time"),
        ({"later": "schedule", "scheduled_at": wall(-timedelta(hours=1))}, "at least 5 minutes ahead"),
        ({"later": "schedule", "scheduled_at": wall(timedelta(days=400))}, "at most a year ahead"),
        ({"later": "draft", "text": "  "}, "Write something"),
        ({"later": "draft", "text": "x" * 281}, "at most 280 characters"),
        ({"later": "sometime"}, "Select a valid choice"),
    ],
)
def test_bad_input_shows_a_message_and_saves_nothing(client_logged_in, fields, message):
    answer = compose(client_logged_in, tz="America/Sao_Paulo", **fields)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert message in page
    if fields.get("scheduled_at"):
        assert f'value="{fields["scheduled_at"]}"' in page  # what was typed stays in the form
    assert not Draft.objects.exists() and not Media.objects.exists()


def test_htmx_save_redirects_the_page(client_logged_in):
    answer = client_logged_in.post(
        "/drafts/save", {"text": "from htmx", "form_token": _token(), "later": "draft"}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200 and answer["HX-Redirect"] == "/drafts"


def test_a_double_submit_saves_once(client_logged_in):
    token = _token()
    compose(client_logged_in, later="draft", form_token=token)
    compose(client_logged_in, later="draft", form_token=token)
    assert Draft.objects.count() == 1


def test_edit_schedule_and_post_now(client_logged_in, user):
    draft = draft_services.draft_create(author=user, text_input="first words", time_zone="UTC")
    page = client_logged_in.get(f"/drafts/{draft.pk}/edit")
    assert page.status_code == 200 and "first words" in page.content.decode()

    local = wall(timedelta(hours=3), zoneinfo.ZoneInfo("UTC"))
    answer = client_logged_in.post(
        f"/drafts/{draft.pk}/edit", {"text": "better words", "scheduled_at": local, "tz": "UTC", "action": "save"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/scheduled"
    draft.refresh_from_db()
    assert draft.text == "better words" and draft.scheduled_at is not None

    bad = client_logged_in.post(
        f"/drafts/{draft.pk}/edit", {"text": "worse", "scheduled_at": wall(-timedelta(days=1)), "action": "save"}
    )
    assert bad.status_code == 400 and "at least 5 minutes ahead" in bad.content.decode()
    draft.refresh_from_db()
    assert draft.text == "better words"

    answer = client_logged_in.post(f"/drafts/{draft.pk}/publish")
    tweet = Tweet.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/status/{tweet.pk}")
    assert tweet.text == "better words"
    assert "better words" not in client_logged_in.get("/scheduled").content.decode()


def test_cancel_a_scheduled_post_in_place(client_logged_in, user):
    draft = draft_services.draft_create(
        author=user, text_input="never mind", scheduled_at=timezone.now() + timedelta(hours=1)
    )
    answer = client_logged_in.post(f"/drafts/{draft.pk}/delete", HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and answer.content == b""
    assert not Draft.objects.exists()


def test_someone_elses_draft_pages_are_404(client_logged_in, other_user):
    theirs = draft_services.draft_create(author=other_user, text_input="bob's secret plan")
    assert client_logged_in.get(f"/drafts/{theirs.pk}/edit").status_code == 404
    assert client_logged_in.post(f"/drafts/{theirs.pk}/edit", {"text": "mine now"}).status_code == 404
    assert client_logged_in.post(f"/drafts/{theirs.pk}/delete").status_code == 404
    assert client_logged_in.post(f"/drafts/{theirs.pk}/publish").status_code == 404
    assert "bob&#x27;s secret plan" not in client_logged_in.get("/drafts").content.decode()
    theirs.refresh_from_db()
    assert theirs.text == "bob's secret plan" and not Tweet.objects.exists()


def test_signed_out_goes_to_login(client):
    assert client.get("/drafts").status_code == 302
    assert client.get("/scheduled").status_code == 302
    assert client.post("/drafts/save", {"text": "x"}).status_code == 302


def test_pages_have_a_fixed_query_count(client_logged_in, user, django_assert_max_num_queries):
    for index in range(10):
        picture = services.media_upload(owner=user, upload=png_upload())
        draft_services.draft_create(author=user, text_input=f"draft {index}", media_ids=[picture.pk])
        draft_services.draft_create(
            author=user, text_input=f"scheduled {index}", scheduled_at=timezone.now() + timedelta(hours=index + 1)
        )
    for url, text in (("/drafts", "draft 9"), ("/scheduled", "scheduled 9")):
        with django_assert_max_num_queries(5):  # session user, drafts, images, the two unread badges
            page = client_logged_in.get(url)
        assert text in page.content.decode()


def test_the_compose_form_offers_save_draft_and_schedule(client_logged_in):
    page = client_logged_in.get("/").content.decode()
    assert 'formaction="/drafts/save"' in page and 'type="datetime-local"' in page


def test_a_failed_scheduled_post_says_why_on_the_page(client_logged_in, user, other_user):
    parent = post(other_user, "soon gone")
    draft = draft_services.draft_create(
        author=user, text_input="late reply", reply_to_id=parent.pk, scheduled_at=timezone.now() + timedelta(hours=1)
    )
    services.tweet_delete(actor=other_user, tweet=parent)
    Draft.objects.filter(pk=draft.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    publish_scheduled_posts()
    page = client_logged_in.get("/scheduled").content.decode()
    assert "Not posted:" in page and "late reply" in page and "deleted" in page
    edit = client_logged_in.get(f"/drafts/{draft.pk}/edit").content.decode()
    assert "It couldn't be posted" in edit


def test_the_compose_forms_removed_card_is_kept_by_the_draft_and_its_edit_page(client_logged_in, user):
    compose(client_logged_in, later="draft", text="no card https://example.com/a", no_card="True")
    compose(client_logged_in, later="draft", text="a card https://example.com/b", no_card="False")
    removed, kept = Draft.objects.filter(author=user).order_by("created_at", "id")
    assert (removed.link_card, kept.link_card) == (False, True)
    page = client_logged_in.get(f"/drafts/{removed.pk}/edit").content.decode()
    assert 'name="link_card"' in page and "Show a link preview" in page
    # Ticking the box brings the card back; leaving it unticked removes it.
    client_logged_in.post(f"/drafts/{removed.pk}/edit", {"text": "no card https://example.com/a", "link_card": "on"})
    client_logged_in.post(f"/drafts/{kept.pk}/edit", {"text": "a card https://example.com/b"})
    removed.refresh_from_db()
    kept.refresh_from_db()
    assert (removed.link_card, kept.link_card) == (True, False)
