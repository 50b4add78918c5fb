"""Small helpers for HTML views."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import reswap, retarget

from config.kernel import abuse
from config.kernel.errors import ServiceError


def page_path(request) -> str:
    """The page a person is on: for an htmx request, the page that sent it, not the fragment's URL.

    A fragment's forms carry it as `next`; the request's own path would send a form posted
    without JS (or before htmx binds the swapped form) back to a POST-only endpoint.
    """
    htmx = getattr(request, "htmx", None)
    return (htmx and htmx.current_url_abs_path) or request.get_full_path()


def safe_next(request, fallback: str) -> str:
    """Where to go back to after a form post: `next`, then the referrer, if on this site."""
    target = request.POST.get("next") or request.GET.get("next") or request.headers.get("referer") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def add_form_error(form, error: ServiceError, fields: dict[str, str] | None = None, *, fallback=None) -> None:
    """Show a service's refusal on a form.

    Each message goes under the form field that `fields` maps its (API) field
    name to; other names, and a refusal naming no field, go to `fallback`
    (None: above the form).
    """
    fields = fields or {}
    named = error.fields or {None: [error.message]}
    for name, messages in named.items():
        target = fields.get(name, fallback)
        for message in messages:
            if message not in form.errors.get(target or "__all__", ()):
                form.add_error(target, message)


def error_toast(request, error: ServiceError):
    """An htmx action refused: its message as a toast on top of the page, not in place of the button."""
    response = render(request, "partials/error_toast.html", {"message": error.message}, status=error.status)
    return abuse.page_status(reswap(retarget(response, "#toasts"), "afterbegin"), error)
