"""The moderators' tools: the report queue, acting on a report, and the read-only audit log."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from config.kernel.errors import ServiceError
from config.kernel.http import add_form_error
from social.moderation import services
from social.moderation.models import ModerationAction, Report


class ActForm(forms.Form):
    CHOICES = [
        ("resolve", "Resolve: handled, nothing more to do"),
        ("dismiss", "Dismiss: nothing wrong here"),
        ("remove_tweet", "Remove the post (the author sees the reason)"),
        ("suspend", "Suspend the account"),
        ("unsuspend", "Lift the account's suspension"),
    ]
    action = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
        help_text="Required to remove a post or to suspend or unsuspend; recorded in the audit log.",
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        if report.target_type != Report.Target.TWEET:
            self.fields["action"].choices = [c for c in self.CHOICES if c[0] != "remove_tweet"]


def target_link(report: Report) -> str:
    """Where the reported thing lives on the site (messages have no public page)."""
    if report.target_user is None:
        return ""
    if report.target_type == Report.Target.TWEET:
        return reverse("tweet", args=[report.target_user.username, report.target_id])
    if report.target_type == Report.Target.USER:
        return reverse("profile", args=[report.target_user.username])
    return ""


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("id", "created_at", "target_type", "reason", "owner", "status")
    list_filter = ("status", "target_type", "reason")
    search_fields = ("target_user__username", "reporter__username", "text", "snapshot")
    list_select_related = ("reporter", "target_user")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    actions = ("resolve_selected", "dismiss_selected")
    fields = ("status", "target_type", "target_id", "owner", "preview", "reason", "text", "reporter",
              "created_at", "handled_by", "handled_at")  # fmt: skip
    readonly_fields = fields
    change_form_template = "admin/moderation/report/change_form.html"

    @admin.display(description="reported account", ordering="target_user__username")
    def owner(self, report: Report) -> str:
        user = report.target_user
        if user is None:
            return "(deleted account)"
        status = " — suspended" if user.suspended_at else ""
        url = reverse("admin:accounts_user_change", args=[user.pk])
        return format_html('<a href="{}">@{}</a>{}', url, user.username, status)

    @admin.display(description="what was reported")
    def preview(self, report: Report) -> str:
        link = target_link(report)
        view = format_html(' <a href="{}" target="_blank" rel="noopener">View on the site</a>', link) if link else ""
        return format_html('<blockquote style="white-space: pre-wrap; margin: 0">{}</blockquote>{}',
                           report.snapshot or "(no text)", view)  # fmt: skip

    def has_add_permission(self, request):
        return False  # reports come from users

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_urls(self):
        act = self.admin_site.admin_view(self.act_view)
        return [path("<int:report_id>/act/", act, name="moderation_report_act"), *super().get_urls()]

    def act_view(self, request, report_id: int):
        """Resolve, dismiss, remove the post or (un)suspend its author, with a reason for the log."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        report = get_object_or_404(Report.objects.select_related("target_user", "reporter"), pk=report_id)
        form = ActForm(request.POST or None, report=report)
        if request.method == "POST" and form.is_valid():
            try:
                done = self._act(request.user, report, form.cleaned_data["action"], form.cleaned_data["reason"])
            except ServiceError as error:
                add_form_error(form, error, {"reason": "reason"})
            else:
                self.message_user(request, done, messages.SUCCESS)
                return redirect("admin:moderation_report_changelist")
        context = {**self.admin_site.each_context(request), "opts": self.opts, "report": report, "form": form,
                   "title": f"Act on report {report.pk}", "preview": self.preview(report)}  # fmt: skip
        return TemplateResponse(request, "admin/moderation/report/act.html", context)

    @staticmethod
    def _act(moderator, report: Report, action: str, reason: str) -> str:
        user = report.target_user
        if action in ("resolve", "dismiss"):
            status = Report.Status.RESOLVED if action == "resolve" else Report.Status.DISMISSED
            services.report_close(moderator=moderator, report=report, status=status, note=reason)
            return f"Report {report.pk} {status}."
        if user is None:
            raise ServiceError("The reported account no longer exists.")
        if action == "remove_tweet":
            services.tweet_remove(moderator=moderator, tweet_id=report.target_id, reason=reason, report=report)
            return f"Removed the post by @{user.username}; they will see why."
        if action == "suspend":
            services.user_suspend(moderator=moderator, user=user, reason=reason, report=report)
            return f"Suspended @{user.username}."
        services.user_unsuspend(moderator=moderator, user=user, reason=reason)
        return f"Lifted the suspension of @{user.username}."

    @admin.action(description="Resolve the selected reports", permissions=["change"])
    def resolve_selected(self, request, queryset):
        self._close_all(request, queryset, Report.Status.RESOLVED)

    @admin.action(description="Dismiss the selected reports", permissions=["change"])
    def dismiss_selected(self, request, queryset):
        self._close_all(request, queryset, Report.Status.DISMISSED)

    def _close_all(self, request, queryset, status: str) -> None:
        closed = 0
        for report in queryset.filter(status=Report.Status.OPEN):
            services.report_close(moderator=request.user, report=report, status=status)
            closed += 1
        self.message_user(request, f"{closed} report{'s' if closed != 1 else ''} {status}.", messages.SUCCESS)


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit log: anyone with access reads it; nobody, superusers included, edits it here."""

    list_display = ("created_at", "moderator", "action", "target_user", "tweet_id", "report", "reason")
    list_filter = ("action",)
    search_fields = ("target_user__username", "moderator__username", "reason")
    list_select_related = ("moderator", "target_user", "report")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
