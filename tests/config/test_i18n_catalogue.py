"""The Spanish catalogue is complete and current (locale/es/LC_MESSAGES/).

makemessages runs over the code into a copy of the catalogue: every message the code has must be
there, translated and not fuzzy, and the catalogue holds nothing the code no longer says. The
compiled .mo files are committed (so `make run` needs no GNU gettext): each must say what its .po says.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
DOMAINS = ["django", "djangojs"]


def entries(po: polib.POFile) -> dict[tuple[str, str], polib.POEntry]:
    return {(entry.msgctxt or "", entry.msgid): entry for entry in po if not entry.obsolete}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogues makemessages writes from the code as it is now (it reads from the current folder)."""
    into = tmp_path_factory.mktemp("locale")
    shutil.copytree(LOCALE, into, dirs_exist_ok=True)
    here = os.getcwd()
    os.chdir(settings.BASE_DIR)
    try:
        for domain in DOMAINS:
            call_command("makemessages", locale=LANGUAGES, domain=domain, into=str(into), verbosity=0)
    finally:
        os.chdir(here)
    return into


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_is_translated(extracted, language, domain):
    po = polib.pofile(str(extracted / language / "LC_MESSAGES" / f"{domain}.po"))
    missing = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert missing == [], f"{len(missing)} messages without {language}: {missing[:20]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy {language} messages (check and unmark them): {fuzzy[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_catalogue_is_current(extracted, language, domain):
    """Run `make messages` when this fails: the code says something the catalogue doesn't, or the reverse."""
    fresh = entries(polib.pofile(str(extracted / language / "LC_MESSAGES" / f"{domain}.po")))
    committed = entries(polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po")))
    assert sorted(set(fresh) - set(committed)) == []
    assert sorted(set(committed) - set(fresh)) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_matches_its_source(language, domain):
    folder = LOCALE / language / "LC_MESSAGES"
    source = {
        key: (e.msgstr, dict(e.msgstr_plural))
        for key, e in entries(polib.pofile(str(folder / f"{domain}.po"))).items()
        if e.translated()
    }
    compiled = {
        key: (e.msgstr, dict(e.msgstr_plural))
        for key, e in entries(polib.mofile(str(folder / f"{domain}.mo"))).items()
        if key != ("", "")
    }
    assert compiled == source, "run `make messages` (or manage.py compilemessages) and commit the .mo"


def test_the_extractor_reads_the_jinja2_card():
    from config.management.commands.makemessages import jinja_as_python

    card = Path(settings.BASE_DIR) / "templates" / "jinja2" / "tweets" / "actions.jinja"
    assert "gettext(" in jinja_as_python(str(card))
