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
    """{user id: access token} for a Mastodon app of the bench (made afresh each run; hours to live)."""
    from django.db import transaction
    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model, get_application_model

    from accounts.models import DeveloperApp
    from config.kernel.api.auth import OAUTH_TOKEN_PREFIX

    Application, AccessToken = get_application_model(), get_access_token_model()
    with transaction.atomic():
        Application.objects.filter(name=APP_NAME).delete()
        app = Application.objects.create(
            name=APP_NAME, client_type="confidential", authorization_grant_type="authorization-code",
            redirect_uris="https://bench.example/callback",
        )  # fmt: skip
        DeveloperApp.objects.create(application=app, scopes="read write follow push", api="mastodon")
        expires = timezone.now() + timedelta(hours=6)
        tokens = {}
        for user_id in user_ids:
            value = OAUTH_TOKEN_PREFIX + secrets.token_urlsafe(32)
            AccessToken.objects.create(
                user_id=user_id, application=app, token=value, scope="read write", expires=expires
            )
            tokens[user_id] = value
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

    cpu_chirp, cpu_mastodon = chirp["cpu_ms"]["total"], mastodon["cpu_ms"]["total"]
    cpu = f"{cpu_mastodon / cpu_chirp:.2f}x" if cpu_chirp and cpu_mastodon else "n/a"
    return (
        f"- Mastodon's home timeline (/api/v1/timelines/home) against Chirp's (/api/v1/timeline/home), "
        f"same readers: p95 {p95(mastodon):.1f} vs {p95(chirp):.1f} ms ({p95(mastodon) / max(p95(chirp), 0.01):.2f}x), "
        f"CPU per request {cpu_mastodon} vs {cpu_chirp} ms ({cpu}); goal: within 20 % (issue 22)"
    )
