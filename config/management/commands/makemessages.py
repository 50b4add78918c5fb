"""Django's makemessages, reading the post card's Jinja2 templates (templates/jinja2/) too.

Django reads .html and .txt files as its own template language. A .jinja file goes through Jinja2's
own extractor instead, written out as gettext()/ngettext() calls on the same lines, so xgettext
finds every message and the catalogue says where each came from. The project's defaults (file kinds,
folders that hold no product text) are set here: `manage.py makemessages -l es` and
`-d djangojs -l es` need nothing more (`make messages`, docs/I18N.md).
"""

from __future__ import annotations

from django.core.management.commands import makemessages
from jinja2.ext import babel_extract

KEYWORDS = ("_", "gettext", "ngettext")
IGNORED = ["node_modules/*", "staticfiles/*", "media/*", "private_media/*", "tests/*", "bench/*", "docs/*"]


def jinja_as_python(path: str) -> str:
    """The messages of a Jinja2 template as Python calls, each on its template line."""
    with open(path, "rb") as fp:
        lines = fp.read().decode("utf-8").count("\n") + 1
    calls: dict[int, list[str]] = {}
    with open(path, "rb") as fp:
        for lineno, function, message, _comments in babel_extract(fp, KEYWORDS, [], {}):
            if isinstance(message, tuple) and function != "ngettext":
                # _("%(name)s on Chirp", name=...): newstyle named values come as Nones after the message.
                message = message[0]
            if isinstance(message, tuple):  # ngettext: (singular, plural, the count's expression)
                singular, plural = message[0], message[1]
                if singular is None or plural is None:
                    continue
                calls.setdefault(lineno, []).append(f"ngettext({singular!r}, {plural!r}, n)")
            elif message is not None:
                calls.setdefault(lineno, []).append(f"gettext({message!r})")
    return "\n".join("; ".join(calls.get(line, [])) for line in range(1, lines + 1)) + "\n"


class BuildFile(makemessages.BuildFile):
    def preprocess(self):
        if self.domain == "django" and self.path.endswith(".jinja"):
            with open(self.work_path, "w", encoding="utf-8") as fp:
                fp.write(jinja_as_python(self.path))
            return
        super().preprocess()


class Command(makemessages.Command):
    build_file_class = BuildFile

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--into",
            default="",
            help="Write the catalogues under this folder instead of locale/ (the catalogue test compares them).",
        )

    def find_files(self, root):
        files = super().find_files(root)
        if self.into:
            for found in files:
                found.locale_dir = self.into
        return files

    def handle(self, *args, **options):
        self.into = options["into"]
        if not options.get("extensions"):
            options["extensions"] = ["js"] if options.get("domain") == "djangojs" else ["html,txt,py,jinja"]
        options["ignore_patterns"] = [*(options.get("ignore_patterns") or []), *IGNORED]
        options["no_obsolete"] = True  # a catalogue holds what the code says now
        return super().handle(*args, **options)
