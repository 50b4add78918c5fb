"""Settings > Security: the security log, signed-in sessions, the new-browser email, and the admin's 2FA rule."""

import pytest
from django.core import mail
from django.test import Client

from accounts import security
from accounts.models import SecurityEvent, UserSession
from tests.accounts.mfa_helpers import password_step, totp_code, turn_on_totp
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0 Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile Safari/604.1"


def browser(agent: str = FIREFOX, address: str = "203.0.113.5") -> Client:
    return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


def test_logins_and_changes_are_in_the_log_newest_first(user, django_capture_on_commit_callbacks):
    firefox = browser()
    password_step(firefox)
    with django_capture_on_commit_callbacks(execute=True):
        firefox.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": "A-new-passphrase-77",
                                                    "password2": "A-new-passphrase-77"})  # fmt: skip
    page = firefox.get("/settings/security")
    assert page.status_code == 200
    events = page.context["events"]
    assert [e.kind for e in events] == [Kind.PASSWORD_CHANGED, Kind.LOGIN]
    assert events[1].ip == "203.0.113.5"
    html = page.content.decode()
    assert "Firefox on Linux" in html and "Password changed" in html and "203.0.113.5" in html


def test_a_password_reset_is_logged_as_one(api_client, user):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    token = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    response = api_client.post(
        "/api/v1/password-reset/confirm", {"token": token, "newPassword": "A-new-passphrase-77"}, format="json"
    )
    assert response.status_code == 200
    assert SecurityEvent.objects.filter(user=user, kind=Kind.PASSWORD_RESET).count() == 1


def test_api_logins_are_logged_with_the_clients_name(api_client, user):
    api_client.post("/api/v1/login", {"username": "alice", "password": PASSWORD}, HTTP_USER_AGENT="curl/8.5")
    (event,) = SecurityEvent.objects.filter(user=user)
    assert event.kind == Kind.LOGIN and security.describe_agent(event.user_agent) == "curl"
    assert not UserSession.objects.exists()  # a token, not a session


def test_the_log_is_paged_and_its_query_count_is_capped(client, user, django_assert_max_num_queries):
    SecurityEvent.objects.bulk_create(
        SecurityEvent(user=user, kind=Kind.LOGIN, ip=f"198.51.100.{n}", user_agent=CHROME) for n in range(45)
    )
    SecurityEvent.objects.create(user=UserFactory(username="eve"), kind=Kind.LOGIN, ip="6.6.6.6")
    client.force_login(user)
    client.get("/settings/security")  # the session's row is made on the first request
    with django_assert_max_num_queries(9):  # 7: user, authenticators, events, sessions, email, two unread counts
        first = client.get("/settings/security")
    assert len(first.context["events"]) == 20
    assert first.context["events"][0].ip == "198.51.100.44"
    older = first.context["older"]
    second = client.get(f"/settings/security?before={older}")
    third = client.get(f"/settings/security?before={second.context['older']}")
    assert len(second.context["events"]) == 20 and len(third.context["events"]) == 5
    assert third.context["older"] is None
    assert "6.6.6.6" not in "".join(r.content.decode() for r in (first, second, third))  # only your own


@pytest.mark.parametrize("before", ["abc", "-1", "9" * 40, ""])
def test_a_bad_page_marker_shows_the_first_page(client, user, before):
    client.force_login(user)
    response = client.get(f"/settings/security?before={before}")
    assert response.status_code == 200


def test_the_security_page_needs_a_login(client):
    assert client.get("/settings/security")["Location"].startswith("/accounts/login/")


# --- sessions ------------------------------------------------------------------------------


def test_sessions_are_listed_and_logged_out_everywhere_else(user):
    laptop, phone, tablet = browser(FIREFOX, "203.0.113.5"), browser(IPHONE, "198.51.100.7"), browser(CHROME)
    for client in (laptop, phone, tablet):
        assert password_step(client).status_code == 302
    page = laptop.get("/settings/security")
    listed = {security.describe_agent(s.user_agent) for s in page.context["sessions"]}
    assert listed == {"Firefox on Linux", "Safari on iOS", "Chrome on Windows"}
    assert "This browser" in page.content.decode()

    response = laptop.post("/settings/security/sessions/end")
    assert response.status_code == 302
    assert laptop.get("/").context["user"] == user
    for other in (phone, tablet):
        assert not other.get("/").context["user"].is_authenticated
    assert [s.user_agent for s in laptop.get("/settings/security").context["sessions"]] == [FIREFOX]
    assert SecurityEvent.objects.filter(user=user, kind=Kind.SESSIONS_ENDED, detail="2 sessions").exists()


def test_one_session_can_be_logged_out(user):
    laptop, phone = browser(FIREFOX), browser(IPHONE)
    password_step(laptop)
    password_step(phone)
    phone_row = UserSession.objects.get(user_agent=IPHONE)
    assert laptop.post(f"/settings/security/sessions/{phone_row.pk}/end").status_code == 302
    assert not phone.get("/").context["user"].is_authenticated
    assert laptop.get("/").context["user"] == user


def test_someone_elses_session_can_not_be_ended(user, other_user):
    mine, theirs = browser(), browser(CHROME)
    password_step(mine)
    password_step(theirs, "bob")
    their_row = UserSession.objects.get(user=other_user)
    response = mine.post(f"/settings/security/sessions/{their_row.pk}/end")
    assert response.status_code == 404
    assert theirs.get("/").context["user"] == other_user
    own_row = UserSession.objects.get(user=user)
    assert mine.post(f"/settings/security/sessions/{own_row.pk}/end").status_code == 404  # that's logging out
    assert mine.get("/").context["user"] == user
    assert mine.get("/settings/security/sessions/end").status_code == 405


def test_a_password_change_keeps_this_session_listed(user):
    laptop, phone = browser(FIREFOX), browser(IPHONE)
    password_step(laptop)
    password_step(phone)
    laptop.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": "A-new-passphrase-77",
                                               "password2": "A-new-passphrase-77"})  # fmt: skip
    sessions = laptop.get("/settings/security").context["sessions"]
    assert [s.user_agent for s in sessions] == [FIREFOX]  # the phone was signed out by the change
    assert sessions[0].session_key == laptop.session.session_key


def test_logging_out_forgets_the_session(client, user):
    password_step(client)
    assert UserSession.objects.count() == 1
    client.post("/accounts/logout/")
    assert not UserSession.objects.exists()


# --- the new-browser email ---------------------------------------------------------------


def test_a_login_from_a_new_browser_is_emailed_once(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = browser(FIREFOX)
        password_step(first)  # the account's first browser: no news
    assert mail.outbox == []
    first.post("/accounts/logout/")
    with django_capture_on_commit_callbacks(execute=True):
        password_step(first)  # the same browser (its cookie) again
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        password_step(browser(IPHONE, "198.51.100.7"))
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "Safari on iOS" in message.body and "198.51.100.7" in message.body
    assert "/settings/security" in message.body
    assert security.new_browser_email(SecurityEvent.objects.latest("id").pk) is False  # a redelivered task: no repeat


def test_the_browser_cookie_is_httponly(client, user):
    response = password_step(client)
    cookie = response.cookies[security.BROWSER_COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) > 365 * 24 * 3600


# --- the admin requires 2FA of staff -------------------------------------------------------


def test_staff_without_2fa_are_sent_to_set_it_up(client, moderator, settings):
    settings.ADMIN_REQUIRE_MFA = True
    client.force_login(moderator)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302 and response["Location"] == "/settings/security"
    assert "requires two-factor" in client.get("/settings/security").content.decode()


def test_staff_with_2fa_reach_the_admin(client, moderator, settings):
    settings.ADMIN_REQUIRE_MFA = True
    secret, _ = turn_on_totp(moderator)
    password_step(client, "mod")
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/admin/accounts/user/").status_code == 200


def test_the_admin_rule_can_be_turned_off(client, moderator, settings):
    settings.ADMIN_REQUIRE_MFA = False
    client.force_login(moderator)
    assert client.get("/admin/accounts/user/").status_code == 200


def test_people_who_are_not_staff_are_not_redirected(client, user, settings):
    settings.ADMIN_REQUIRE_MFA = True
    client.force_login(user)
    assert client.get("/admin/").status_code == 302
    assert "/settings/security" not in client.get("/admin/")["Location"]


def test_an_unverified_address_is_asked_to_verify_first(client, user):
    client.force_login(user)
    html = client.get("/settings/security").content.decode()
    assert "verify your email address" in html
    from tests.accounts.mfa_helpers import verified

    verified(user)
    assert "verify your email address" not in client.get("/settings/security").content.decode()


def test_allauths_2fa_pages_render_in_the_site_without_inline_script_or_style(client, user):
    import re

    from allauth.mfa.models import Authenticator

    secret, _ = turn_on_totp(user)
    password_step(client)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    pages = ["/accounts/2fa/reauthenticate/", "/accounts/reauthenticate/"]
    for path in pages:
        assert client.get(path).status_code == 200, path
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})  # changing 2FA asks for it first
    assert client.get("/accounts/2fa/webauthn/add/").status_code == 200  # (before the stand-in passkey below)
    passkey = Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Phone"})
    pages += [
        "/accounts/2fa/totp/deactivate/", "/accounts/2fa/recovery-codes/", "/accounts/2fa/recovery-codes/generate/",
        f"/accounts/2fa/webauthn/keys/{passkey.pk}/edit/",
        f"/accounts/2fa/webauthn/keys/{passkey.pk}/remove/",
    ]  # fmt: skip
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, (path, response.get("Location"))
        html = response.content.decode()
        assert 'class="tabs"' in html or "auth-card" in html, path  # the settings layout, or the login card
        assert not re.search(r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>', html), path
        assert not re.search(r"\sstyle=|\son[a-z]+=", html), path
