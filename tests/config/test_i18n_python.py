"""The words Python hands to readers are translatable: a flash message, a service's error (shown on
forms and in API error bodies), a form's labels, help and errors. A literal or an f-string there
fails; gettext()/gettext_lazy() (as `_`) passes.

Left out, each with why: the Mastodon API (social/mastodon/: its clients show Mastodon's English
errors to developers), API serializers' help texts (the OpenAPI schema is one document, in English),
migrations, management commands (operators' console) and the tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
APPS = ("accounts", "tweets", "social", "timelines", "notifications", "search", "config")
SKIPPED_PARTS = {"migrations", "management", "mastodon", "tests"}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error", "add_message"}
ERRORS = {"ServiceError", "ValidationError"}
FORM_WORDS = {"label", "help_text", "empty_label"}
FORM_DICTS = {"labels", "help_texts", "error_messages"}


def modules() -> list[str]:
    return sorted(
        str(path.relative_to(BASE))
        for app in APPS
        for path in (BASE / app).rglob("*.py")
        if not SKIPPED_PARTS & set(path.relative_to(BASE).parts)
    )


def worded(node) -> bool:
    """A literal with words in it, or an f-string: what a translator never sees."""
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and any(c.isalpha() for c in node.value)


def _name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def literals(source: str, *, form_module: bool) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            owner = getattr(node.func, "value", None)
            if name in MESSAGE_LEVELS and getattr(owner, "id", "") == "messages" and len(node.args) >= 2:
                found += [(node.lineno, "messages")] if worded(node.args[1]) else []
            if name in ERRORS and node.args and worded(node.args[0]):
                found.append((node.lineno, name))
            if form_module:
                words = [kw for kw in node.keywords if kw.arg in FORM_WORDS and worded(kw.value)]
                found += [(kw.value.lineno, kw.arg) for kw in words]
                for kw in node.keywords:
                    if kw.arg == "error_messages" and isinstance(kw.value, ast.Dict):
                        found += [(v.lineno, "error_messages") for v in kw.value.values if worded(v)]
        if form_module and isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            targets = {getattr(t, "id", "") for t in node.targets}
            if targets & FORM_DICTS:
                found += [(v.lineno, next(iter(targets))) for v in node.value.values if worded(v)]
    return found


@pytest.mark.parametrize("name", modules())
def test_words_for_readers_are_translatable(name):
    source = (BASE / name).read_text(encoding="utf-8")
    form_module = Path(name).stem == "forms" or "forms" in Path(name).parts
    left = literals(source, form_module=form_module)
    assert left == [], f"{name}: untranslated words at {left}"


@pytest.mark.parametrize(
    ("source", "form_module", "count"),
    [
        ('messages.success(request, "Saved.")', False, 1),
        ('messages.success(request, _("Saved."))', False, 0),
        ('raise ServiceError(f"Too long: {n}")', False, 1),
        ('raise ServiceError(_("Too long."), field="text")', False, 0),
        ('x = forms.CharField(label="Name", help_text=_("Shown to all"))', True, 1),
        ('x = forms.CharField(label="Name")', False, 0),
        ('x = forms.ChoiceField(error_messages={"invalid_choice": "Choose one."})', True, 1),
        ('labels = {"bio": "Bio", "name": _("Name")}', True, 1),
        ('raise ServiceError("")', False, 0),
    ],
)
def test_the_checker(source, form_module, count):
    assert len(literals(source, form_module=form_module)) == count
