"""Every word a template shows is translatable: a test per template fails on text left outside
{% translate %} / {% blocktranslate %} (Django) or _() / {% trans %} (Jinja2).

What a reader sees or hears counts: text between tags, and the attributes that carry words (title,
placeholder, aria-label, alt, label, a button's value, and data-* attributes that scripts show).
What is not words is left out first: comments, {{ values }}, {% tags %}, scripts and styles.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "templates"
KINDS = {".html", ".txt", ".jinja"}
# Words that are the same in every language.
SAME_EVERYWHERE = {"Chirp"}
# Templates that are not the product's own words, each with why.
EXEMPT = {
    "drf_spectacular/swagger_ui.html": "the API explorer's page for developers, Swagger UI's own markup",
}
WORD = re.compile(r"[^\W\d_]{2,}")
WORDED_ATTRIBUTES = {"title", "placeholder", "aria-label", "aria-roledescription", "alt", "label"}
WORDED_DATA = re.compile(r"^data-.*(text|label|message|confirm|title|announce)")

TRANSLATED_BLOCKS = re.compile(
    r"{%-?\s*(blocktranslate|blocktrans|trans)\b(?!\s+[\"'])[^%]*%}.*?{%-?\s*end(blocktranslate|blocktrans|trans)\s*-?%}",
    re.S,
)
# {% block content_class %}content chat-page{% endblock %}: class names for an attribute, not words.
CLASS_BLOCKS = re.compile(r"{%-?\s*block\s+\w*class\s*-?%}.*?{%-?\s*endblock\b[^%]*%}", re.S)
COMMENTS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
TAGS = re.compile(r"{{.*?}}|{%.*?%}", re.S)
UNREAD = re.compile(r"<(script|style|svg)\b[^>]*>.*?</\1>", re.S | re.I)


def templates() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*")
        if path.suffix in KINDS and str(path.relative_to(ROOT)) not in EXEMPT
    )


class Words(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_data(self, data):
        self.keep(data)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            worded = name in WORDED_ATTRIBUTES or WORDED_DATA.match(name)
            button_value = name == "value" and tag == "input" and dict(attrs).get("type") in {"submit", "button"}
            if value and (worded or button_value):
                self.keep(value)

    handle_startendtag = handle_starttag

    def keep(self, text):
        words = [word for word in WORD.findall(text) if word not in SAME_EVERYWHERE]
        if words:
            self.found.append(" ".join(text.split()))


def untranslated(source: str, *, markup: bool) -> list[str]:
    source = COMMENTS.sub(" ", source)
    source = CLASS_BLOCKS.sub(" ", source)
    source = TRANSLATED_BLOCKS.sub(" ", source)
    source = TAGS.sub(" ", source)
    if not markup:  # a plain-text email: every line is words
        return [" ".join(line.split()) for line in source.splitlines() if WORD.search(line)]
    source = UNREAD.sub(" ", source)
    parser = Words()
    parser.feed(source)
    parser.close()
    return parser.found


@pytest.mark.parametrize("name", templates())
def test_every_word_is_translatable(name):
    source = (ROOT / name).read_text(encoding="utf-8")
    left = untranslated(source, markup=not name.endswith(".txt"))
    assert left == [], f"{name}: text outside {{% translate %}} / _(): {left}"


@pytest.mark.parametrize(
    ("source", "markup", "left"),
    [
        ("<p>Hello</p>", True, ["Hello"]),
        ('<p>{% translate "Hello" %}</p>', True, []),
        ("<p>{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}</p>", True, []),
        ('<p>{{ _("Hello") }} {{ n }} likes</p>', True, ["likes"]),
        ("{% trans n=n %}{{ n }} like{% pluralize %}{{ n }} likes{% endtrans %}", True, []),
        ('<button aria-label="Close">{% translate "x" %}</button>', True, ["Close"]),
        ('<input type="submit" value="Save">', True, ["Save"]),
        ('<input type="hidden" name="next" value="somewhere">', True, []),
        ('<span data-copy-label="Copied">{{ x }}</span>', True, ["Copied"]),
        ("{% block content_class %}content chat-page{% endblock %}<p>Hi</p>", True, ["Hi"]),
        ("<script>const words = 'not here';</script>{# a comment #}<b>Chirp</b> · 3", True, []),
        ("Hello {{ name }},\n\n{% translate 'Thanks' %}\n", False, ["Hello ,"]),
    ],
)
def test_the_checker_finds_words_and_only_words(source, markup, left):
    assert untranslated(source, markup=markup) == left


def test_every_template_is_checked():
    assert len(templates()) > 100  # the folder moved or the kinds changed: nothing would be checked
