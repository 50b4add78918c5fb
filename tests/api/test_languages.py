"""The API's error texts follow Accept-Language; status codes, shapes and field names don't."""

import pytest

from tweets.models import Tweet

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "language", "text"),
    [
        ({}, "en", "Write something or add an image."),
        ({"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}, "es", "Escribe algo o añade una imagen."),
        ({"HTTP_ACCEPT_LANGUAGE": "de"}, "en", "Write something or add an image."),
    ],
)
def test_an_error_in_the_readers_language_with_the_same_shape(user_api, header, language, text):
    answer = user_api.post("/api/v1/tweets", {"text": "   "}, format="json", **header)
    assert answer.status_code == 400
    assert answer["Content-Language"] == language
    assert answer.json() == {"error": text, "fields": {"text": [text]}}
    assert not Tweet.objects.exists()
