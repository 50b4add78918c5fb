"""The keyboard in a real browser: shortcuts (static/js/keys.js), focus after each action, Esc, Ctrl+Enter."""

import re

import pytest
from playwright.sync_api import expect

from social.graph.models import Follow
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets.models import Like, Tweet

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ACTIVE = "() => { const el = document.activeElement; return [el.tagName, el.className, el.getAttribute('aria-pressed'), el.closest('article') && el.closest('article').id] }"  # noqa: E501


def settled(page) -> None:
    """Wait until htmx has bound what it swapped in: a form clicked before then is posted without it."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def active(page) -> dict:
    tag, classes, pressed, article = page.evaluate(ACTIVE)
    return {"tag": tag, "classes": classes, "pressed": pressed, "article": article}


def test_shortcuts_move_act_and_go_places(page, context, live_server_url, sign_in, shoot, console_errors):
    alice = UserFactory(username="alice", name="Alice Keys")
    bob = UserFactory(username="bob", name="Bob Poster")
    Follow.objects.create(follower=alice, followee=bob)
    oldest, middle, newest = (post(bob, f"Bob's post number {n}") for n in (1, 2, 3))
    sign_in(context, alice)
    page.goto(live_server_url + "/")
    expect(page.locator("#feed article.tweet")).to_have_count(3)

    # j and k walk the posts, newest first; the current one has focus and a mark.
    page.keyboard.press("j")
    assert active(page)["article"] == f"tweet-{newest.pk}"
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")  # stays on the last
    assert active(page)["article"] == f"tweet-{oldest.pk}"
    page.keyboard.press("k")
    assert active(page)["article"] == f"tweet-{middle.pk}"
    expect(page.locator(f"#tweet-{middle.pk}")).to_have_class(re.compile(r"\bis-current\b"))

    # l likes the current post; focus stays on that post.
    page.keyboard.press("l")
    like = page.locator(f"#tweet-{middle.pk} .action-like")
    expect(like).to_have_attribute("aria-pressed", "true")
    assert Like.objects.filter(user=alice, tweet=middle).exists()
    assert active(page)["article"] == f"tweet-{middle.pk}"
    settled(page)

    # t retweets it.
    page.keyboard.press("t")
    expect(page.locator(f"#tweet-{middle.pk} .action-retweet")).to_have_attribute("aria-pressed", "true")
    assert Tweet.objects.filter(author=alice, retweet_of=middle).exists()

    # Like with the keyboard on the button itself: the redrawn button keeps focus, now pressed.
    page.locator(f"#tweet-{newest.pk} .action-like").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#tweet-{newest.pk} .action-like")).to_have_attribute("aria-pressed", "true")
    # Focus moves after htmx settles, a moment after the new button is drawn: wait for it.
    expect(page.locator(f"#tweet-{newest.pk} .action-like")).to_be_focused()
    now = active(page)
    assert now["tag"] == "BUTTON" and "action-like" in now["classes"] and now["pressed"] == "true"
    assert now["article"] == f"tweet-{newest.pk}"

    # Esc closes a post's menu and gives focus back to its button.
    menu = page.locator(f"#tweet-{newest.pk} details.tweet-menu")
    menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    assert page.evaluate("() => document.activeElement.matches('details.tweet-menu > summary')")

    # / goes to the search box, and letters typed there are text, not shortcuts.
    page.keyboard.press("/")
    search = page.locator(".sidebar input[type=search]")
    expect(search).to_be_focused()
    page.keyboard.type("jk")
    expect(search).to_have_value("jk")
    assert not page.locator(f"#tweet-{oldest.pk}").evaluate("el => el === document.activeElement")

    # n goes to the compose box; Ctrl+Enter posts, and the box is ready for the next one.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("n")
    field = page.get_by_label("Post text")
    expect(field).to_be_focused()
    page.keyboard.type("Posted from the keyboard")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#feed article.tweet", has_text="Posted from the keyboard")).to_be_visible()
    assert Tweet.objects.filter(author=alice, text="Posted from the keyboard").exists()
    expect(page.get_by_label("Post text")).to_be_focused()  # the emptied box, ready for the next
    expect(page.get_by_label("Post text")).to_have_value("")

    # r opens the current post to reply; g n and g h go to notifications and home.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.locator(f"#tweet-{oldest.pk}").evaluate("el => { el.tabIndex = -1; el.focus(); }")
    page.keyboard.press("r")
    expect(page).to_have_url(re.compile(rf"/@bob/status/{oldest.pk}#reply$"))
    # The URL changes when the new page commits, before its deferred scripts run: keys pressed
    # then reach no handler. Wait for the page to load, as a person would see it first.
    page.wait_for_load_state("load")
    page.keyboard.press("g")
    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(r"/notifications$"))
    page.wait_for_load_state("load")
    page.keyboard.press("g")
    page.keyboard.press("h")
    expect(page).to_have_url(live_server_url + "/")
    # ? lists the shortcuts; Esc closes the list and focus returns. (Last: a screenshot hides the caret
    # with inline styles, which htmx would copy into a swapped form and the CSP would report.)
    page.locator(f"#tweet-{newest.pk} .action-like").focus()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Next / previous post")
    shoot(page, "keyboard-shortcuts")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert "action-like" in active(page)["classes"]

    assert console_errors == []


def test_follow_keeps_focus_on_the_button(page, context, live_server_url, sign_in):
    alice = UserFactory(username="alice", name="Alice Keys")
    UserFactory(username="carol", name="Carol Someone")
    sign_in(context, alice)
    page.goto(live_server_url + "/@carol")
    button = page.locator("main").get_by_role("button", name=re.compile(r"^Follow"))
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("main").get_by_role("button", name=re.compile(r"^(Following|Unfollow)"))).to_be_visible()
    assert Follow.objects.filter(follower=alice, followee__username="carol").exists()
    expect(page.locator("main").get_by_role("button", name=re.compile(r"^(Following|Unfollow)"))).to_be_focused()
    assert page.evaluate("() => document.activeElement.tagName") == "BUTTON"
    assert re.match(r"^(Following|Unfollow)", page.evaluate("() => document.activeElement.textContent.trim()"))
