"""Django's own checks, run against the suite's database (so `make lint` needs no server)."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())  # SystemExit(1) if they differ


def test_system_checks_pass():
    output = io.StringIO()
    call_command("check", "--database", "default", stdout=output)
    assert "no issues" in output.getvalue()
