"""Mastodon's scheduled statuses over Chirp's scheduled drafts (issue 22)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.mastodon.helpers import link_of, masto
from tweets import draft_services
from tweets.models import Draft

pytestmark = pytest.mark.django_db


def _scheduled(author, text, hours):
    return draft_services.draft_create(
        author=author, text_input=text, scheduled_at=timezone.now() + timedelta(hours=hours)
    )


def test_list_get_reschedule_cancel(user, django_assert_max_num_queries):
    drafts = [_scheduled(user, f"later {i}", hours=i + 1) for i in range(3)]
    draft_services.draft_create(author=user, text_input="a plain draft")  # not scheduled: not listed
    api = masto(user)
    with django_assert_max_num_queries(8):
        page = api.get("/api/v1/scheduled_statuses", {"limit": 2})
    assert [s["id"] for s in page.json()] == [str(drafts[0].pk), str(drafts[1].pk)]
    assert page.json()[0]["params"]["text"] == "later 0"
    assert [s["id"] for s in api.get(link_of(page, "next")).json()] == [str(drafts[2].pk)]
    assert api.get(f"/api/v1/scheduled_statuses/{drafts[0].pk}").json()["id"] == str(drafts[0].pk)
    when = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    moved = api.put(f"/api/v1/scheduled_statuses/{drafts[0].pk}", {"scheduled_at": when.isoformat()}, format="json")
    assert moved.status_code == 200
    drafts[0].refresh_from_db()
    assert drafts[0].scheduled_at == when
    assert api.delete(f"/api/v1/scheduled_statuses/{drafts[1].pk}").status_code == 200
    assert not Draft.objects.filter(pk=drafts[1].pk).exists()


def test_bad_times_are_422_and_change_nothing(user):
    draft = _scheduled(user, "soon", hours=1)
    before = draft.scheduled_at
    api = masto(user)
    for value in [
        "tomorrow",
        "2030-01-01T10:00:00",
        "2030-13-45T10:00:00Z",
        (timezone.now() + timedelta(minutes=1)).isoformat(),
        5,
    ]:
        response = api.put(f"/api/v1/scheduled_statuses/{draft.pk}", {"scheduled_at": value}, format="json")
        assert response.status_code == 422, value
    draft.refresh_from_db()
    assert draft.scheduled_at == before


def test_someone_elses_or_a_plain_draft_is_404(user):
    theirs = _scheduled(UserFactory(), "theirs", hours=1)
    plain = draft_services.draft_create(author=user, text_input="plain")
    api = masto(user)
    for draft in (theirs, plain):
        assert api.get(f"/api/v1/scheduled_statuses/{draft.pk}").status_code == 404
        assert api.delete(f"/api/v1/scheduled_statuses/{draft.pk}").status_code == 404
    assert api.get("/api/v1/scheduled_statuses/nope").status_code == 404
    assert Draft.objects.count() == 2
    assert masto(user, "read:accounts").get("/api/v1/scheduled_statuses").status_code == 403
    assert masto(user, "read:statuses").delete(f"/api/v1/scheduled_statuses/{plain.pk}").status_code == 403
