"""Shared steps of the OAuth tests: an app, the consent page, the token endpoint."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from accounts import oauth

REDIRECT = "https://app.example/callback"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def make_app(owner, *, client_type="confidential", scopes=("read", "write", "follow")):
    app, secret = oauth.app_create(
        user=owner, name="Test App", redirect_uris=[REDIRECT], scopes=list(scopes), website="https://app.example",
        client_type=client_type,
    )  # fmt: skip
    app.raw_secret = secret
    return app


def authorize_params(app, challenge=None, *, scope="read", state="st4te", redirect_uri=REDIRECT, method="S256"):
    params = {"response_type": "code", "client_id": app.client_id, "redirect_uri": redirect_uri, "scope": scope}
    if state is not None:
        params["state"] = state
    if challenge is not None:
        params["code_challenge"] = challenge
        params["code_challenge_method"] = method
    return params


def approve(client, app, challenge=None, **kwargs) -> str:
    """Through the consent page as a signed-in person: the code it redirects back with."""
    params = authorize_params(app, challenge, **kwargs)
    page = client.get("/oauth/authorize", params)
    assert page.status_code == 200, page.content[:500]
    answer = client.post("/oauth/authorize", {**params, "allow": "Authorize"})
    assert answer.status_code == 302, answer.content[:500]
    query = parse_qs(urlsplit(answer["Location"]).query)
    assert query["state"] == [params.get("state")]
    assert query["iss"] == ["http://testserver"]  # RFC 9207: which server issued the code
    return query["code"][0]


def token_post(client, **data):
    return client.post("/oauth/token", urlencode(data), content_type="application/x-www-form-urlencoded")


def exchange(client, app, code, verifier=None, **extra):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": app.client_id}
    if verifier is not None:
        data["code_verifier"] = verifier
    if app.raw_secret:
        data["client_secret"] = app.raw_secret
    return token_post(client, **data, **extra)


def tokens_for(client, app, scope="read") -> dict:
    verifier, challenge = pkce()
    code = approve(client, app, challenge, scope=scope)
    answer = exchange(client, app, code, verifier)
    assert answer.status_code == 200, answer.content
    return answer.json()


def refresh(client, app, refresh_token, **extra):
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": app.client_id}
    if app.raw_secret:
        data["client_secret"] = app.raw_secret
    return token_post(client, **data, **extra)


def api_get(api_client, token, path="/api/v1/timeline/home"):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api_client.get(path)
