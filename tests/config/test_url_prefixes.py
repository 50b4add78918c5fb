"""Mastodon's routes are skipped for paths none of them starts like (config/kernel/url_prefixes.py)."""

import pytest
from django.urls import Resolver404, get_resolver, include, path, re_path, resolve
from django.urls.resolvers import RoutePattern, URLResolver

from config.kernel.url_prefixes import PrefixResolver


def _mastodon():
    return next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/")


def _plain():
    """The same include as Django would make it, groups within it too: every route tried."""
    urlconf, app_name, namespace = include("social.mastodon.urls")
    top = URLResolver(RoutePattern("api/", is_endpoint=False), urlconf, app_name=app_name, namespace=namespace)
    return _plainly(top)


def _plainly(resolver: URLResolver) -> URLResolver:
    entries = [_plainly(e) if isinstance(e, URLResolver) else e for e in resolver.url_patterns]
    return URLResolver(resolver.pattern, entries, app_name=resolver.app_name, namespace=resolver.namespace)


def _sample(route: str) -> str:
    # An id where a route takes one: enough to reach every route.
    parts = route.split("<")
    return parts[0] + "".join("12345" + part.split(">", 1)[1] for part in parts[1:])


def _routes(resolver, above=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, above + str(entry.pattern))
        else:
            yield above + str(entry.pattern)


MASTODON_ROUTES = sorted(set(_routes(_plain())))
CHIRP_PATHS = [
    "v1/timeline/home", "v1/tweets", "v1/tweets/12345/like", "v1/users/ada/follow", "v1/search",
    "v1/notifications", "v1/lists", "v1/conversations", "v1/media/upload", "v1/bookmarks", "v1/schema",
]  # fmt: skip


def test_the_api_include_goes_by_prefix():
    found = _mastodon()
    assert isinstance(found, PrefixResolver)
    assert len(MASTODON_ROUTES) > 90
    assert "v1/statuses/" in found.starts and "v2/search" in found.starts


@pytest.mark.parametrize("route", MASTODON_ROUTES)
def test_every_mastodon_route_resolves_as_before(route):
    asked = "api/" + _sample(route)
    mine, theirs = _mastodon().resolve(asked), _plain().resolve(asked)
    assert (mine.url_name, mine.kwargs, mine.route) == (theirs.url_name, theirs.kwargs, theirs.route)


@pytest.mark.parametrize("asked", CHIRP_PATHS)
def test_chirps_own_paths_meet_the_same_answer(asked):
    """A path of Chirp's API misses both, or matches the same shared route in both."""
    outcomes = []
    for resolver in (_mastodon(), _plain()):
        try:
            outcomes.append(resolver.resolve("api/" + asked).url_name)
        except Resolver404:
            outcomes.append(None)
    assert outcomes[0] == outcomes[1]


def test_a_path_starting_like_no_route_misses_without_trying_them():
    with pytest.raises(Resolver404) as missed:
        _mastodon().resolve("api/v1/timeline/home")
    assert "tried" not in missed.value.args[0]  # no route was tried, so none is listed


def _tried(resolver, asked: str) -> list:
    with pytest.raises(Resolver404) as missed:
        resolver.resolve(asked)
    return missed.value.args[0]["tried"]


def test_a_mastodon_path_is_tried_against_its_own_group_only():
    groups = [e for e in _mastodon().url_patterns if isinstance(e, URLResolver)]
    assert len(groups) == 4 and all(isinstance(g, PrefixResolver) for g in groups)
    everywhere = _tried(_plain(), "api/v1/timelines/homeless")
    mine = _tried(_mastodon(), "api/v1/timelines/homeless")
    assert len(everywhere) > 90
    # Passed over: the core, more and live groups' 43 routes, each group listed as one line instead.
    assert len(everywhere) - len(mine) == 43 - 3


def test_the_home_timeline_is_its_groups_first_route():
    statuses = next(g for g in _mastodon().url_patterns if "v1/timelines/home" in getattr(g, "starts", ()))
    assert str(statuses.url_patterns[0].pattern) == "v1/timelines/home"


def _view(request):
    return None


def test_a_route_that_isnt_plain_text_turns_the_shortcut_off():
    resolver = PrefixResolver(
        RoutePattern("y/", is_endpoint=False), [path("a/", _view), re_path(r"^b+/$", _view, name="bees")]
    )
    assert resolver.starts == ("",)
    assert resolver.resolve("y/bbb/").url_name == "bees"
    plain = PrefixResolver(RoutePattern("y/", is_endpoint=False), [path("a/<int:n>/", _view, name="a")])
    assert plain.starts == ("a/",)
    assert plain.resolve("y/a/5/").kwargs == {"n": 5}
    with pytest.raises(Resolver404):
        plain.resolve("y/b/5/")


def test_chirps_api_and_pages_still_resolve():
    assert resolve("/api/v1/timeline/home").url_name == "api-timeline-home"
    assert resolve("/api/v1/timelines/home").func.view_class.__module__.startswith("social.mastodon")
    assert resolve("/").url_name == "home"
