from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from accounts.models import User
from config.kernel.errors import ServiceError

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
        ("Profile", {"fields": PROFILE_FIELDS}),
        ("Settings", {"fields": OWNER_SETTINGS}),
        ("Contact", {"fields": ("email",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Moderation", {"fields": ("suspended_at", "suspension_reason")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    # Moderators see profiles and status, never passwords or permissions.
    moderator_fieldsets = (
        (None, {"fields": ("username",)}),
        ("Profile", {"fields": PROFILE_FIELDS}),
        ("Settings", {"fields": OWNER_SETTINGS}),
        ("Status", {"fields": ("is_active", "suspended_at", "suspension_reason", "last_login", "date_joined")}),
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
        from social.moderation.services import user_edit

        # Every staff change to an account goes through the moderation service, into the audit log.
        user_edit(moderator=request.user, user=obj, fields=list(form.changed_data))
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

    @admin.display(description="suspended", boolean=True, ordering="suspended_at")
    def suspended(self, user: User) -> bool:
        return user.suspended_at is not None

    @admin.action(description="Suspend the selected accounts", permissions=["change"])
    def suspend_selected(self, request, queryset):
        from social.moderation.services import user_suspend

        return self._with_reason(request, queryset, user_suspend, "Suspend", "suspended")

    @admin.action(description="Lift the suspension of the selected accounts", permissions=["change"])
    def unsuspend_selected(self, request, queryset):
        from social.moderation.services import user_unsuspend

        return self._with_reason(request, queryset, user_unsuspend, "Lift the suspension of", "unsuspended")

    def _with_reason(self, request, queryset, service, verb: str, done: str):
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
                self.message_user(request, f"{changed} account{'s' if changed != 1 else ''} {done}.", messages.SUCCESS)
            return None
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": f"{verb} accounts",
                   "verb": verb, "people": queryset, "form": form, "action": request.POST.get("action"),
                   "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)}  # fmt: skip
        return TemplateResponse(request, "admin/accounts/user/reason.html", context)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), help_text="Recorded in the audit log."
    )
