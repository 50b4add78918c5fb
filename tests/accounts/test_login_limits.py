"""Failed-login limits: per account at an address, per account, per address; the admin's login too."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def page_login(client, login, password, address="10.0.0.1"):
    return client.post("/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR=address)


def test_made_up_usernames_from_an_address_dont_lock_out_its_real_people(client, user):
    for number in range(12):
        assert page_login(client, f"nobody{number}", WRONG).status_code == 200  # the form, saying no
    assert page_login(client, "alice", PASSWORD).status_code == 302


def test_an_account_guessed_at_from_one_address_is_refused_there_with_retry_after(client, api_client, user):
    for _ in range(5):
        assert page_login(client, "alice", WRONG).status_code == 200
    refused = page_login(client, "alice", PASSWORD)  # even the right password, until the window passes
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many failed login attempts" in refused.content.decode()
    api = api_client.post("/api/v1/login", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert api.status_code == 429 and int(api["Retry-After"]) > 0
    # Alice, elsewhere, and Bob at the same address are not locked out.
    assert page_login(Client(), "alice", PASSWORD, address="10.9.9.9").status_code == 302
    UserFactory(username="bob")
    assert page_login(Client(), "bob", PASSWORD).status_code == 302


def test_an_account_guessed_at_from_many_addresses_is_refused_everywhere(client, user):
    for number in range(20):
        page_login(Client(), "alice", WRONG, address=f"10.1.0.{number}")
    assert page_login(client, "alice", PASSWORD, address="10.2.0.1").status_code == 429


def test_a_successful_login_counts_nothing(client, user):
    for _ in range(4):
        page_login(client, "alice", WRONG)
    for _ in range(3):
        assert page_login(Client(), "alice", PASSWORD).status_code == 302
    page_login(client, "alice", WRONG)
    assert page_login(Client(), "alice", PASSWORD).status_code == 429  # the fifth failure, not the eighth attempt


def test_the_admin_login_goes_through_the_site_login_and_its_limits(client):
    staff = UserFactory(username="staffer", is_staff=True, is_superuser=True)
    answer = client.post("/admin/login/", {"username": "staffer", "password": PASSWORD})
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session  # the admin's own form no longer logs anyone in
    for _ in range(25):
        page_login(client, "staffer", WRONG)
    assert page_login(client, "staffer", PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302
    assert staff.is_staff


def test_every_429_says_when_to_come_back(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/h/ip"}
    body = {"email": "x@example.com", "username": "x1", "password1": "a-long-unusual-passphrase"}
    client.post("/accounts/signup/", body)
    refused = client.post("/accounts/signup/", {**body, "username": "x2", "email": "y@example.com"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
