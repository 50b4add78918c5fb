"""Chirp in Spanish, in a real browser: a reader who chooses Spanish and Mexico City in Settings, and
a visitor whose browser asks for Spanish and who switches to English at the foot of the page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from social.graph.models import Follow
from tests.factories import UserFactory
from tests.tweets.helpers import post
from tweets.models import Tweet

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_reader_chooses_spanish_and_mexico_city(browser, live_server_url, sign_in, shoot):
    ana = UserFactory(username="ana", name="Ana García")
    beto = UserFactory(username="beto", name="Beto Pérez")
    Follow.objects.create(follower=ana, followee=beto)
    old = post(beto, "Una mañana de invierno en la montaña")
    fresh = post(beto, "Recién publicado")
    winter_noon = timezone.now().replace(year=2025, month=1, day=15, hour=12, minute=0)  # UTC
    Tweet.objects.filter(pk=old.pk).update(created_at=winter_noon)
    Tweet.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(seconds=20))

    # Her browser says English and UTC; her settings say otherwise.
    context = browser.new_context(locale="en-US", timezone_id="UTC", viewport={"width": 1280, "height": 860})
    errors = []
    sign_in(context, ana)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server_url + "/settings/display")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("es")
    page.get_by_label("Time zone").select_option("America/Mexico_City")
    page.get_by_role("button", name="Save").click()

    # The next page is in Spanish, and says so.
    expect(page.get_by_text("Se guardó tu configuración de visualización.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_label("Idioma")).to_have_value("es")

    page.goto(live_server_url + "/")
    expect(page.get_by_role("link", name="Inicio").first).to_be_visible()
    # Times: relative ones in Spanish, and dates in Mexico City's time (noon UTC is 6 a.m. there).
    expect(page.locator(f"#tweet-{fresh.pk} time [aria-hidden=true]")).to_have_text("ahora")
    old_time = page.locator(f"#tweet-{old.pk} time")
    expect(old_time).to_have_attribute("title", re.compile(r"15 de enero de 2025.*6:00"))
    expect(old_time.locator(".visually-hidden")).to_have_text(re.compile(r"15 de enero de 2025.*6:00"))
    # The card's own words: the like button's name holds the Spanish verb.
    expect(page.locator(f"#tweet-{old.pk} .action-like")).to_have_attribute("aria-label", re.compile(r"^Me gusta"))
    shoot(page, "spanish-home-mexico-city")

    # A live sentence from the JavaScript catalogue: "Copy link" answers in Spanish.
    page.locator(f"#tweet-{old.pk} summary[aria-label]").click()
    expect(page.locator(f"#tweet-{old.pk} [data-copy-label]")).to_have_text("Copiar enlace")
    assert errors == []
    context.close()


def test_a_visitor_reads_their_browsers_language_and_switches_to_english(browser, live_server_url, shoot):
    context = browser.new_context(locale="es-ES", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.goto(live_server_url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="Iniciar sesión")).to_be_visible()
    shoot(page, "spanish-login")

    page.goto(live_server_url + "/explore")
    switch = page.locator("form.language-switch")
    switch.get_by_label("Idioma").select_option("en")
    switch.get_by_role("button", name="Cambiar").click()
    expect(page).to_have_url(re.compile(r"/explore$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("form.language-switch").get_by_label("Language")).to_have_value("en")
    assert {c["name"]: c["value"] for c in context.cookies()}["django_language"] == "en"
    context.close()
