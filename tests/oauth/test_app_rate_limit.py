"""An OAuth app's calls count together, across everyone using it, as well as per person and address."""

import pytest

from tests.factories import UserFactory
from tests.oauth.tokens import bearer, make_app, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_limit_of_three(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "app": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


@pytest.mark.usefixtures("app_limit_of_three")
def test_the_apps_limit_spans_its_users_and_spares_other_apps_and_first_party_tokens(api_as):
    ann, ben = UserFactory(), UserFactory()
    app = make_app()
    as_ann = bearer(make_token(ann, "read", app=app))
    as_ben = bearer(make_token(ben, "read", app=app))
    assert as_ann.get("/api/v1/timeline/home").status_code == 200
    assert as_ann.get("/api/v1/timeline/home").status_code == 200
    assert as_ben.get("/api/v1/timeline/home").status_code == 200
    throttled = as_ben.get("/api/v1/timeline/home")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0

    assert bearer(make_token(ben, "read", app=make_app("Another"))).get("/api/v1/timeline/home").status_code == 200
    assert api_as(ben).get("/api/v1/timeline/home").status_code == 200  # the site's own token: no app


@pytest.mark.usefixtures("app_limit_of_three")
def test_client_credentials_tokens_count_against_their_app():
    author = UserFactory()
    app = make_app()
    app_only = bearer(make_token(None, "read", app=app))
    for _ in range(3):
        assert app_only.get(f"/api/v1/users/{author.username}").status_code == 200
    assert app_only.get(f"/api/v1/users/{author.username}").status_code == 429
