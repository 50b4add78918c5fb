"""The moderators' tools: the report queue, acting on a report, and the read-only audit log."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from config.kernel.errors import ServiceError
from config.kernel.http import add_form_error
from social.moderation import services
from social.moderation.models import ModerationAction, Report


class ActForm(forms.Form):
    CHOICES = [
        ("resolve", gettext_lazy("Resolve: handled, nothing more to do")),
        ("dismiss", gettext_lazy("Dismiss: nothing wrong here")),
        ("remove_tweet", gettext_lazy("Remove the post (the author sees the reason)")),
        ("suspend", gettext_lazy("Suspend the account")),
        ("unsuspend", gettext_lazy("Lift the account's suspension")),
    ]
    action = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect(attrs={"class": "radiolist"}))  # the admin's
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
        help_text=gettext_lazy("Required to remove a post or to suspend or unsuspend; recorded in the audit log."),
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

    @admin.display(description=gettext_lazy("reported account"), ordering="target_user__username")
    def owner(self, report: Report) -> str:
        user = report.target_user
        if user is None:
            return _("(deleted account)")
        status = " — " + _("suspended") if user.suspended_at else ""
        url = reverse("admin:accounts_user_change", args=[user.pk])
        return format_html('<a href="{}">@{}</a>{}', url, user.username, status)

    @admin.display(description=gettext_lazy("what was reported"))
    def preview(self, report: Report) -> str:
        link = target_link(report)
        view = (
            format_html(' <a href="{}" target="_blank" rel="noopener">{}</a>', link, _("View on the site"))
            if link
            else ""
        )
        # Styled by static/css/admin.css: the CSP refuses a style attribute.
        return format_html("<blockquote>{}</blockquote>{}", report.snapshot or _("(no text)"), view)

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
                   "title": _("Act on report %(id)s") % {"id": report.pk}, "preview": self.preview(report)}  # fmt: skip
        return TemplateResponse(request, "admin/moderation/report/act.html", context)

    @staticmethod
    def _act(moderator, report: Report, action: str, reason: str) -> str:
        user = report.target_user
        if action in ("resolve", "dismiss"):
            status = Report.Status.RESOLVED if action == "resolve" else Report.Status.DISMISSED
            services.report_close(moderator=moderator, report=report, status=status, note=reason)
            if status == Report.Status.RESOLVED:
                return _("Report %(id)s resolved.") % {"id": report.pk}
            return _("Report %(id)s dismissed.") % {"id": report.pk}
        if user is None:
            raise ServiceError(_("The reported account no longer exists."))
        if action == "remove_tweet":
            services.tweet_remove(moderator=moderator, tweet_id=report.target_id, reason=reason, report=report)
            return _("Removed the post by @%(username)s; they will see why.") % {"username": user.username}
        if action == "suspend":
            services.user_suspend(moderator=moderator, user=user, reason=reason, report=report)
            return _("Suspended @%(username)s.") % {"username": user.username}
        services.user_unsuspend(moderator=moderator, user=user, reason=reason)
        return _("Lifted the suspension of @%(username)s.") % {"username": user.username}

    @admin.action(description=gettext_lazy("Resolve the selected reports"), permissions=["change"])
    def resolve_selected(self, request, queryset):
        self._close_all(request, queryset, Report.Status.RESOLVED)

    @admin.action(description=gettext_lazy("Dismiss the selected reports"), permissions=["change"])
    def dismiss_selected(self, request, queryset):
        self._close_all(request, queryset, Report.Status.DISMISSED)

    def _close_all(self, request, queryset, status: str) -> None:
        closed = 0
        for report in queryset.filter(status=Report.Status.OPEN):
            services.report_close(moderator=request.user, report=report, status=status)
            closed += 1
        if status == Report.Status.RESOLVED:
            done = ngettext("%(count)s report resolved.", "%(count)s reports resolved.", closed)
        else:
            done = ngettext("%(count)s report dismissed.", "%(count)s reports dismissed.", closed)
        self.message_user(request, done % {"count": closed}, messages.SUCCESS)


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


# --- accounts: moderators edit profiles and suspend; every change is logged ---------------------


def _suspended(count: int) -> str:
    return ngettext("%(count)s account suspended.", "%(count)s accounts suspended.", count)


def _unsuspended(count: int) -> str:
    return ngettext("%(count)s account unsuspended.", "%(count)s accounts unsuspended.", count)


PROFILE_FIELDS = ("name", "bio", "location", "website", "avatar", "header")
OWNER_SETTINGS = ("is_private", "who_can_message")  # shown, never edited here: the account holder's choices


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "name", "email", "is_private", "is_active", "suspended", "is_staff", "date_joined")
    list_filter = (
        ("suspended_at", admin.EmptyFieldListFilter),
        "is_active", "is_private", "is_staff", "is_superuser", "who_can_message", "date_joined",
    )  # fmt: skip
    actions = ("suspend_selected", "unsuspend_selected")
    search_fields = ("username", "name", "email")
    ordering = ("-date_joined",)
    date_hierarchy = "date_joined"
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Profile"), {"fields": PROFILE_FIELDS}),
        (gettext_lazy("Settings"), {"fields": OWNER_SETTINGS}),
        (gettext_lazy("Contact"), {"fields": ("email",)}),
        (
            gettext_lazy("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (gettext_lazy("Moderation"), {"fields": ("suspended_at", "suspension_reason")}),
        (gettext_lazy("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    # Moderators see profiles and status, never passwords or permissions.
    moderator_fieldsets = (
        (None, {"fields": ("username",)}),
        (gettext_lazy("Profile"), {"fields": PROFILE_FIELDS}),
        (gettext_lazy("Settings"), {"fields": OWNER_SETTINGS}),
        (
            gettext_lazy("Status"),
            {"fields": ("is_active", "suspended_at", "suspension_reason", "last_login", "date_joined")},
        ),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.moderator_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # Suspension goes through the actions, so it is logged and tokens are revoked.
        if request.user.is_superuser:
            return ("last_login", "date_joined", "suspended_at", "suspension_reason", *OWNER_SETTINGS)
        return ("username", "is_active", "last_login", "date_joined", "suspended_at", "suspension_reason",
                *OWNER_SETTINGS)  # fmt: skip

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Every staff change to an account goes through the moderation service, into the audit log.
        services.user_edit(moderator=request.user, user=obj, fields=list(form.changed_data))
        return None

    def has_change_permission(self, request, obj=None):
        # Staff accounts are managed by superusers only.
        if obj is not None and (obj.is_staff or obj.is_superuser) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:  # moderators never set passwords
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.display(description=gettext_lazy("suspended"), boolean=True, ordering="suspended_at")
    def suspended(self, user: User) -> bool:
        return user.suspended_at is not None

    @admin.action(description=gettext_lazy("Suspend the selected accounts"), permissions=["change"])
    def suspend_selected(self, request, queryset):
        return self._with_reason(request, queryset, services.user_suspend, "Suspend", _suspended)

    @admin.action(description=gettext_lazy("Lift the suspension of the selected accounts"), permissions=["change"])
    def unsuspend_selected(self, request, queryset):
        return self._with_reason(request, queryset, services.user_unsuspend, "Lift the suspension of", _unsuspended)

    def _with_reason(self, request, queryset, service, verb: str, done):
        """Ask for the reason on a page of its own, then apply the service to each account."""
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            changed = 0
            for user in queryset:
                try:
                    service(moderator=request.user, user=user, reason=form.cleaned_data["reason"])
                    changed += 1
                except ServiceError as error:
                    self.message_user(request, f"@{user.username}: {error.message}", messages.ERROR)
            if changed:
                self.message_user(request, done(changed) % {"count": changed}, messages.SUCCESS)
            return None
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": f"{verb} accounts",
                   "verb": verb, "people": queryset, "form": form, "action": request.POST.get("action"),
                   "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)}  # fmt: skip
        return TemplateResponse(request, "admin/accounts/user/reason.html", context)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), help_text=gettext_lazy("Recorded in the audit log.")
    )
