from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User

PROFILE_FIELDS = ("name", "bio", "location", "website", "avatar", "header", "is_private", "who_can_message")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "name", "email", "is_private", "is_active", "is_staff", "date_joined")
    list_filter = ("is_active", "is_private", "is_staff", "is_superuser", "who_can_message", "date_joined")
    search_fields = ("username", "name", "email")
    ordering = ("-date_joined",)
    date_hierarchy = "date_joined"
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": PROFILE_FIELDS}),
        ("Contact", {"fields": ("email",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    # Moderators see profiles and status, never passwords or permissions.
    moderator_fieldsets = (
        (None, {"fields": ("username",)}),
        ("Profile", {"fields": PROFILE_FIELDS}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.moderator_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ("last_login", "date_joined")
        return ("username", "is_active", "last_login", "date_joined")

    def has_change_permission(self, request, obj=None):
        # Staff accounts are managed by superusers only.
        if obj is not None and (obj.is_staff or obj.is_superuser) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
