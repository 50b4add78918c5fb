"""Moderators work the report queue and read the audit log; nobody edits the log."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTED = [("social", "view_report"), ("social", "change_report"), ("social", "view_moderationaction")]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make ours now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    add_permissions(apps)


def add_permissions(apps):
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in GRANTED:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="social"))


class Migration(migrations.Migration):
    dependencies = [("social", "0004_reports_and_moderation"), ("accounts", "0002_moderators_group")]

    operations = [migrations.RunPython(grant, revoke)]
