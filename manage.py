#!/usr/bin/env python
import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import environ

    environ.Env.read_env(Path(__file__).resolve().parent / ".env")  # as settings do, before deciding below
    from config.embedded import start_if_needed

    start_if_needed()  # the embedded PostgreSQL and Redis, unless DATABASE_URL and REDIS_URL name others
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # Settings that cannot load (production without SECRET_KEY) stop every command here, loudly:
    # Django's command line would otherwise carry on and run some commands without them.
    settings.INSTALLED_APPS  # noqa: B018

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
