"""Django's compilemessages without GNU gettext: each locale/<lang>/LC_MESSAGES/*.po compiled by polib.

msgfmt comes from a system package that a fresh machine may lack; the catalogues are small, and
polib writes the same .mo files. The compiled files are committed, so `make run` needs neither
(tests/config/test_i18n_catalogue.py fails when a .mo falls behind its .po).
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues() -> list[Path]:
    return sorted(po for folder in settings.LOCALE_PATHS for po in Path(folder).glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compiles the project's translation catalogues (locale/) with polib."

    def handle(self, *args, **options):
        for po in catalogues():
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))
            self.stdout.write(f"compiled {po}")
