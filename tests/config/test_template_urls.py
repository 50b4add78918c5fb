"""Our `{% url %}` (config/kernel/template_urls.py) gives exactly what Django's reverse() gives, for every route."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, get_resolver, reverse, set_script_prefix
from django.urls.converters import IntConverter, SlugConverter, StringConverter

from config.kernel import template_urls

SAMPLES = {IntConverter: 1234567890123, StringConverter: "ada_Lovelace9", SlugConverter: "ada_1"}


def render(text: str, **context) -> str:
    return Template(text).render(Context(context))


def routes_taking_plain_arguments():
    """(name, args) for every named route whose parameters all use int, str or slug converters."""
    found = []
    for name, candidates in get_resolver().reverse_dict.lists():
        if not isinstance(name, str) or len(candidates) != 1:
            continue
        (possibility,), _pattern, defaults, converters = candidates[0]
        _result, params = possibility
        if defaults or any(type(converters.get(p)) not in SAMPLES for p in params):
            continue
        found.append((name, [SAMPLES[type(converters[p])] for p in params]))
    return found


ROUTES = routes_taking_plain_arguments()


def test_there_are_routes_to_check():
    assert len(ROUTES) > 30
    assert ("tweet-like", [SAMPLES[IntConverter]]) in ROUTES


@pytest.mark.parametrize(("name", "args"), ROUTES, ids=[name for name, _ in ROUTES])
def test_every_route_renders_as_reverse_does(name, args):
    names = " ".join(f"a{i}" for i in range(len(args)))
    expected = reverse(name, args=args)
    assert render(f"{{% url '{name}' {names} %}}", **{f"a{i}": a for i, a in enumerate(args)}) == expected
    template_urls._shape.cache_clear()  # and from a cold cache, by the short way's own first reverse
    assert (
        render(f"{{% url '{name}' {names} as found %}}[{{{{ found }}}}]", **{f"a{i}": a for i, a in enumerate(args)})
        == f"[{expected}]"
    )


def test_the_short_way_is_taken_for_ids_and_usernames():
    template_urls._shape.cache_clear()
    render("{% url 'tweet' 'ada' 42 %}{% url 'tweet' 'bob' 43 %}")
    info = template_urls._shape.cache_info()
    assert info.misses == 1 and info.hits == 1 and info.currsize == 1


def test_every_link_a_post_card_builds_takes_the_short_way():
    # A card's links (its author, the post, the actions, its menu): one through reverse() was 20 µs a card.
    names = {
        "profile": ["ada"], "tweet": ["ada", 42], "tweet-history": ["ada", 42], "tweet-edit": ["ada", 42],
        "tweet-delete": ["ada", 42], "compose": [], "report": ["tweet", 42], "conversation-mute": [42],
        "conversation-unmute": [42],
        **{name: [42] for name in ("tweet-like", "tweet-unlike", "tweet-retweet", "tweet-unretweet",
                                   "tweet-bookmark", "tweet-unbookmark", "tweet-pin", "tweet-unpin")},
    }  # fmt: skip
    for name, args in names.items():
        assert template_urls.short_reverse(name, args) == reverse(name, args=args), name


@pytest.mark.parametrize(
    "text",
    [
        "{% url 'tweet' 'ada' -1 %}",  # an int converter refuses negative numbers
        "{% url 'tweet-like' 'abc' %}",  # and words
        "{% url 'tweet' 'a/b' 42 %}",  # str refuses a slash
        "{% url 'tweet-like' True %}",  # a bool is not taken for an int
    ],
)
def test_what_reverse_refuses_is_refused(text):
    with pytest.raises(NoReverseMatch):
        render(text)


@pytest.mark.parametrize(
    ("name", "args"),
    [("profile", ["zoë"]), ("profile", ["a b&c"]), ("profile", ["1.5"]), ("profile", [7])],
)
def test_other_values_go_through_reverse(name, args):
    assert render(f"{{% url '{name}' a %}}", a=args[0]) == reverse(name, args=args).replace("&", "&amp;")


def test_names_with_a_namespace_and_keyword_arguments_go_through_reverse():
    assert render("{% url 'admin:index' %}") == reverse("admin:index")
    assert render("{% url 'tweet-like' tweet_id=5 %}") == reverse("tweet-like", kwargs={"tweet_id": 5})


def test_a_script_prefix_is_kept():
    set_script_prefix("/sub/")
    try:
        assert render("{% url 'tweet-like' 5 %}") == "/sub/tweets/5/like" == reverse("tweet-like", args=[5])
    finally:
        set_script_prefix("/")


@pytest.mark.urls("tests.config.other_urls")
def test_another_urlconf_is_followed():
    assert render("{% url 'thing' 5 %}") == "/elsewhere/5/" == reverse("thing", args=[5])


def test_icons_are_the_files_as_they_are():
    from django.template.loader import render_to_string

    assert render('{% icon "heart" %}') == render_to_string("icons/heart.svg")
    assert render('{% icon "heart" %}').startswith("<svg")


# --- a page's url(): each name's shape looked up once per maker ---------------------------------


@pytest.mark.parametrize(("name", "args"), ROUTES, ids=[name for name, _ in ROUTES])
def test_a_pages_url_maker_gives_what_reverse_gives(name, args):
    url = template_urls.url_maker(template_urls.here())
    assert url(name, *args) == reverse(name, args=args)
    assert url(name, *args) == reverse(name, args=args)  # from the maker's own table


@pytest.mark.parametrize(("name", "args"), [("tweet", ["ada", -1]), ("tweet-like", ["abc"]), ("tweet", ["a/b", 42]),
                                            ("tweet-like", [True]), ("no-such-route", [])])  # fmt: skip
def test_a_pages_url_maker_refuses_what_reverse_refuses(name, args):
    url = template_urls.url_maker(template_urls.here())
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            url(name, *args)


def test_a_pages_url_maker_sends_other_values_and_names_to_reverse():
    url = template_urls.url_maker(template_urls.here())
    assert url("profile", "zoë") == reverse("profile", args=["zoë"]) == "/@zo%C3%AB"
    assert url("profile", 7) == reverse("profile", args=[7])
    assert url("admin:index") == reverse("admin:index")
    for make in (url, lambda name: reverse(name)):  # unhashable: the same error as reverse's
        with pytest.raises(TypeError):
            make(["not", "a", "name"])


def test_a_url_maker_keeps_the_settings_it_was_made_with():
    url = template_urls.url_maker(template_urls.here())
    url("tweet-like", 5)
    set_script_prefix("/sub/")
    try:
        assert url("tweet-like", 5) == "/tweets/5/like"  # a page's URLs are read once, at its start
        assert template_urls.url_maker(template_urls.here())("tweet-like", 5) == "/sub/tweets/5/like"
    finally:
        set_script_prefix("/")
