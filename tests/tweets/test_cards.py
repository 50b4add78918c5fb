"""The post card's Jinja2 engine (tweets/cards.py): escaping that settings cannot turn off, Django's formats kept."""

from datetime import UTC, datetime

from django.template import Context, Template

from tweets import cards


def test_the_engine_escapes_even_when_told_not_to():
    env = cards.environment(autoescape=False)
    assert (
        env.from_string("{{ text }}").render(text='"><script>x</script>') == "&#34;&gt;&lt;script&gt;x&lt;/script&gt;"
    )


def test_dates_read_as_django_writes_them():
    moment = datetime(2026, 9, 3, 12, 0, 5, tzinfo=UTC)
    assert cards.date(moment, "c") == "2026-09-03T12:00:05+00:00"
    assert cards.date(moment, "N j, Y, P") == "Sept. 3, 2026, noon"
    assert cards.date(None, "c") == ""
    for format_string in ("c", "N j, Y, P"):  # what {{ value|date:... }} gives in Django's language
        assert cards.date(moment, format_string) == Template(f"{{{{ m|date:'{format_string}' }}}}").render(
            Context({"m": moment})
        )


def test_a_page_without_a_request_writes_no_form_token(user):
    shared = cards.page(user=user)
    assert shared["csrf_input"] == "" and shared["next_path"] == "" and shared["viewer_id"] == user.pk


def test_a_signed_out_visitor_sees_cards_without_forms(client, user):
    from tests.tweets.helpers import post

    post(user, "hello from alice")
    html = client.get("/@alice").content.decode()
    assert "hello from alice" in html and "Log in to like" in html
    # The like and retweet forms are a signed-in viewer's; the footer's language switch is everyone's.
    cards = html.split('class="language-switch"')[0]
    assert 'name="next"' not in cards
