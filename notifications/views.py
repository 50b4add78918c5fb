"""The notifications page."""

from contextlib import suppress

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from config.kernel.api.pagination import PageRequest
from config.kernel.errors import ServiceError
from config.kernel.http import safe_next
from notifications import selectors, services


@login_required
def notifications_page(request, tab: str = "all"):
    page = PageRequest.from_query_or_first(request.GET)
    rows, next_cursor = selectors.notifications_page(request.user, page, tab)
    context = {"groups": selectors.group(rows), "next_cursor": next_cursor, "tab": tab}
    if request.htmx and page.cursor:
        return render(request, "notifications/_page.html", context)
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    # Someone else's or gone: there is nothing of theirs to mark.
    with suppress(ServiceError):
        services.mark_read(recipient=request.user, notification_ids=ids)
    return redirect(safe_next(request, "/notifications"))


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(recipient=request.user)
    return redirect(safe_next(request, "/notifications"))
