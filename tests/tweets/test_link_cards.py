"""Link preview cards, end to end against a real HTTP server on 127.0.0.1 (tests/link_server.py).

Posts go through the API; the after-commit task runs in-process (eager), as a
worker would run it, and the answers are read back as a client sees them.
"""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from config.celery import app
from tests import images
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets import link_cards, tasks
from tweets.models import LinkCard, Tweet

pytestmark = pytest.mark.django_db

CARD_KEYS = {"url", "title", "description", "siteName", "imageUrl", "imageWidth", "imageHeight"}


@pytest.fixture
def send(user_api, django_capture_on_commit_callbacks):
    """Post as alice through the API, running what follows the commit (the card's task among it)."""

    def send(text, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = user_api.post("/api/v1/tweets", {"text": text, **extra}, format="json")
        assert response.status_code == 201, response.content
        return response.json()["tweetId"]

    return send


def card_of(api, tweet_id):
    response = api.get(f"/api/v1/tweets/{tweet_id}")
    assert response.status_code == 200
    return response.json()["tweet"]["card"]


def test_a_post_with_a_link_gets_the_pages_card_with_our_own_copy_of_its_image(send, user_api, link_server):
    tweet_id = send(f"Worth reading: {link_server.url('/article')} (long)")
    card = card_of(user_api, tweet_id)
    assert set(card) == CARD_KEYS
    assert card["url"] == link_server.url("/article")
    assert card["title"] == "Rust & Django: a love story"
    assert card["description"] == "How two communities learned from each other."
    assert card["siteName"] == "The Example Times"
    # Re-encoded by the image pipeline and served from our media, never the site's URL.
    assert card["imageUrl"].startswith("http://testserver/media/cards/") and card["imageUrl"].endswith(".webp")
    assert (card["imageWidth"], card["imageHeight"]) == (600, 315)
    stored = LinkCard.objects.get()
    with stored.image.open("rb") as file, Image.open(file) as image:
        assert image.format == "WEBP" and image.size == (600, 315)
    assert link_server.user_agents[0] == "Chirp link preview (+http://localhost:8000)"
    assert link_server.requests["/article"] == 1 and link_server.requests["/image.png"] == 1


def test_many_posts_of_one_url_share_one_fetch(send, user_api, api_as, other_user, link_server):
    first = send(f"{link_server.url('/article')}")
    second = send(f"again {link_server.url('/article')}#comments")  # the fragment names the same page
    with_bob = api_as(other_user)
    assert card_of(user_api, first) == card_of(user_api, second) == card_of(with_bob, second)
    assert link_server.requests["/article"] == 1 and link_server.requests["/image.png"] == 1
    assert LinkCard.objects.count() == 1


def test_a_card_a_day_old_keeps_showing_and_is_fetched_again_by_the_next_post(send, user_api, link_server):
    first = send(link_server.url("/article"))
    LinkCard.objects.update(fetched_at=timezone.now() - timedelta(days=1, minutes=1))
    assert card_of(user_api, first)["title"] == "Rust & Django: a love story"  # stale, still served
    link_server.page("/article", '<html><head><meta property="og:title" content="Updated title"></head></html>')
    second = send(f"still good {link_server.url('/article')}")
    assert link_server.requests["/article"] == 2
    assert card_of(user_api, first)["title"] == card_of(user_api, second)["title"] == "Updated title"
    assert card_of(user_api, second)["imageUrl"] is None  # the page no longer names an image
    assert LinkCard.objects.count() == 1


def test_a_refetch_that_fails_keeps_the_card_it_had(send, user_api, link_server):
    first = send(link_server.url("/article"))
    LinkCard.objects.update(fetched_at=timezone.now() - timedelta(days=2))
    link_server.page("/article", "gone", "text/plain")
    send(f"again {link_server.url('/article')}")
    assert card_of(user_api, first)["title"] == "Rust & Django: a love story"
    assert LinkCard.objects.get().fetched_at > timezone.now() - timedelta(minutes=1)  # not retried for a day


def test_the_author_can_post_without_the_card(send, user_api, link_server):
    tweet_id = send(link_server.url("/article"), card=False)
    assert card_of(user_api, tweet_id) is None
    assert link_server.requests["/article"] == 0


def test_card_must_be_true_or_false(user_api):
    response = user_api.post("/api/v1/tweets", {"text": "hi", "card": "no"}, format="json")
    assert response.status_code == 400 and "card" in response.json()["fields"]


@pytest.mark.parametrize(
    ("path", "title", "description"),
    [
        ("/plain", "Just a title", "And a description."),  # <title> and the meta description
        ("/twitter", "Twitter title", "Twitter words"),  # Twitter's card tags
        ("/oembed", "Title from oEmbed", "From the page"),  # the oEmbed discovery link fills the title
    ],
)
def test_cards_fall_back_from_opengraph(send, user_api, link_server, path, title, description):
    card = card_of(user_api, send(link_server.url(path)))
    assert (card["title"], card["description"]) == (title, description)
    if path == "/oembed":
        assert card["siteName"] == "Embedly" and card["imageUrl"].endswith(".webp")


def test_page_text_is_cleaned_and_cut_to_the_cards_lengths(send, user_api, link_server):
    card = card_of(user_api, send(link_server.url("/dirty")))
    assert card["title"].startswith("Badtitlewithcontrolsand") and len(card["title"]) == 200
    assert not any(ord(c) < 32 or c == "\u202e" for c in card["title"] + card["description"] + card["siteName"])
    assert len(card["description"]) == 300 and len(card["siteName"]) == 100
    assert card["imageUrl"] is None  # a javascript: image is no image


def test_an_image_that_isnt_one_leaves_the_card_without_an_image(send, user_api, link_server):
    for path in ("/fake-image", "/with-pdf-image"):
        card = card_of(user_api, send(f"{path} {link_server.url(path)}"))
        assert card["title"] == "T" and card["imageUrl"] is None


def test_only_the_first_link_gets_a_card(send, user_api, link_server):
    tweet_id = send(f"{link_server.url('/plain')} and {link_server.url('/article')}")
    assert card_of(user_api, tweet_id)["title"] == "Just a title"
    assert link_server.requests["/article"] == 0


def test_a_post_with_images_gets_no_card(user, link_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tweet = post(user, link_server.url("/article"), uploads=[(images.png_upload(), "a picture")])
    assert Tweet.objects.get(pk=tweet.pk).link_card_id is None
    assert link_server.requests["/article"] == 0


def test_an_edit_that_changes_the_first_link_changes_the_card(
    send, user_api, link_server, django_capture_on_commit_callbacks
):
    tweet_id = send(link_server.url("/article"))
    with django_capture_on_commit_callbacks(execute=True):
        response = user_api.patch(f"/api/v1/tweets/{tweet_id}", {"text": f"see {link_server.url('/plain')}"})
    assert response.status_code == 200
    assert card_of(user_api, tweet_id)["title"] == "Just a title"
    with django_capture_on_commit_callbacks(execute=True):
        user_api.patch(f"/api/v1/tweets/{tweet_id}", {"text": f"see this: {link_server.url('/plain')}"})
    assert card_of(user_api, tweet_id)["title"] == "Just a title"
    assert link_server.requests["/plain"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        user_api.patch(f"/api/v1/tweets/{tweet_id}", {"text": "no link any more"})
    assert card_of(user_api, tweet_id) is None


def test_the_task_is_idempotent_and_ignores_a_link_edited_away(user, link_server):
    url = link_server.url("/article")
    tweet = post(user, url)  # no commit here: the task is run by hand, twice, as a redelivery would
    assert tasks.attach_link_card(tweet.pk, url) is True
    assert tasks.attach_link_card(tweet.pk, url) is True
    assert link_server.requests["/article"] == 1
    assert tasks.attach_link_card(tweet.pk, link_server.url("/plain")) is False  # not the post's link
    assert link_server.requests["/plain"] == 0
    assert tasks.attach_link_card(10**15, url) is False  # a deleted post


def test_a_post_with_a_content_warning_shows_its_card_inside_the_fold(send, client_logged_in, user, link_server):
    tweet_id = send(link_server.url("/article"), contentWarning="spoilers")
    html = client_logged_in.get(f"/@{user.username}/status/{tweet_id}").content.decode()
    fold = html[html.index('class="tweet-cw"') : html.index("</details>", html.index('class="tweet-cw"'))]
    assert "link-card" in fold and "Rust &amp; Django: a love story" in fold


def test_the_card_shows_under_the_post_as_one_link(send, client_logged_in, user, link_server):
    send(f"look {link_server.url('/article')}")
    html = client_logged_in.get(f"/@{user.username}").content.decode()
    start = html.index('<a class="link-card')
    anchor = html[start : html.index(">", start)]
    assert f'href="{link_server.url("/article")}"' in anchor
    assert 'rel="noopener noreferrer nofollow ugc"' in anchor and 'target="_blank"' in anchor
    assert "/media/cards/" in html and "The Example Times" in html


def test_a_page_of_posts_with_cards_costs_one_query_more_whatever_its_size(client, user, link_server):
    """The cards come in one query for the page (none when no post has one): 5 and 50 posts alike."""
    viewer = UserFactory(username="viewer")
    client.force_login(viewer)
    urls = [link_server.url("/article"), link_server.url("/plain")]
    counts = {}
    for size in (5, 50):
        while user.tweets.count() < size:
            i = user.tweets.count()
            tweet = post(user, f"post {i} {urls[i % 2]}")
            tasks.attach_link_card(tweet.pk, urls[i % 2])
        for name, path in (("page", f"/@{user.username}"), ("api", f"/api/v1/timeline/user/{user.pk}")):
            client.get(path, {"limit": 50})  # the first request after a login lists its session (Settings > Security)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, {"limit": 50})
            assert response.status_code == 200
            counts[name, size] = len(captured)
        client.force_login(user)  # the author's own home timeline, once built (the first read rebuilds it)
        client.get("/", {"limit": 50})
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/", {"limit": 50}).status_code == 200
        counts["home", size] = len(captured)
        client.force_login(viewer)
    for name in ("page", "api", "home"):
        assert counts[name, 5] == counts[name, 50] and counts[name, 50] <= 16, (name, counts)
    plain = UserFactory(username="plain")  # the same page without cards: one query fewer
    for i in range(5):
        post(plain, f"post {i} without a link")
    client.get("/@plain", {"limit": 50})  # after the login above: its session's row, once
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/@plain", {"limit": 50}).status_code == 200
    assert counts["page", 50] == len(captured) + 1
    assert link_server.requests["/article"] == 1 and link_server.requests["/plain"] == 1
    cards = client.get(f"/api/v1/timeline/user/{user.pk}", {"limit": 50}).json()["tweets"]
    assert all(entry["card"]["title"] for entry in cards)


# --- the compose box's preview --------------------------------------------------------------


def test_the_preview_is_queued_then_answered(user_api, link_server, django_capture_on_commit_callbacks):
    url = link_server.url("/article")
    with django_capture_on_commit_callbacks(execute=True):
        first = user_api.get("/api/v1/cards/preview", {"url": url})
    assert first.status_code == 202 and first.json() == {"state": "pending", "card": None}
    answer = user_api.get("/api/v1/cards/preview", {"url": url})
    assert answer.status_code == 200 and answer.json()["state"] == "ok"
    assert answer.json()["card"]["title"] == "Rust & Django: a love story"
    assert link_server.requests["/article"] == 1


def test_a_pending_preview_queues_one_fetch_however_often_it_is_asked(
    user_api, link_server, django_capture_on_commit_callbacks
):
    url = link_server.url("/slow-to-come")
    with django_capture_on_commit_callbacks() as queued:
        for _ in range(5):
            assert user_api.get("/api/v1/cards/preview", {"url": url}).status_code == 202
    assert len(queued) == 1


def test_a_refused_preview_answers_failed(user_api, link_server, settings, django_capture_on_commit_callbacks):
    settings.LINK_PREVIEW_ALLOW_LOOPBACK = False
    with django_capture_on_commit_callbacks(execute=True):
        user_api.get("/api/v1/cards/preview", {"url": "http://127.0.0.1:5432/"})
    answer = user_api.get("/api/v1/cards/preview", {"url": "http://127.0.0.1:5432/"})
    assert answer.status_code == 200 and answer.json() == {"state": "failed", "card": None}


@pytest.mark.parametrize(
    "url", ["ftp://example.com/", "not a url", "javascript:alert(1)", "http://", " ", "http://[::"]
)
def test_a_preview_of_what_isnt_an_http_url_is_failed_and_stores_nothing(user_api, url):
    response = user_api.get("/api/v1/cards/preview", {"url": url})
    assert response.status_code == 200 and response.json() == {"state": "failed", "card": None}
    assert not LinkCard.objects.exists()


@pytest.mark.parametrize("query", [{}, {"url": ""}, {"url": "https://example.com/" + "a" * 2030}])
def test_a_preview_without_a_url_or_with_a_huge_one_is_400(user_api, query):
    response = user_api.get("/api/v1/cards/preview", query)
    assert response.status_code == 400 and "url" in response.json()["fields"]


def test_the_preview_needs_an_account_and_is_rate_limited(api_client, user_api, settings):
    assert api_client.get("/api/v1/cards/preview", {"url": "https://example.com/"}).status_code == 401
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "link_preview": "2/min"},
    }
    codes = [user_api.get("/api/v1/cards/preview", {"url": f"https://example.com/{i}"}).status_code for i in range(3)]
    assert codes[2] == 429 and "Retry-After" in user_api.get("/api/v1/cards/preview", {"url": "https://x.org"})


def test_a_private_accounts_post_leaks_nothing_through_its_card(api_as, other_user, link_server):
    """Cards are by URL (public data about a public page): the preview names no post and no person,
    and the post's own card is only in its JSON, which follows the post's visibility."""
    secret = UserFactory(username="secret", is_private=True)
    tweet = post(secret, link_server.url("/article"))
    tasks.attach_link_card(tweet.pk, link_server.url("/article"))
    stranger = api_as(other_user)
    assert stranger.get(f"/api/v1/tweets/{tweet.pk}").status_code == 404
    answer = stranger.get("/api/v1/cards/preview", {"url": link_server.url("/article")}).json()
    assert set(answer) == {"state", "card"} and set(answer["card"]) == CARD_KEYS
    assert "secret" not in str(answer) and str(tweet.pk) not in str(answer)
    assert api_as(secret).get(f"/api/v1/tweets/{tweet.pk}").json()["tweet"]["card"]["title"]


def test_urls_are_normalised_to_one_card_per_page():
    same = ["HTTP://Example.COM:80/a?b=1#top", "http://example.com/a?b=1", "http://example.com./a?b=1#x"]
    assert {link_cards.normalise_url(u) for u in same} == {"http://example.com/a?b=1"}
    assert link_cards.normalise_url("https://Bücher.example/") == "https://xn--bcher-kva.example/"
    assert link_cards.normalise_url("https://example.com:8443") == "https://example.com:8443/"


# --- the compose page (the fragment static/js/linkcard.js shows, and posting without the card) ----------


def test_the_compose_box_fragment_is_loading_then_the_card_with_its_remove_button(
    client_logged_in, link_server, django_capture_on_commit_callbacks
):
    url = link_server.url("/article")
    with django_capture_on_commit_callbacks(execute=True):
        first = client_logged_in.get("/compose/card-preview", {"url": url})
    assert first.status_code == 202 and b"Loading the link preview" in first.content
    answer = client_logged_in.get("/compose/card-preview", {"url": url})
    html = answer.content.decode()
    assert answer.status_code == 200 and "Rust &amp; Django: a love story" in html
    assert "data-link-card-remove" in html and 'aria-label="Remove the link preview"' in html
    assert client_logged_in.get("/compose/card-preview", {"url": "ftp://x.org/"}).status_code == 204


def test_the_compose_box_fragment_shares_the_apis_rate_limit(client_logged_in, user_api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "link_preview": "2/min"},
    }
    assert user_api.get("/api/v1/cards/preview", {"url": "https://example.com/1"}).status_code == 202
    assert client_logged_in.get("/compose/card-preview", {"url": "https://example.com/2"}).status_code == 202
    assert client_logged_in.get("/compose/card-preview", {"url": "https://example.com/3"}).status_code == 429


def test_the_compose_form_posts_without_the_card_when_it_was_removed(
    client_logged_in, user, link_server, django_capture_on_commit_callbacks
):
    url = link_server.url("/article")
    with django_capture_on_commit_callbacks(execute=True):
        client_logged_in.post("/compose", {"text": f"no card {url}", "no_card": "True", "form_token": uuid.uuid4()})
        client_logged_in.post("/compose", {"text": f"a card {url}", "no_card": "False", "form_token": uuid.uuid4()})
    without, with_card = user.tweets.order_by("id")
    assert without.link_card_id is None and with_card.link_card_id is not None
    assert 'name="no_card"' in client_logged_in.get("/compose").content.decode()


def test_card_fetches_run_on_the_media_queue_acked_late_within_the_visibility_timeout(settings):
    for task in (tasks.attach_link_card, tasks.refresh_link_card):
        assert app.amqp.router.route({}, task.name)["queue"].name == "media"
        assert task.acks_late and task.time_limit < settings.CELERY_VISIBILITY_TIMEOUT


def test_cards_no_post_uses_are_purged_after_a_week_with_their_images(user, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    week_ago = timezone.now() - timedelta(days=8)

    def card(name, *, fetched_at, requested_at=week_ago, state="ok", **extra):
        made = LinkCard(url_hash=link_cards.url_hash(name), url=name, state=state, title=name, fetched_at=fetched_at,
                        requested_at=requested_at, **extra)  # fmt: skip
        made.image.save("card.webp", ContentFile(images.image_bytes("WEBP", (40, 20), (1, 2, 3))), save=False)
        made.save()
        return made

    unused = card("https://example.com/unused", fetched_at=week_ago)
    never_fetched = card("https://example.com/pending", fetched_at=None, state="pending")
    used = card("https://example.com/used", fetched_at=week_ago)
    recent = card("https://example.com/recent", fetched_at=timezone.now() - timedelta(days=2))
    asked = card("https://example.com/asked", fetched_at=week_ago, requested_at=timezone.now())  # a compose box
    fetching = card("https://example.com/fetching", fetched_at=week_ago, fetching_since=timezone.now())
    Tweet.objects.filter(pk=post(user, "linked").pk).update(link_card=used)
    storage = unused.image.storage
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_link_cards() == 2
    assert set(LinkCard.objects.values_list("pk", flat=True)) == {used.pk, recent.pk, asked.pk, fetching.pk}
    assert not storage.exists(unused.image.name) and not storage.exists(never_fetched.image.name)
    assert all(storage.exists(kept.image.name) for kept in (used, recent, asked, fetching))
    assert Tweet.objects.get(text="linked").link_card_id == used.pk


def test_the_purge_goes_in_bounded_batches(django_capture_on_commit_callbacks):
    old = timezone.now() - timedelta(days=8)
    LinkCard.objects.bulk_create(
        LinkCard(url_hash=link_cards.url_hash(f"https://e.com/{i}"), url=f"https://e.com/{i}", fetched_at=old,
                 requested_at=old) for i in range(5)
    )  # fmt: skip
    assert link_cards.purge_unused(batch_size=2) == 2 and LinkCard.objects.count() == 3
    assert tasks.purge_link_cards(batch_size=2) == 3 and not LinkCard.objects.exists()
    assert tasks.refresh_link_card(10**12) == "gone"  # a compose box's fetch queued before its card was purged


def test_the_card_purge_runs_hourly_on_the_maintenance_queue():
    assert app.amqp.router.route({}, tasks.purge_link_cards.name)["queue"].name == "maintenance"
    assert app.conf.beat_schedule["purge-link-cards"] == {"task": "tweets.tasks.purge_link_cards", "schedule": 3600}


def test_the_answer_to_a_post_carries_a_card_attached_at_its_commit(
    user, link_server, django_capture_on_commit_callbacks
):
    # A worker that runs tasks in place attaches the card as the post commits, before the view
    # answers; the instance tweet_create made doesn't know, so a post with a link is read back.
    from tweets import selectors

    with django_capture_on_commit_callbacks(execute=True):
        made = post(user, f"Look {link_server.url('/article')}")
    assert made.link_card_id is None  # in memory; the row has its card
    assert selectors.as_posted(made, user).preview_card.title == "Rust & Django: a love story"
