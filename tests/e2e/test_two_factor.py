"""Two-factor login in a real browser: an authenticator app, a recovery code, and a passkey (Chromium's virtual one)."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.accounts.mfa_helpers import totp_code, turn_on_totp, verified
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in_with_password(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def confirm_password_if_asked(page, shoot=None) -> None:
    """allauth asks for the password again before changing how the account logs in."""
    if "/reauthenticate/" in page.url:
        if shoot:
            shoot(page, "89-reauthenticate")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name=re.compile("Confirm")).click()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def a_fresh_code(secret: str, used: str) -> str:
    """The app's code, once its 30 s window has moved past the one just used (a code works once)."""
    while (code := totp_code(secret)) == used:
        time.sleep(0.5)
    return code


def test_turn_on_an_authenticator_app_then_log_in_with_it(page, live_server_url, shoot, console_errors):
    erin = UserFactory(username="erin", name="Erin Example")
    verified(erin)
    log_in_with_password(page, live_server_url, "erin")
    page.goto(live_server_url + "/settings/security")
    expect(page.get_by_role("heading", name="Two-factor login")).to_be_visible()
    page.get_by_role("link", name="Turn on", exact=True).click()
    confirm_password_if_asked(page, shoot)
    expect(page.get_by_role("heading", name="Turn on an authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    shoot(page, "90-2fa-turn-on")
    secret = page.get_by_label("Or type this key into the app").input_value()
    used = totp_code(secret)
    page.get_by_label("Authenticator code").fill(used)
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_label("Unused codes")).to_be_visible()  # the ten recovery codes, shown at once
    assert len(re.findall(r"\d{8}", page.get_by_label("Unused codes").input_value())) == 10
    shoot(page, "91-2fa-recovery-codes")

    log_out(page)
    log_in_with_password(page, live_server_url, "erin")
    expect(page.get_by_role("heading", name="Two-factor login")).to_be_visible()
    shoot(page, "92-2fa-login-step")
    page.get_by_label(re.compile("Code from your authenticator app")).fill("000000" if used != "000000" else "111111")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.get_by_label(re.compile("Code from your authenticator app")).fill(a_fresh_code(secret, used))
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()

    page.goto(live_server_url + "/settings/security")
    expect(page.get_by_text("Authenticator app turned on")).to_be_visible()
    expect(page.get_by_text("Wrong two-factor code")).to_be_visible()
    expect(page.get_by_test_id("sessions").get_by_text("This browser")).to_be_visible()
    shoot(page, "93-settings-security")
    assert console_errors == []


def test_log_in_with_a_recovery_code(page, live_server_url, shoot):
    fay = UserFactory(username="fay")
    _, codes = turn_on_totp(fay)
    log_in_with_password(page, live_server_url, "fay")
    expect(page.get_by_role("heading", name="Two-factor login")).to_be_visible()
    page.get_by_label(re.compile("or a recovery code")).fill(codes[0])
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    page.goto(live_server_url + "/settings/security")
    expect(page.get_by_test_id("codes-left")).to_have_text(re.compile("9 of 10 unused"))
    expect(page.get_by_text("Recovery code used")).to_be_visible()

    log_out(page)
    log_in_with_password(page, live_server_url, "fay")
    page.get_by_label(re.compile("or a recovery code")).fill(codes[0])  # spent: refused
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()


def test_register_a_passkey_then_log_in_with_it_alone(page, live_server_url, shoot, console_errors):
    # WebAuthn needs a domain (or localhost), not an IP address, as the relying party's id.
    base = live_server_url.replace("127.0.0.1", "localhost")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {"options": {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
                     "hasUserVerification": True, "isUserVerified": True}},
    )  # fmt: skip
    gus = UserFactory(username="gus")
    verified(gus)
    log_in_with_password(page, base, "gus")
    page.goto(base + "/settings/security")
    page.get_by_role("link", name="Add a passkey").click()
    confirm_password_if_asked(page)
    expect(page.get_by_role("heading", name="Add a passkey")).to_be_visible()
    page.get_by_label("Name").fill("Test laptop")
    expect(page.get_by_label(re.compile("Log in with this passkey alone"))).to_be_checked()
    shoot(page, "94-passkey-add")
    page.get_by_role("button", name="Add passkey").click()
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": added["authenticatorId"]})["credentials"]
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"]

    page.goto(base + "/settings/security")
    expect(page.get_by_role("link", name="Remove Test laptop")).to_be_visible()
    expect(page.get_by_text("Passkey added")).to_be_visible()

    log_out(page)
    shoot(page, "96-login-with-passkey")
    page.get_by_role("button", name="Use a passkey").click()  # "Log in" alone stays one button for other tests
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    page.goto(base + "/settings/security")
    expect(page.get_by_text("Logged in with a passkey")).to_be_visible()
    shoot(page, "95-settings-security-passkey")
    page.get_by_role("link", name="Remove Test laptop").click()
    confirm_password_if_asked(page)
    page.get_by_role("button", name="Remove").click()
    expect(page).to_have_url(re.compile(r"/settings/security#passkeys$"))
    expect(page.get_by_text("No passkeys yet.")).to_be_visible()
    expect(page.get_by_test_id("security-log").get_by_text("Passkey removed")).to_be_visible()
    assert console_errors == []
