"""Create the configured PostgreSQL database if it doesn't exist yet (for `make stack`)."""

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Create the PostgreSQL database named by DATABASE_URL when it is missing."

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        # Connect to the server's maintenance database, as Django's test runner does.
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
        self.stdout.write(self.style.SUCCESS(f"Created database {name}."))
