"""What happens to a person's connected apps when the password changes or is reset, and the hourly cleanup."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from accounts.tasks import clear_expired_oauth_tokens
from tests.factories import PASSWORD, UserFactory
from tests.oauth.tokens import bearer, make_app, make_token, token_row

pytestmark = pytest.mark.django_db


def test_a_password_reset_revokes_every_apps_tokens(api_client):
    person = UserFactory(email="reset@example.com")
    token = make_token(person, "read")
    refresh = get_refresh_token_model().objects.create(
        user=person, application=token_row(token).application, token="chirp_ort_x", access_token=token_row(token)
    )
    assert bearer(token).get("/api/v1/timeline/home").status_code == 200

    api_client.post("/api/v1/password-reset/request", {"email": "reset@example.com"}, format="json")
    code = re.search(r"reset code instead: (\S+)", mail.outbox[-1].body).group(1)
    confirmed = api_client.post(
        "/api/v1/password-reset/confirm", {"token": code, "newPassword": "a-brand-new-passphrase"}, format="json"
    )
    assert confirmed.status_code == 200
    assert bearer(token).get("/api/v1/timeline/home").status_code == 401
    refresh.refresh_from_db()
    assert refresh.revoked is not None  # and can't mint a new access token


def test_a_password_change_by_its_owner_keeps_connected_apps():
    person = UserFactory()
    token = make_token(person, "read")
    browser = Client()
    browser.force_login(person)
    changed = browser.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "A-new-passphrase-77", "password2": "A-new-passphrase-77"},
    )
    assert changed.status_code == 302
    person.refresh_from_db()
    assert person.check_password("A-new-passphrase-77")
    assert bearer(token).get("/api/v1/timeline/home").status_code == 200  # apps never saw the password


def test_the_hourly_cleanup_drops_expired_tokens_only():
    person = UserFactory()
    app = make_app()
    live = make_token(person, "read", app=app)
    make_token(person, "read", app=app, expires_in=timedelta(seconds=-1))
    assert get_access_token_model().objects.count() == 2

    clear_expired_oauth_tokens()

    remaining = list(get_access_token_model().objects.all())
    assert remaining == [token_row(live)]
    assert remaining[0].expires > timezone.now()
