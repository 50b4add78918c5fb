"""The two run modes of SPEC §3, and the production hardening, read from a clean environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "debug": settings.DEBUG,
}))
"""


def settings_under(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_needs_no_services():
    found = settings_under()
    assert found["db"] == "django.db.backends.sqlite3"
    assert found["cache"].endswith("LocMemCache")
    assert found["layer"].endswith("InMemoryChannelLayer")
    assert found["eager"] is True
    assert found["broker"] == "memory://"


def test_stack_uses_postgres_and_redis():
    found = settings_under(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/chirp", REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert found["db"] == "django.db.backends.postgresql"
    assert found["cache"].endswith("RedisCache")
    assert found["layer"] == "channels_redis.core.RedisChannelLayer"
    assert found["eager"] is False
    assert found["broker"] == "redis://127.0.0.1:6379/3"


def test_check_deploy_is_clean_under_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(
        PRODUCTION="1",
        SECRET_KEY="x7$Kq!pZ2v@9LmN#4rT^8wYb&1cF*6hJ(0sD)3gA-5eR+7uI=2oP~9yU",
        ALLOWED_HOSTS="chirp.example.com",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/chirp",
        REDIS_URL="redis://127.0.0.1:6379/3",
        SMTP_HOST="smtp.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(PRODUCTION="1", ALLOWED_HOSTS="chirp.example.com")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
