"""Settings for the embedded default and the stack (SPEC §3), and the production hardening, from a clean environment."""

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
    "db_options": {k: v for k, v in settings.DATABASES["default"]["OPTIONS"].items() if k in ("host", "port")},
    "db_host": settings.DATABASES["default"]["HOST"],
    "redis": settings.REDIS_URL,
    "media": str(settings.MEDIA_ROOT),
    "beat": settings.CELERY_BEAT_SCHEDULE_FILENAME,
    "cache": settings.CACHES["default"]["BACKEND"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "debug": settings.DEBUG,
}))
"""


def settings_under(**env) -> dict:
    unset = {"DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "CHIRP_DATA_DIR", "MEDIA_ROOT"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_is_real_postgres_and_redis_in_the_data_folder(tmp_path):
    found = settings_under(CHIRP_DATA_DIR=str(tmp_path))  # reading settings starts nothing
    assert found["db"] == "django.db.backends.postgresql"
    assert found["db_options"] == {"host": str(tmp_path / "postgres"), "port": 5432}  # a Unix socket
    assert found["redis"] == f"unix://{tmp_path}/redis/redis.sock?db=0"
    assert found["cache"].endswith("RedisCache")
    assert found["layer"] == "channels_redis.core.RedisChannelLayer"
    assert found["eager"] is False
    assert found["broker"] == f"redis+socket://{tmp_path}/redis/redis.sock?virtual_host=0"
    assert found["media"] == str(tmp_path / "media")
    assert found["beat"] == str(tmp_path / "celerybeat-schedule")  # two checkouts' beats never share one
    assert not (tmp_path / "postgres").exists()


def test_the_default_data_folder_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", ".data/postgres/PG_VERSION"], cwd=ROOT, capture_output=True)
    assert ignored.returncode == 0


def test_stack_uses_postgres_and_redis():
    found = settings_under(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/chirp", REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert found["db"] == "django.db.backends.postgresql"
    assert found["db_host"] == "127.0.0.1"
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


def test_beat_makes_its_folder_in_a_new_data_folder(tmp_path):
    from config.celery import DataFolderScheduler
    from config.celery import app as celery_app

    schedule = tmp_path / "not-yet" / "celerybeat-schedule"
    scheduler = DataFolderScheduler(app=celery_app, schedule_filename=str(schedule), lazy=False)
    scheduler.close()
    assert schedule.parent.is_dir()
    assert celery_app.conf.beat_scheduler == "config.celery:DataFolderScheduler"
