"""Settings > Display's Language: the reader's choice is kept and every page after it is in that language."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def display(client, **values):
    return client.post("/settings/display", {"autoplay_videos": "on", **values}, follow=True)


def test_choosing_spanish_makes_the_next_page_spanish(client):
    reader = UserFactory(username="reader")
    client.force_login(reader)
    form = client.get("/settings/display")
    assert form["Content-Language"] == "en"
    assert '<option value="es">Español</option>' in form.content.decode()  # each language in its own name
    saved = display(client, language="es")
    reader.refresh_from_db()
    assert reader.language == "es"
    assert saved.redirect_chain == [("/settings/display", 302)]
    assert saved["Content-Language"] == "es"
    page = saved.content.decode()
    assert '<html lang="es">' in page
    assert '<option value="es" selected>Español</option>' in page
    # Needs the merged Spanish catalogue (locale/es): the page's own words, and the flash said in the new language.
    assert "Configuración" in page
    assert "Se guardó tu configuración de visualización." in page
    # Back to the browser's: blank again, and English for a browser that asks for nothing else.
    display(client, language="")
    reader.refresh_from_db()
    assert reader.language == ""
    assert client.get("/settings/display")["Content-Language"] == "en"


@pytest.mark.parametrize("value", ["xx", "ES ", "es-ES; drop table", "e" * 100])
def test_a_language_not_in_the_list_is_a_form_error_and_changes_nothing(client, value):
    reader = UserFactory(username="reader", language="", autoplay_videos=True, show_sensitive_media=False)
    client.force_login(reader)
    answer = client.post("/settings/display", {"language": value, "show_sensitive_media": "on"})
    assert answer.status_code == 400
    assert "Choose a language from the list." in answer.content.decode()
    reader.refresh_from_db()
    assert reader.language == ""
    assert reader.show_sensitive_media is False and reader.autoplay_videos is True  # nothing else saved either
    assert answer["Content-Language"] == "en"
