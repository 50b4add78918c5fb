"""Pages for lists: my lists (and a create form), a list's timeline, its edit form and members,
and "Add to lists" for a profile. Every action is a plain form; htmx makes the toggles in place."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from config.kernel.api.fields import parse_id
from config.kernel.api.pagination import PageRequest
from config.kernel.errors import ServiceError
from config.kernel.http import add_form_error, error_toast, safe_next
from timelines import lists_selectors as selectors
from timelines import lists_services as services
from timelines.models import List


class ListForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=List.NAME_MAX)
    description = forms.CharField(
        label=gettext_lazy("Description (optional)"), max_length=List.DESCRIPTION_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    private = forms.BooleanField(label=gettext_lazy("Private: only you can see this list"), required=False)


def _save(form, write):
    """Run a create or edit from a valid form: what `write` returns, or None (a refusal goes on the form)."""
    if not form.is_valid():
        return None
    try:
        return write(**form.cleaned_data)
    except ServiceError as error:
        add_form_error(form, error, {"name": "name", "description": "description"})
        return None


def _visible_or_404(list_id: str, viewer) -> List:
    found = selectors.list_for_viewer(parse_id(list_id), viewer)
    if found is None:
        raise Http404("No such list.")
    return found


def _owned_or_404(list_id: str, owner) -> List:
    found = selectors.owned_list(parse_id(list_id), owner)
    if found is None:
        raise Http404("No such list.")
    return found


@login_required
def lists_page(request):
    form = ListForm(request.POST or None)
    if request.method == "POST":

        def create(name, description, private):
            return services.list_create(owner=request.user, name=name, description=description, is_private=private)

        created = _save(form, create)
        if created is not None:
            messages.success(request, _("Created the list “%(name)s”.") % {"name": created.name})
            return redirect("list", created.pk)
    page = PageRequest.from_query_or_first(request.GET, default_limit=50)
    lists, next_cursor = selectors.lists_of(request.user, request.user, page)
    context = {"lists": lists, "next_cursor": next_cursor, "form": form}
    return render(request, "timelines/lists.html", context, status=400 if form.errors else 200)


def list_page(request, list_id: str):
    lst = _visible_or_404(list_id, request.user)
    page = PageRequest.from_query_or_first(request.GET)
    tweets, next_cursor = selectors.list_timeline(request.user, lst, page)
    context = {"list": lst, "tweets": tweets, "next_cursor": next_cursor, "is_owner": lst.owner_id == request.user.pk}
    if request.htmx and page.cursor:
        return render(request, "tweets/_feed_page.html", context)
    return render(request, "timelines/list.html", context)


def list_newer(request, list_id: str):
    """The entries above the newest card on the page, for the "new posts" banner (htmx)."""
    lst = _visible_or_404(list_id, request.user)
    since = parse_id(request.GET.get("since", ""))
    tweets = selectors.list_newer(request.user, lst, since) if since else []
    return render(request, "tweets/_feed_page.html", {"tweets": tweets, "next_cursor": None})


@login_required
def list_edit(request, list_id: str):
    lst = _owned_or_404(list_id, request.user)
    initial = {"name": lst.name, "description": lst.description, "private": lst.is_private}
    form = ListForm(request.POST or None, initial=initial)
    if request.method == "POST":

        def update(name, description, private):
            return services.list_update(
                actor=request.user, lst=lst, name=name, description=description, is_private=private
            )

        if _save(form, update) is not None:
            messages.success(request, _("Saved."))
            return redirect("list", lst.pk)
    return render(request, "timelines/list_edit.html", {"list": lst, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def list_delete(request, list_id: str):
    lst = _owned_or_404(list_id, request.user)
    services.list_delete(actor=request.user, lst=lst)
    messages.success(request, _("Deleted the list “%(name)s”.") % {"name": lst.name})
    return redirect("lists")


def list_members(request, list_id: str):
    lst = _visible_or_404(list_id, request.user)
    page = PageRequest.from_query_or_first(request.GET, default_limit=50)
    people, next_cursor = selectors.members(lst, request.user, page)
    context = {"list": lst, "people": people, "next_cursor": next_cursor, "is_owner": lst.owner_id == request.user.pk}
    return render(request, "timelines/list_members.html", context)


@login_required
@require_POST
def list_member_action(request, list_id: str, username: str, action: str):
    """Add (`add`) or remove (`remove`) someone; htmx swaps the row's button, without JS it goes back."""
    if action not in ("add", "remove"):
        raise Http404("No such action.")
    lst = _owned_or_404(list_id, request.user)
    person = account_selectors.user_by_username(username)
    try:
        if action == "add":
            services.list_member_add(actor=request.user, lst=lst, member=person)
        elif person is not None:
            services.list_member_remove(actor=request.user, lst=lst, member_id=person.pk)
    except ServiceError as error:
        if request.htmx:
            return error_toast(request, error)
        messages.error(request, error.message)
        return redirect(safe_next(request, reverse("list", args=[lst.pk])))
    if person is None:
        raise Http404("No such user.")
    if request.htmx:
        lst.has_member = action == "add"
        return render(request, "timelines/_list_toggle.html", {"list": lst, "person": person})
    return redirect(safe_next(request, reverse("list", args=[lst.pk])))


@login_required
def profile_lists(request, username: str):
    """ "Add to/remove from lists" for someone: each of my lists with a toggle."""
    person = account_selectors.user_by_username(username)
    if person is None:
        raise Http404("No such user.")
    lists = selectors.lists_with_member(request.user, person.pk)
    return render(request, "timelines/profile_lists.html", {"person": person, "lists": lists})
