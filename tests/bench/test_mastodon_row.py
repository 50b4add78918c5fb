"""The bench's Mastodon home row: its tokens read Mastodon's home timeline, and its report line compares."""

import pytest
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from bench import mastodon
from tests.factories import UserFactory
from tweets import services as tweets

pytestmark = pytest.mark.django_db


def test_the_rows_tokens_read_mastodons_home_timeline():
    readers = [UserFactory(), UserFactory()]
    tweets.tweet_create(author=readers[0], text_input="bench")
    plan = mastodon.requests(mastodon.make_tokens([u.pk for u in readers]))
    assert len(plan) == 2
    # An app per reader, as each installation of a client registers its own (none shares a rate limit).
    assert AccessToken.objects.values("application").distinct().count() == 2
    client = APIClient()
    answer = client.get(plan[0]["path"], HTTP_AUTHORIZATION=plan[0]["headers"]["Authorization"])
    assert answer.status_code == 200 and answer.json()[0]["content"]  # Mastodon's Status entities
    assert mastodon.make_tokens([readers[0].pk])  # a second run replaces the app and its tokens


def test_the_report_line_gives_both_and_their_ratio():
    def row(p95, cpu):
        return {"runs": [{"server_ms": {"p95": p95}}], "cpu_ms": {"total": cpu}}

    line = mastodon.line({"home_api": row(10.0, 4.0), "mastodon_home": row(11.0, 4.4)})
    assert "p95 11.0 vs 10.0 ms (1.10x)" in line and "4.4 vs 4.0 ms (1.10x)" in line
    assert mastodon.line({}) == "- Mastodon home timeline: not measured"
    refused = row(3.0, 1.0)
    refused["runs"][0]["errors"] = 40
    assert "40 errors: not comparable" in mastodon.line({"home_api": row(10.0, 4.0), "mastodon_home": refused})
