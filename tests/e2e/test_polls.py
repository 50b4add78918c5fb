"""Polls in a real browser: one person posts a poll, another votes and sees the results in place."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_controls_labelled
from tests.factories import UserFactory
from tweets.models import Poll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def card(page, text):
    return page.locator("article.tweet", has_text=text).first


def test_post_a_poll_then_vote_and_see_the_results(
    page, context, browser, live_server_url, sign_in, shoot, console_errors
):
    alice = UserFactory(username="alice", name="Alice Liddell")
    bob = UserFactory(username="bob", name="Bob Builder")
    for name in ("carol", "dave"):
        UserFactory(username=name)

    # Alice asks, from the home page's compose box.
    sign_in(context, alice)
    page.goto(live_server_url + "/")
    page.get_by_label("Post text").fill("Tea or coffee this morning?")
    page.locator("details.compose-poll summary").click()
    page.get_by_label("Choice 1").fill("Tea")
    page.get_by_label("Choice 2").fill("Coffee")
    page.get_by_label("Choice 3 (optional)").fill("Neither, water")
    page.get_by_label("Poll length").select_option(label="1 hour")
    assert_controls_labelled(page)
    # caret="initial": hiding the caret leaves style="" on the inputs, which htmx then copies into the
    # swapped-in form, and the page's CSP (no inline styles) reports each copy.
    page.screenshot(path=str(_artifact("polls-compose-desktop.png")), full_page=True, caret="initial")
    page.get_by_role("button", name="Post", exact=True).click()
    mine = card(page, "Tea or coffee")
    expect(mine).to_be_visible()
    # Authors don't vote: Alice sees the (empty) results at once.
    expect(mine.locator(".poll-meta")).to_have_text(re.compile(r"0 votes · (59 minutes|1 hour) left · Your poll"))
    expect(mine.get_by_role("radio")).to_have_count(0)
    tweet_id = Poll.objects.get().tweet_id

    # Two others vote first (the API), so Bob's results have something to show.
    from tweets import poll_votes

    poll_votes.poll_vote(user=UserFactory._meta.model.objects.get(username="carol"), tweet_id=tweet_id, positions=[2])
    poll_votes.poll_vote(user=UserFactory._meta.model.objects.get(username="dave"), tweet_id=tweet_id, positions=[1])

    # Bob sees choices and no counts, votes, and the poll turns into bars in place.
    bobs_context = browser.new_context(viewport={"width": 1280, "height": 860})
    sign_in(bobs_context, bob)
    bobs_page = bobs_context.new_page()
    bobs_page.goto(f"{live_server_url}/@alice/status/{tweet_id}")
    poll = bobs_page.locator("article.tweet-focus .poll")
    expect(poll.get_by_role("radio")).to_have_count(3)
    expect(poll).not_to_contain_text("%")
    expect(poll.locator(".poll-meta")).to_contain_text("2 votes")
    assert_controls_labelled(bobs_page)
    shoot(bobs_page, "polls-before-voting")
    url = bobs_page.url
    poll.get_by_label("Coffee").check()
    poll.get_by_role("button", name="Vote").click()
    results = bobs_page.locator("article.tweet-focus .poll-results")
    expect(results).to_be_visible()
    assert bobs_page.url == url  # swapped in place by htmx
    expect(bobs_page.locator("article.tweet-focus .poll-meta")).to_contain_text("3 votes")
    coffee = results.locator("li", has_text="Coffee")
    expect(coffee).to_contain_text("67%")
    expect(coffee).to_contain_text("2 votes")
    expect(coffee).to_contain_text("(your vote)")
    expect(results.locator("li", has_text="Tea")).to_contain_text("33%")
    expect(results.locator("li", has_text="Neither")).to_contain_text("0%")
    shoot(bobs_page, "polls-results")
    bobs_page.emulate_media(color_scheme="dark")
    bobs_page.screenshot(path=str(_artifact("polls-results-dark.png")), full_page=True)

    # A reload shows the same results; the vote is final.
    bobs_page.reload()
    expect(bobs_page.locator("article.tweet-focus .poll-results li", has_text="Coffee")).to_contain_text("67%")
    expect(bobs_page.locator("article.tweet-focus").get_by_role("radio")).to_have_count(0)
    assert Poll.objects.get().votes_count == 3
    bobs_context.close()
    assert console_errors == []


def test_a_multiple_choice_poll_takes_several_ticks_and_shows_percentages_of_voters(
    page, context, browser, live_server_url, sign_in, shoot, console_errors
):
    alice = UserFactory(username="alice", name="Alice Liddell")
    bob = UserFactory(username="bob", name="Bob Builder")
    carol = UserFactory(username="carol")

    sign_in(context, alice)
    page.goto(live_server_url + "/")
    page.get_by_label("Post text").fill("Which pets do you have?")
    page.locator("details.compose-poll summary").click()
    page.get_by_label("Choice 1").fill("Cats")
    page.get_by_label("Choice 2").fill("Dogs")
    page.get_by_label("Choice 3 (optional)").fill("Fish")
    page.get_by_label("Let people choose more than one").check()
    assert_controls_labelled(page)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(card(page, "Which pets")).to_be_visible()
    poll_row = Poll.objects.get()
    assert poll_row.multiple is True

    from tweets import poll_votes

    poll_votes.poll_vote(user=carol, tweet_id=poll_row.tweet_id, positions=[1])

    bobs_context = browser.new_context(viewport={"width": 1280, "height": 860})
    sign_in(bobs_context, bob)
    bobs_page = bobs_context.new_page()
    bobs_page.goto(f"{live_server_url}/@alice/status/{poll_row.tweet_id}")
    poll = bobs_page.locator("article.tweet-focus .poll")
    expect(poll.get_by_role("checkbox")).to_have_count(3)
    expect(poll.get_by_role("radio")).to_have_count(0)
    expect(poll.get_by_role("button", name="Vote")).to_have_count(1)
    assert_controls_labelled(bobs_page)
    poll.get_by_label("Cats").check()
    poll.get_by_label("Dogs").check()
    shoot(bobs_page, "polls-multiple-ticked")
    poll.get_by_role("button", name="Vote").click()
    results = bobs_page.locator("article.tweet-focus .poll-results")
    expect(results).to_be_visible()
    shoot(bobs_page, "polls-multiple-results")
    # Two people voted: Cats 2 of 2, Dogs 1 of 2 (percentages of voters, as Mastodon shows them).
    expect(results.locator("li", has_text="Cats")).to_contain_text("100%")
    expect(results.locator("li", has_text="Dogs")).to_contain_text("50%")
    expect(results.locator("li", has_text="Fish")).to_contain_text("0%")
    expect(results.locator("li", has_text="(your vote)")).to_have_count(2)
    expect(bobs_page.locator("article.tweet-focus .poll-meta")).to_contain_text("2 people")
    bobs_context.close()
    assert console_errors == []


def _artifact(name):
    from tests.e2e.conftest import ARTIFACTS

    return ARTIFACTS / name
