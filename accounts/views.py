"""Settings pages (the profile page is a timeline: timelines/views.py)."""

from allauth.account.models import EmailAddress
from allauth.account.views import LoginView as AllauthLoginView
from allauth.mfa.base.views import AuthenticateView as AllauthAuthenticateView
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from knox.models import AuthToken

from accounts import lifecycle, security, selectors, services
from accounts.forms import AccountDeleteForm, DisplayForm, PrivacyForm, ProfileForm
from config.kernel.api.fields import parse_id
from config.kernel.errors import ServiceError
from config.kernel.http import add_form_error


@login_required
@require_http_methods(["GET", "POST"])
def settings_profile(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.profile_update(
                user=request.user,
                changes={field: data[field] for field in services.PROFILE_FIELDS},
                avatar=data.get("avatar"),
                header=data.get("header"),
                remove_avatar=data.get("remove_avatar", False),
                remove_header=data.get("remove_header", False),
            )
        except ServiceError as error:
            add_form_error(form, error, {name: name for name in form.fields})
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("settings-profile")
    status = 400 if form.errors else 200
    return render(request, "accounts/settings_profile.html", {"form": form, "section": "profile"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def settings_privacy(request):
    form = PrivacyForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.privacy_update(
            user=request.user,
            is_private=form.cleaned_data["is_private"],
            who_can_message=form.cleaned_data["who_can_message"],
        )
        messages.success(request, _("Your privacy settings were saved."))
        return redirect("settings-privacy")
    status = 400 if form.errors else 200
    return render(request, "accounts/settings_privacy.html", {"form": form, "section": "privacy"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def settings_display(request):
    form = DisplayForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.display_update(user=request.user, **form.cleaned_data)
        # Said in the language just chosen: the next page is in it.
        with translation.override(request.user.language or translation.get_language()):
            messages.success(request, _("Your display settings were saved."))
        return redirect("settings-display")
    status = 400 if form.errors else 200
    return render(request, "accounts/settings_display.html", {"form": form, "section": "display"}, status=status)


@login_required
def settings_account(request):
    tokens = AuthToken.objects.filter(user=request.user).order_by("-created")
    new_token = request.session.pop("new_api_token", None)
    export = lifecycle.latest_export(request.user)
    context = {
        "tokens": tokens,
        "new_token": new_token,
        "section": "account",
        "export": export,
        "export_downloadable": export is not None and export.is_downloadable,
    }
    return render(request, "accounts/settings_account.html", context)


@login_required
@require_POST
def token_create(request):
    # Shown once on the next page, then gone: only the hash is kept.
    request.session["new_api_token"] = services.token_create(user=request.user)
    return redirect("settings-account")


@login_required
@require_POST
def token_revoke(request, digest: str):
    token = get_object_or_404(AuthToken, user=request.user, digest=digest)
    services.token_revoke(token=token)
    messages.success(request, _("The token was revoked. Apps using it are signed out."))
    return redirect("settings-account")


@login_required
@require_POST
def account_export(request):
    _export, started = lifecycle.account_export_request(user=request.user, site_url=request.build_absolute_uri("/"))
    if started:
        messages.success(
            request, _("We're preparing your data. We'll notify you and email you a link when it's ready.")
        )
    else:
        messages.info(request, _("Your data is already being prepared."))
    return redirect(reverse("settings-account") + "#export")


@login_required
def account_export_download(request, export_id: int):
    export = lifecycle.export_for_owner(request.user, export_id)
    if export is None:
        raise Http404("No such export, or it has expired.")
    return lifecycle.export_response(export)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.account_delete(user=request.user, password=form.cleaned_data["password"])
        except ServiceError as error:
            add_form_error(form, error, {"password": "password"})
        else:
            services.user_logout(request=request)
            messages.success(request, _("Your account was deleted. Everything in it is being removed."))
            return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "accounts/account_delete.html", {"form": form, "section": "account"}, status=status)


class LoginView(AllauthLoginView):
    """allauth's login page, answering 429 with Retry-After when the failed-login limits refuse."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        retry_after = getattr(self.request, "login_retry_after", None)
        if retry_after:
            response.status_code = 429
            response["Retry-After"] = str(retry_after)
        return response


class MFAAuthenticateView(AllauthAuthenticateView):
    """allauth's second-factor step of the login page, answering 429 with Retry-After past the wrong-code limits."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        retry_after = getattr(self.request, "mfa_retry_after", None)
        if retry_after:
            response.status_code = 429
            response["Retry-After"] = str(retry_after)
        return response


@login_required
def settings_security(request):
    """Two-factor login, passkeys and recovery codes (allauth's pages do the work), sessions, the security log."""
    authenticators = {Authenticator.Type.TOTP: None, Authenticator.Type.RECOVERY_CODES: None}
    passkeys = []
    for authenticator in Authenticator.objects.filter(user=request.user).order_by("created_at"):
        if authenticator.type == Authenticator.Type.WEBAUTHN:
            passkeys.append(authenticator)
        else:
            authenticators[authenticator.type] = authenticator
    codes = authenticators[Authenticator.Type.RECOVERY_CODES]
    events, older = selectors.security_events(request.user, before=parse_id(request.GET.get("before", "")))
    context = {
        "section": "security",
        "totp": authenticators[Authenticator.Type.TOTP],
        "passkeys": passkeys,
        "recovery_codes_left": len(RecoveryCodes(codes).get_unused_codes()) if codes else None,
        "sessions": selectors.live_sessions(request.user),
        "events": events,
        "older": older,
        "paged": "before" in request.GET,
        # allauth turns nothing on for an unverified address (it might be someone else's): say so up front.
        "email_verified": EmailAddress.objects.filter(user=request.user, verified=True).exists(),
    }
    return render(request, "accounts/settings_security.html", context)


@login_required
@require_POST
def sessions_end(request):
    ended = security.sessions_end(user=request.user, request=request)
    if ended:
        said = ngettext("Logged out %(count)s other session.", "Logged out %(count)s other sessions.", ended)
        messages.success(request, said % {"count": ended})
    else:
        messages.success(request, _("No other sessions."))
    return redirect(reverse("settings-security") + "#sessions")


@login_required
@require_POST
def session_end(request, session_id: int):
    if not security.sessions_end(user=request.user, request=request, session_id=session_id):
        raise Http404("No such session of yours.")  # someone else's, this one, or already gone: nothing happens
    messages.success(request, _("That session was logged out."))
    return redirect(reverse("settings-security") + "#sessions")
