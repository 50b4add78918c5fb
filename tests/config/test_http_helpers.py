from django import forms

from config.kernel.errors import ServiceError
from config.kernel.http import add_form_error


class PostForm(forms.Form):
    text = forms.CharField()
    images = forms.CharField(required=False)


def _form():
    form = PostForm({"text": "hi"})
    assert form.is_valid()
    return form


def test_a_named_field_shows_under_its_form_field():
    form = _form()
    add_form_error(form, ServiceError("Too many.", field="mediaIds"), {"mediaIds": "images"})
    assert form.errors == {"images": ["Too many."]}


def test_other_names_and_unnamed_refusals_go_to_the_fallback():
    form = _form()
    add_form_error(form, ServiceError("Blocked.", field="replyToTweetId"), {"text": "text"})
    assert form.non_field_errors() == ["Blocked."]
    form = _form()
    add_form_error(form, ServiceError("Nobody to write to."), fallback="text")
    assert form.errors == {"text": ["Nobody to write to."]}


def test_a_message_shows_once():
    form = _form()
    add_form_error(form, ServiceError("No.", fields={"a": ["No."], "b": ["No."]}))
    assert form.non_field_errors() == ["No."]
