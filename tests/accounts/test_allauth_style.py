"""allauth's pages and emails in the site's voice (issue 24): sentence case ("Change password", "Log out"),
and emails signed "Chirp" rather than the host and port, with the link on a line of its own."""

import re

import pytest
from django.core import mail

from accounts.templatetags.chirp import sentence_case
from tests.accounts.test_signup import page_data

pytestmark = pytest.mark.django_db

# Two Title Case words in a row, as allauth writes its titles ("Email Addresses"); "Chirp" is a name.
TITLE_CASE = re.compile(r"\b(?!Chirp\b)[A-Z][a-z]+ (?!Chirp\b)[A-Z][a-z]+\b")
SIGNED_OUT = ["/accounts/password/reset/", "/accounts/password/reset/done/", "/accounts/confirm-email/"]
SIGNED_IN = ["/accounts/password/change/", "/accounts/email/", "/accounts/logout/", "/accounts/reauthenticate/"]


def _words_shown(html: str) -> list[str]:
    """Titles, headings, buttons and labels: where allauth's Title Case showed."""
    found = re.findall(r"<title>(.*?)</title>", html, re.S)
    found += re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html, re.S)
    found += re.findall(r"<(?:button|a)[^>]*class=\"button[^\"]*\"[^>]*>(.*?)</(?:button|a)>", html, re.S)
    found += re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip() for text in found]


def test_account_pages_use_sentence_case(client, user):
    for signed_in, paths in ((False, SIGNED_OUT), (True, SIGNED_IN)):
        if signed_in:
            client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            shown = _words_shown(response.content.decode())
            assert not [text for text in shown if TITLE_CASE.search(text)], (path, shown)
    html = client.get("/accounts/password/change/").content.decode()
    assert "Change password" in _words_shown(html) and "Current password" in _words_shown(html)
    assert "New password (again)" in html
    logout = client.get("/accounts/logout/").content.decode()
    assert "Sign Out" not in logout and "Log out" in logout  # the site's word for it


def test_sentence_case_keeps_tags_names_and_acronyms():
    assert sentence_case("Reset My Password") == "Reset my password"
    assert sentence_case("Sign In to Chirp") == "Log in to Chirp"
    assert sentence_case("Set Up TOTP") == "Set up TOTP"
    assert sentence_case('a@b.org <span class="Pill X">Unverified Address</span>') == (
        'a@b.org <span class="Pill X">Unverified address</span>'
    )
    assert str(sentence_case("Email &amp; Password")) == "Email &amp; password"


def test_the_confirmation_email_is_signed_chirp_with_its_link_on_one_line(client):
    client.post("/accounts/signup/", page_data())
    (message,) = [m for m in mail.outbox if "confirm" in m.subject.lower()]
    assert message.subject == "Chirp: Confirm your email address"
    lines = message.body.splitlines()
    assert lines[0] == "Hello from Chirp!"
    assert [line for line in lines if line.strip()][-1] == "— Chirp"
    (link,) = [line for line in lines if "http" in line]
    assert re.fullmatch(r"http://testserver/accounts/confirm-email/\S+/", link)  # alone on its line, unbroken
    assert "testserver" not in message.body.replace(link, "")  # the host and port sign nothing
    assert "@Carol_1" in message.body
    assert client.get(link.removeprefix("http://testserver")).status_code == 200


def test_other_account_emails_are_signed_chirp_too(client, user):
    client.post("/accounts/password/reset/", {"email": user.email})
    (message,) = mail.outbox
    assert message.subject == "Chirp: Reset your password"
    assert message.body.startswith("Hello from Chirp!") and message.body.rstrip().endswith("— Chirp")
    assert "testserver" not in message.body.replace(re.search(r"http://\S+", message.body).group(0), "")
