"""The OAuth 2 provider's pages and endpoints (accounts/oauth.py holds the rules).

/oauth/authorize (consent), /oauth/token, /oauth/revoke, /oauth/introspect and
/.well-known/oauth-authorization-server are django-oauth-toolkit's views, with
our consent page, the `state` requirement and introspection limited to the
asking app's own tokens. Settings → Developer apps lists a developer's apps
and the apps the person approved ("Connected apps").
"""

from __future__ import annotations

import hashlib
import json
import time
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider import views as dot
from oauth2_provider.compat import login_not_required
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauthlib.common import Request as OAuthlibRequest

from accounts import oauth
from accounts.forms import DeveloperAppForm
from config.kernel.api.oauth_scopes import SCOPES
from config.kernel.errors import ServiceError

STATE_MISSING = (
    "This app sent you here without a “state” value, which protects you from a forged sign-in. "
    "Nothing was approved. Tell the app's developer."
)


PLAIN_PKCE = "This app asked for PKCE without S256 (the “plain” method isn't accepted). Nothing was approved."


class AuthorizeView(dot.AuthorizationView):
    """The consent page. A request without `state`, or with plain PKCE, is refused here, on a page, never redirected."""

    template_name = "accounts/oauth_authorize.html"

    def get(self, request, *args, **kwargs):
        response = self._refusal(request.GET) or super().get(request, *args, **kwargs)
        redirect_uri = (getattr(response, "context_data", None) or {}).get("redirect_uri")
        if response.status_code == 200 and redirect_uri:
            # The consent form's answer redirects to the app, and browsers hold a form's redirects to
            # form-action: allow the app's (registered, just checked) origin on this page only.
            parts = urlsplit(redirect_uri)
            form_action = [CSP.SELF, f"{parts.scheme}://{parts.netloc}" if parts.netloc else f"{parts.scheme}:"]
            response._csp_config = {**settings.SECURE_CSP, "form-action": form_action}
        return response

    def post(self, request, *args, **kwargs):
        return self._refusal(request.POST) or super().post(request, *args, **kwargs)

    def _refusal(self, params):
        """No `state` (required of Chirp apps; Mastodon's clients send none: docs/DECISIONS.md "Mastodon API"),
        or PKCE other than S256 (a challenge without a method means `plain`): an error page."""
        if not params.get("state") and not oauth.is_mastodon_client(params.get("client_id", "")):
            description = STATE_MISSING
        elif params.get("code_challenge") and params.get("code_challenge_method") != "S256":
            description = PLAIN_PKCE
        else:
            return None
        context = {"error": {"error": "invalid_request", "description": description}}
        return render(self.request, self.template_name, context, status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scopes = kwargs.get("scopes") or context.get("scopes") or []
        context["scope_rows"] = [(scope, _(SCOPES[scope]) if scope in SCOPES else scope) for scope in scopes]
        application = context.get("application")
        context["website"] = getattr(getattr(application, "chirp", None), "website", "")
        return context

    def redirect(self, redirect_to, application):
        """The out-of-band redirect URI (Mastodon apps): the code, or the refusal, on a page of ours."""
        if redirect_to.startswith(oauth.OOB_REDIRECT_URI):
            query = parse_qs(urlsplit(redirect_to).query)
            context = {"oob_code": query.get("code", [""])[0], "application": application}
            if "error" in query:
                context["error"] = {"error": query["error"][0], "description": query.get("error_description", [""])[0]
                                    or "You didn't allow the app. Nothing was shared with it."}  # fmt: skip
            return render(self.request, "accounts/oauth_oob.html", context, status=400 if "error" in query else 200)
        return super().redirect(redirect_to, application)

    def error_response(self, error, application, **kwargs):
        response = super().error_response(error, application, **kwargs)
        if response.status_code == 200 and not response.has_header("Location"):
            response.status_code = 400  # an error page, not a page that worked
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        location = response.get("Location", "")
        if form.cleaned_data.get("allow") and "code=" in location:
            application = oauth.Application.objects.get(client_id=form.cleaned_data["client_id"])
            oauth.approval_record(user=self.request.user, application=application, request=self.request,
                                  scopes=form.cleaned_data.get("scope", ""))  # fmt: skip
        return response


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class TokenView(dot.TokenView):
    """DOT's token endpoint, also taking a JSON body (masto.js sends one) and answering Mastodon's `created_at`."""

    def post(self, request, *args, **kwargs):
        if request.content_type == "application/json":
            try:
                data = json.loads(request.body or b"{}")
            except ValueError:
                data = None
            if not isinstance(data, dict):
                return JsonResponse({"error": "invalid_request", "error_description": "The body isn't a JSON object."},
                                    status=400)  # fmt: skip
            form = QueryDict(mutable=True)
            for key, value in data.items():
                if isinstance(value, str | int):
                    form[key] = str(value)
            request._post = form  # what DOT's backend reads the parameters from
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("application/json"):
            body = json.loads(response.content)
            if "access_token" in body and "created_at" not in body:
                body["created_at"] = int(time.time())
                response.content = json.dumps(body)
        return response


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class RevokeView(dot.RevokeTokenView):
    """RFC 7009's revocation; a success answers `{}` (Mastodon's clients parse the answer as JSON)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200 and not response.content:
            return JsonResponse({})
        return response


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class IntrospectView(dot.IntrospectTokenView):
    """RFC 7662 for the app that owns the token: it authenticates as itself (Basic or body credentials).

    A token of another app answers `{"active": false}`, as an unknown one does.
    """

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            return JsonResponse({"error": "method_not_allowed"}, status=405)
        core = get_oauthlib_core()
        uri, method, body, headers = core._extract_params(request)
        oauth_request = OAuthlibRequest(uri, method, body, headers)
        if not core.server.request_validator.authenticate_client(oauth_request):
            response = JsonResponse({"error": "invalid_client"}, status=401)
            response["WWW-Authenticate"] = 'Basic realm="oauth"'
            return response
        token_value = request.POST.get("token")
        if not token_value:
            return JsonResponse({"error": "invalid_request", "error_description": "Token parameter is missing."},
                                status=400)  # fmt: skip
        checksum = hashlib.sha256(token_value.encode()).hexdigest()
        if not oauth.AccessToken.objects.filter(token_checksum=checksum, application=oauth_request.client).exists():
            return JsonResponse({"active": False})
        return self.get_token_response(token_value)


class MetadataView(dot.OAuthServerMetadataView):
    """RFC 8414, saying only what this server accepts (DOT's default lists every grant it knows)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["response_types_supported"] = ["code"]
        data["grant_types_supported"] = ["authorization_code", "refresh_token", "client_credentials"]
        data["code_challenge_methods_supported"] = ["S256"]
        data["scopes_supported"] = list(SCOPES)
        data["service_documentation"] = request.build_absolute_uri("/api/docs")
        replaced = JsonResponse(data)
        replaced["Access-Control-Allow-Origin"] = "*"
        return replaced


# --- Settings → Developer apps ---------------------------------------------------------------------------


def _picked(form) -> set[str]:
    return set(form.data.getlist("scopes")) if form.is_bound else set(form.fields["scopes"].initial)


@login_required
def settings_developer(request):
    """A developer's apps (register, delete) and the apps this person approved (revoke)."""
    form = DeveloperAppForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            app, secret = oauth.app_create(user=request.user, name=data["name"], redirect_uris=data["redirect_uris"],
                                           scopes=data["scopes"], website=data["website"],
                                           client_type=data["client_type"])  # fmt: skip
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            created = {"app": app, "secret": secret}
            form = DeveloperAppForm()
    context = {
        "section": "developer",
        "form": form,
        "created": created,
        "apps": oauth.apps_of(request.user),
        "connected": oauth.connected_apps(request.user),
        "scope_choices": [(name, _(words), name in _picked(form)) for name, words in SCOPES.items()],
    }
    return render(request, "accounts/settings_developer.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def developer_app_delete(request, app_id: int):
    try:
        oauth.app_delete(user=request.user, app_id=app_id)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("App deleted. Its tokens no longer work."))
    return redirect("settings-developer")


@login_required
@require_POST
def connected_app_revoke(request, app_id: int):
    if oauth.connected_app_revoke(user=request.user, application_id=app_id):
        messages.success(request, _("Access removed. The app can no longer use your account."))
    else:
        messages.error(request, _("That app has no access to your account."))
    return redirect("/settings/developer#connected")
