"""A new person signs up, logs out, logs back in, edits the profile and sees it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_controls_labelled
from tests.images import image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sign_up_log_out_log_in_edit_profile(page, live_server_url, shoot, console_errors, tmp_path):
    page.goto(live_server_url + "/")
    expect(page.get_by_role("heading", name="Happening now")).to_be_visible()
    shoot(page, "01-welcome")

    page.get_by_role("main").get_by_role("link", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    assert_controls_labelled(page)
    page.get_by_label("Display name").fill("Erin Example")
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password", exact=True).fill("a-long-unusual-passphrase")
    shoot(page, "02-signup")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Welcome to Chirp, Erin Example")).to_be_visible()
    shoot(page, "03-home")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    assert_controls_labelled(page)
    shoot(page, "04-login")

    page.get_by_label("Username or email").fill("erin")
    page.get_by_label("Password", exact=True).fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome to Chirp, Erin Example")).to_be_visible()

    page.get_by_role("navigation", name="Primary").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Edit profile")).to_be_visible()
    assert_controls_labelled(page)
    avatar = tmp_path / "erin.png"
    avatar.write_bytes(image_bytes("PNG", (300, 300), color=(120, 60, 200)))
    page.get_by_label("Bio").fill("Writes tests <script>alert('x')</script> for fun.")
    page.get_by_label("Location").fill("Lisbon")
    page.get_by_label("Website").fill("https://erin.example.com")
    page.get_by_label("Avatar", exact=True).set_input_files(str(avatar))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile was saved.")).to_be_visible()
    shoot(page, "05-settings-profile")

    page.get_by_role("navigation", name="Primary").get_by_role("link", name="Profile").click()
    expect(page).to_have_url(re.compile(r"/@erin$"))
    profile = page.get_by_role("region", name="Profile")
    expect(profile.get_by_text("Writes tests <script>alert('x')</script> for fun.")).to_be_visible()
    expect(profile.get_by_text("Lisbon")).to_be_visible()
    expect(profile.locator("img.avatar")).to_be_visible()
    shoot(page, "06-profile")
    page.emulate_media(color_scheme="dark")
    shoot(page, "06-profile-dark")
    page.emulate_media(color_scheme="light")

    page.get_by_role("link", name="Settings").first.click()
    page.get_by_role("link", name="Privacy").click()
    page.get_by_label("Private account").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your privacy settings were saved.")).to_be_visible()
    shoot(page, "07-settings-privacy")

    assert console_errors == []


def test_bad_avatar_shows_a_message(page, live_server_url, tmp_path, django_user_model):
    from tests.factories import PASSWORD, UserFactory

    UserFactory(username="frank", name="Frank")
    page.goto(live_server_url + "/accounts/login/")
    page.get_by_label("Username or email").fill("frank")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server_url + "/settings/profile")
    fake = tmp_path / "fake.png"
    fake.write_text("not an image")
    page.get_by_label("Avatar", exact=True).set_input_files(str(fake))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").filter(has_text="isn't an image")).to_be_visible()
