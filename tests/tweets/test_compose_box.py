"""The compose box (templates/jinja2/tweets/compose.jinja): every field of the form, values kept, errors pointed at.

The box writes its inputs out rather than through the form's widgets (docs/PERFORMANCE.md, "The compose
box"), so these check what the widgets used to guarantee: each field is there under its name, a refused
post keeps what was typed, and every id the box refers to exists in it.
"""

import uuid
from html.parser import HTMLParser

import pytest

from tests.tweets.helpers import post
from tweets.forms import ComposeForm

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


class Box(HTMLParser):
    """The compose form's fields (name: attributes; a select's chosen option as `selected`) and every id in it."""

    def __init__(self, html: str):
        super().__init__()
        self.depth, self.fields, self.ids, self.refs, self.select, self.texts = 0, {}, set(), [], None, {}
        self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-compose" in attrs:
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "form":
            self.depth += 1
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for ref in ("aria-describedby", "aria-controls", "for"):
            self.refs.extend((attrs.get(ref) or "").split())
        if tag in ("input", "textarea", "select") and "name" in attrs:
            self.fields.setdefault(attrs["name"], attrs)
            if tag == "select":
                self.select = attrs["name"]
            if tag == "textarea":
                self._textarea = attrs["name"]
                self.texts[attrs["name"]] = ""
        if tag == "option" and "selected" in attrs and self.select:
            self.fields[self.select]["selected"] = attrs["value"]

    def handle_endtag(self, tag):
        if self.depth and tag == "form":
            self.depth -= 1
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.texts[self._textarea] += data


def test_every_field_of_the_compose_form_is_in_the_box(client_logged_in):
    box = Box(client_logged_in.get("/").content.decode())
    form = ComposeForm()
    assert {form[name].html_name for name in form.fields} <= set(box.fields)
    assert {"csrfmiddlewaretoken", "next", "scheduled_at", "tz"} <= set(box.fields)
    # Hidden fields keep their widget's attributes and a fresh token per render.
    assert "data-link-card-off" in box.fields["no_card"]
    token = box.fields["form_token"]["value"]
    assert uuid.UUID(token) and Box(client_logged_in.get("/").content.decode()).fields["form_token"]["value"] != token
    assert box.fields["poll_duration"]["selected"] == "1440"  # a day, the form's initial length
    assert set(box.refs) <= box.ids, set(box.refs) - box.ids


def test_a_refused_post_keeps_what_was_typed_and_points_at_each_error(client_logged_in):
    typed = {
        "text": "</textarea><script>alert(1)</script>",
        "content_warning": 'spoilers "ahead"',
        "sensitive": "on",
        "poll_choice_1": "Red",
        "poll_choice_2": "<Blue>",
        "poll_duration": "2",  # not one of the lengths offered
        "poll_multiple": "on",
        "form_token": str(uuid.uuid4()),
    }
    answer = client_logged_in.post("/compose", typed, headers=HTMX)
    assert answer.status_code == 400
    html = answer.content.decode()
    box = Box(html)
    assert box.texts["text"] == typed["text"] and "<script>" not in html
    assert box.fields["content_warning"]["value"] == typed["content_warning"]
    assert box.fields["poll_choice_2"]["value"] == "<Blue>"
    assert "checked" in box.fields["sensitive"] and "checked" in box.fields["poll_multiple"]
    assert "selected" not in box.fields["poll_duration"]  # "2" is no option, so none is chosen
    duration = box.fields["poll_duration"]
    assert duration["aria-invalid"] == "true" and duration["aria-describedby"] in box.ids
    assert "Select a valid choice." in html
    assert set(box.refs) <= box.ids, set(box.refs) - box.ids


def test_the_reply_box_answers_the_post_in_its_own_words(client_logged_in, user, other_user):
    tweet = post(other_user, "a post to answer")
    box = Box(client_logged_in.get(f"/@{other_user.username}/status/{tweet.pk}").content.decode())
    assert box.fields["reply_to"]["value"] == str(tweet.pk)
    assert box.fields["text"]["placeholder"] == "Post your reply" and box.fields["text"]["rows"] == "2"


def test_the_box_speaks_the_readers_language(client_logged_in, user):
    user.language = "es"
    user.save(update_fields=["language"])
    html = client_logged_in.get("/").content.decode()
    assert "Advertencia de contenido" in html and "Guardar borrador" in html
