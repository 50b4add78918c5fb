"""axe-core over the main pages, in both languages, both themes and at both widths: no serious or
critical violation. Its screenshots (artifacts/axe/) are the pages in English and in Spanish.

axe-core comes from its npm package (package.json, installed by `npm ci` in `make test-e2e`). It
is added as an init script, so it is in every page before the page's own scripts run and the
site's Content-Security-Policy (scripts from this site only) stays on as a visitor has it.
The counts per page, theme and width are printed, so CI's log shows them.
"""

import json
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, DESKTOP
from tests.factories import UserFactory
from tests.tweets.helpers import post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": DESKTOP, "phone": {"width": 390, "height": 844}}
PASSES = [(theme, width) for theme in ("light", "dark") for width in WIDTHS]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}
IMPACTS = ("critical", "serious", "moderate", "minor")

# Whatever htmx loads on arrival (trends, suggestions) is in the page before axe looks.
SETTLED = """() => !document.querySelector('[hx-trigger="load"], .htmx-request')"""
RUN_AXE = """async ([tags, scope]) => {
  const context = scope ? {include: [[scope]]} : document;
  const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
  const result = await axe.run(context, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 160)})),
  }));
}"""


def _seed():
    from social.graph.services import follow_create
    from social.messages.services import message_send
    from timelines.lists_services import list_create, list_member_add
    from tweets.services import bookmark_create, like_create, retweet_create

    alice = UserFactory(username="alice", name="Alice Liddell", bio="Curious. Follows @bob and writes about #tea.")
    bob = UserFactory(username="bob", name="Bob Builder", bio="Builds things.")
    carol = UserFactory(username="carol", name="Carol Singer")
    dan = UserFactory(username="dan", name="Dan Dreamer")
    follow_create(follower=alice, followee=bob)
    mine = post(alice, "Tea time is the best time #tea")
    hello = post(bob, "Hello @alice, the kettle is on #tea")
    post(carol, "Reading a book about tea ceremonies", reply_to_id=mine.pk)
    for fan in (bob, carol, dan):
        follow_create(follower=fan, followee=alice)
        like_create(user=fan, tweet_id=mine.pk)
    bookmark_create(user=alice, tweet_id=hello.pk)
    like_create(user=alice, tweet_id=hello.pk)  # the liked and retweeted colours are checked too
    retweet_create(user=alice, tweet_id=hello.pk)
    message_send(sender=bob, recipient_id=alice.pk, text="Fancy a cup of tea at four?")
    message_send(sender=alice, recipient_id=bob.pk, text="Always!")
    friends = list_create(owner=alice, name="Tea friends", description="People who like tea")
    list_member_add(actor=alice, lst=friends, member=bob)
    return alice, mine, hello, friends


def _pages(mine, hello, friends):
    from social.messages.models import Conversation

    conversation = Conversation.objects.get()
    anonymous = [("landing", "/"), ("login", "/accounts/login/"), ("signup", "/accounts/signup/")]
    signed_in = [
        ("home", "/"),
        ("tweet", f"/@alice/status/{mine.pk}"),
        ("profile", "/@bob"),
        ("notifications", "/notifications"),
        ("messages", "/messages"),
        ("conversation", f"/messages/{conversation.pk}"),
        ("search", "/search?q=tea"),
        ("explore", "/explore"),
        ("settings", "/settings/profile"),
        ("lists", "/lists"),
        ("list", f"/lists/{friends.pk}"),
        ("bookmarks", "/bookmarks"),
        ("compose", "/compose"),
        ("post-menu", f"/@alice/status/{mine.pk}"),  # its "More options" menu open
        ("shortcuts", "/"),  # the keyboard shortcuts' list open
        ("not-found", "/no-such-page"),
    ]
    return anonymous, signed_in


def _open_post_menu(page):
    page.locator("article.tweet-focus details.tweet-menu > summary").click()
    expect(page.locator("article.tweet-focus [role=menu]")).to_be_visible()


def _open_shortcuts(page):
    page.keyboard.press("?")
    expect(page.locator("dialog#shortcuts")).to_be_visible()


OPEN = {"post-menu": _open_post_menu, "shortcuts": _open_shortcuts}
# An open popup menu covers part of the page under it by design, and axe then finds the links it
# half-covers too small (which ones depends on the words' lengths). That page is checked with the
# menu closed ("tweet"), so with it open axe checks the menu and its button.
SCOPE = {"post-menu": "article.tweet-focus details.tweet-menu"}


# Each language's pages: English, and Spanish in another time zone (the browser's Accept-Language
# and zone, as a visitor from Mexico City has them), so longer words are checked for contrast and fit.
LANGUAGES = {"en": {}, "es": {"locale": "es-MX", "timezone_id": "America/Mexico_City"}}


def test_no_serious_or_critical_axe_violations(browser, live_server_url, sign_in, capsys):
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (make test-e2e does)"
    alice, mine, hello, friends = _seed()
    anonymous, signed_in = _pages(mine, hello, friends)
    shots = ARTIFACTS / "axe"
    shots.mkdir(parents=True, exist_ok=True)

    # Each page loads once a language; the theme and the width are media features, so the page
    # restyles in place for each of the four passes (nothing on the server depends on either).
    counts, failures = {}, []
    for language, options in LANGUAGES.items():
        visitor = browser.new_context(viewport=DESKTOP, **options)
        member = browser.new_context(viewport=DESKTOP, **options)
        sign_in(member, alice)
        for context in (visitor, member):
            context.add_init_script(path=str(AXE))
        for who, listed in (("visitor", anonymous), ("member", signed_in)):
            page = (visitor if who == "visitor" else member).new_page()
            for name, path in listed:
                page.goto(live_server_url + path)
                page.wait_for_function(SETTLED)
                expect(page.locator("main")).to_be_visible()
                assert page.locator("html").get_attribute("lang") == language, (name, language)
                if name in OPEN:
                    OPEN[name](page)
                for theme, width in PASSES:
                    page.emulate_media(color_scheme=theme)
                    page.set_viewport_size(WIDTHS[width])
                    page.screenshot(path=shots / f"{name}-{language}-{theme}-{width}.png", full_page=True)
                    violations = page.evaluate(RUN_AXE, [TAGS, SCOPE.get(name)])
                    counts[name, language, theme, width] = {
                        i: sum(v["impact"] == i for v in violations) for i in IMPACTS
                    }
                    failures += [
                        {"page": name, "language": language, "theme": theme, "width": width, **v}
                        for v in violations
                        if v["impact"] in BLOCKING
                    ]
                page.emulate_media(color_scheme="light")
                page.set_viewport_size(DESKTOP)
            page.close()
        visitor.close()
        member.close()

    lines = [
        f"axe {name:13} {language} {theme:5} {width:7} "
        + " ".join(f"{k}={n}" for k, n in counts[name, language, theme, width].items())
        for language in LANGUAGES
        for theme, width in PASSES
        for name, _ in anonymous + signed_in
    ]
    with capsys.disabled():  # into CI's log, passing or not
        sys.stdout.write("\n" + "\n".join(lines) + "\n")
    (shots / "report.txt").write_text("\n".join(lines) + "\n" + json.dumps(failures, indent=1) + "\n")
    assert not failures, json.dumps(failures, indent=1)


# The longest transition or animation anywhere in the page, in seconds.
LONGEST_MOTION = """() => Math.max(0, ...[...document.querySelectorAll('*')].flatMap(el => {
  const style = getComputedStyle(el);
  return [style.transitionDuration, style.animationDuration].flatMap(d => d.split(',')).map(d => parseFloat(d) || 0);
}))"""


def test_reduced_motion_stops_transitions_and_animations(page, context, live_server_url, sign_in):
    from social.messages.services import message_send

    ann, ben = UserFactory(username="ann"), UserFactory(username="ben")
    message = message_send(sender=ann, recipient_id=ben.pk, text="Moving pictures make me dizzy")
    sign_in(context, ann)
    page.goto(f"{live_server_url}/messages/{message.conversation_id}")  # my message's Delete fades in
    expect(page.get_by_text("Moving pictures make me dizzy")).to_be_visible()
    assert page.evaluate(LONGEST_MOTION) > 0

    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(LONGEST_MOTION) == 0
