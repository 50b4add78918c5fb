"""The post card's Jinja2 engine (tweets/cards.py): escaping that settings cannot turn off, Django's formats kept."""

from datetime import UTC, datetime

from django.template import Context, Template
from django.utils import timezone, translation

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


def test_a_dates_text_kept_per_minute_stays_apart_by_zone_and_language():
    # cards.date keeps a format's text per minute (a page's posts share minutes); nothing may leak across.
    first, same_minute = datetime(2026, 9, 3, 12, 0, 5, tzinfo=UTC), datetime(2026, 9, 3, 12, 0, 59, tzinfo=UTC)
    later = datetime(2026, 9, 3, 12, 1, 0, tzinfo=UTC)
    django_says = Template("{{ m|date:'N j, Y, P T' }}")
    seen = set()
    for zone in ("UTC", "Europe/Berlin", "America/New_York"):
        for language in ("en", "es", "en"):
            with timezone.override(zone), translation.override(language):
                for moment in (first, same_minute, later):
                    text = cards.date(moment, "N j, Y, P T")
                    assert text == django_says.render(Context({"m": moment})), (zone, language, moment)
                    seen.add(text)
                # A format showing seconds is not kept per minute.
                assert cards.date(first, "H:i:s") != cards.date(same_minute, "H:i:s")
    assert len(seen) == 3 * 2 * 2  # three zones, two languages, two minutes


def test_the_templates_strings_follow_the_language_of_each_render():
    # The Jinja2 templates' gettext keeps each message per language (tweets/cards.py, _template_gettext).
    template = cards.environment().from_string('{{ _("Content warning") }}|{{ _("Save draft") }}')
    with translation.override("en"):
        english = template.render()
    with translation.override("es"):
        spanish = template.render()
    with translation.override("en"):
        again = template.render()
    assert english == again == "Content warning|Save draft"
    assert spanish == "Advertencia de contenido|Guardar borrador"


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


def test_calls_in_templates_reach_plain_functions_and_context_functions_alike():
    # cards.CallContext calls plain functions straight away; the rest still goes Jinja2's way.
    from jinja2 import pass_context, pass_environment

    env = cards.environment()
    assert env.context_class is cards.CallContext

    def plain(*args, **kwargs):
        return f"{args}{sorted(kwargs)}"

    @pass_context
    def with_context(context, name):
        return context.get(name)

    @pass_environment
    def with_environment(environment, value):
        return environment is env and value

    class Callable:
        def __call__(self, value):
            return value * 2

    def stops():
        raise StopIteration

    source = (
        "{% for i in [1] %}{% set inner = 'loop' %}{{ plain(i, k=2) }}|{{ with_context('inner') }}{% endfor %}"
        "|{{ with_context('outer') }}|{{ with_environment(3) }}|{{ twice(4) }}|[{{ stops() }}]|{{ plain() }}"
    )
    found = env.from_string(source).render(
        plain=plain, with_context=with_context, with_environment=with_environment, twice=Callable(), stops=stops,
        outer="page",
    )  # fmt: skip
    assert found == "(1,)[&#39;k&#39;]|loop|page|3|8|[]|()[]"
