"""The Mastodon home-timeline row: the same readers as `home_api`, through Mastodon's API (issue 22).

Each reader gets an OAuth token of an app registered as a Mastodon app, as Mastodon.py or
masto.js would hold after signing in, and the row reads `GET /api/v1/timelines/home?limit=20`:
the same Redis-backed read as Chirp's own `/api/v1/timeline/home`, written as Mastodon's
Status entities. The report compares the two (the goal: within 20 % of each other).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

APP_NAME = "bench mastodon client"
PATH = "/api/v1/timelines/home?limit=20"


def make_tokens(user_ids: list[int]) -> dict[int, str]:
    """{user id: access token}, each reader with a Mastodon app of its own (made afresh each run; hours to live).

    One app per reader, as Mastodon clients register one per installation (POST /api/v1/apps): one app
    shared by every reader would be held to the per-app rate limit (API_RATE_APP) and measure 429s.
    """
    from django.db import transaction
    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model, get_application_model

    from accounts.models import DeveloperApp
    from config.kernel.api.auth import OAUTH_TOKEN_PREFIX

    Application, AccessToken = get_application_model(), get_access_token_model()
    expires = timezone.now() + timedelta(hours=6)
    with transaction.atomic():
        Application.objects.filter(name=APP_NAME).delete()
        app = {
            "name": APP_NAME, "client_type": "confidential", "authorization_grant_type": "authorization-code",
            "redirect_uris": "https://bench.example/callback", "hash_client_secret": False,
        }  # fmt: skip
        apps = Application.objects.bulk_create(Application(**app) for _ in user_ids)
        DeveloperApp.objects.bulk_create(
            DeveloperApp(application=app, scopes="read write follow push", api="mastodon") for app in apps
        )
        tokens = {user_id: OAUTH_TOKEN_PREFIX + secrets.token_urlsafe(32) for user_id in user_ids}
        AccessToken.objects.bulk_create(
            AccessToken(user_id=user_id, application=app, token=tokens[user_id], scope="read write", expires=expires)
            for user_id, app in zip(user_ids, apps, strict=True)
        )
    return tokens


def requests(tokens: dict[int, str]) -> list[dict]:
    return [{"path": PATH, "headers": {"Authorization": f"Bearer {t}"}} for t in tokens.values()]


def line(results: dict) -> str:
    """The two home timelines side by side: p95 and CPU per request, and their ratio."""
    chirp, mastodon = results.get("home_api"), results.get("mastodon_home")
    if not chirp or not mastodon:
        return "- Mastodon home timeline: not measured"

    def p95(row):
        values = [run["server_ms"]["p95"] or 0 for run in row["runs"]]
        return sum(values) / len(values)

    errors = sum(run.get("errors", 0) for row in (chirp, mastodon) for run in row["runs"])
    if errors:  # refused requests (429s) cost next to nothing: a ratio with them would flatter
        return f"- Mastodon home timeline: {errors} errors: not comparable"
    cpu_chirp, cpu_mastodon = chirp["cpu_ms"]["total"], mastodon["cpu_ms"]["total"]
    cpu = f"{cpu_mastodon / cpu_chirp:.2f}x" if cpu_chirp and cpu_mastodon else "n/a"
    return (
        f"- Mastodon's home timeline (/api/v1/timelines/home) against Chirp's (/api/v1/timeline/home), "
        f"same readers: p95 {p95(mastodon):.1f} vs {p95(chirp):.1f} ms ({p95(mastodon) / max(p95(chirp), 0.01):.2f}x), "
        f"CPU per request {cpu_mastodon} vs {cpu_chirp} ms ({cpu}); goal: within 20 % (issue 22)"
    )
