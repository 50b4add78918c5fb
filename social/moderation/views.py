from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.kernel.api.fields import MAX_ID
from config.kernel.errors import NotFound, ServiceError
from config.kernel.http import add_form_error, safe_next
from social.moderation import services
from social.moderation.forms import ReportForm
from social.moderation.models import ModerationAction

WHAT = {"tweet": "post", "user": "account", "message": "message"}
THANKS = {  # whole sentences, so each language words them its own way
    "tweet": lambda: _("Thanks. The moderators will review this post."),
    "user": lambda: _("Thanks. The moderators will review this account."),
    "message": lambda: _("Thanks. The moderators will review this message."),
}


@login_required
@require_http_methods(["GET", "POST"])
def report(request, target_type: str, target_id: int):
    """Report a post, an account or a message: a reason and, optionally, details."""
    if target_type not in WHAT or target_id > MAX_ID:  # an id past 64 bits names nothing
        raise Http404

    back = safe_next(request, "/")  # on the form page: where the report began
    try:
        _target, owner, snapshot = services.reported_target(request.user, target_type, target_id)
    except NotFound:
        raise Http404 from None
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(reporter=request.user, target_type=target_type, target_id=target_id,
                                   reason=form.cleaned_data["reason"], text=form.cleaned_data["text"])  # fmt: skip
        except ServiceError as error:
            add_form_error(form, error)
        else:
            messages.success(request, THANKS[target_type]())
            return redirect(back)
    context = {"form": form, "what": WHAT[target_type], "owner": owner, "snapshot": snapshot, "next": back}
    return render(request, "social/report.html", context, status=400 if form.errors else 200)


@login_required
def notices(request):
    """What the moderators did about your account and posts, and why."""
    entries = ModerationAction.objects.filter(
        target_user=request.user, action=ModerationAction.Action.REMOVE_TWEET
    ).order_by("-created_at")[:50]
    return render(request, "social/moderation_notices.html", {"entries": entries})
